"""``writers-factory session …``: read-only views of ``.session/`` for people and scripts."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _emit_json(payload: Any) -> None:
    print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))


def _error(message: str, as_json: bool) -> int:
    if as_json:
        _emit_json({"error": message})
    else:
        from rich.markup import escape

        Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return 2


def _no_session(project: Path, as_json: bool) -> int:
    message = f"{project / '.session'} does not exist: open the project once to create it."
    return _error(message, as_json)


def run_session_view(
    project: Path,
    view: str,
    *,
    as_json: bool,
    since: str | None = None,
    author: str | None = None,
    by_author: bool = False,
) -> int:
    """Print one view; exit 0, 1 (``verify`` found problems) or 2 (it could not be read).

    These views only read, so whatever the files hold, the answer is a message, never a
    traceback: a failure the loaders did not turn into a problem is reported as exit 2.
    """
    from writers_factory.core.errors import WritersFactoryError

    project = Path(project)
    try:
        if view == "verify":
            return _verify(project, as_json)
        if not (project / ".session").is_dir():
            return _no_session(project, as_json)
        if view == "log":
            return _log(project, as_json, since)
        if view == "costs":
            from writers_factory.cli_costs import run_costs

            return run_costs(project, as_json=as_json, author=author, by_author=by_author)
        if author is None:
            _hint_authors(project, view)
        handler = {
            "show": _show,
            "history": _history,
            "preferences": _preferences,
        }[view]
        return handler(project, as_json, author)
    except (WritersFactoryError, OSError, ValueError, TypeError, RecursionError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, OSError) else str(exc)
        return _error(f"{project / '.session'}: could not be read for '{view}' ({reason})", as_json)


def _hint_authors(project: Path, view: str) -> None:
    """A co-authored project keeps sessions, history and preferences per author: say so
    (on stderr, so ``--json`` stays clean) when the single writer's file is not there."""
    from writers_factory.store.authors.layout import authors_of
    from writers_factory.store.base.paths import SessionPaths

    paths = SessionPaths.for_project(project)
    own = {"show": paths.current, "history": paths.history, "preferences": paths.preferences}
    names = authors_of(project)
    if names and not own[view].exists():
        import sys

        print(
            f"note: this project has co-authors ({', '.join(names)}); add --author NAME "
            f"to see one author's {view}",
            file=sys.stderr,
        )


def _show(project: Path, as_json: bool, author: str | None = None) -> int:
    from writers_factory.store.session.lock import check
    from writers_factory.store.session.session import Session

    session = Session(project, read_only=True, author=author)
    data = session.data
    lock = check(session.paths.lock)
    if as_json:
        _emit_json(
            {
                "session": data.model_dump(mode="json"),
                "lock": {
                    "state": lock.state.value,
                    "reason": lock.reason,
                    "owner": lock.info.model_dump(mode="json") if lock.info else None,
                },
                "problems": [p.describe() for p in session.problems],
            }
        )
        return 0
    out = _console()
    table = Table(title=f"Session — {data.project_name or project.name}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("session", data.session_id or "—")
    table.add_row("stage", data.current_state.stage)
    table.add_row("screen", data.current_state.screen)
    table.add_row("breadcrumb", " › ".join(data.current_state.breadcrumb))
    table.add_row("started", f"{data.started_at:%Y-%m-%d %H:%M:%S %Z}")
    table.add_row("last activity", f"{data.last_activity:%Y-%m-%d %H:%M:%S %Z}")
    table.add_row("closed cleanly", "yes" if data.clean_shutdown else "no")
    table.add_row("lock", f"{lock.state.value} {lock.reason}".strip())
    for stage, model in sorted(data.model_preferences.items()):
        table.add_row(f"model · {stage}", model)
    out.print(table)
    files = Table(title="Open files")
    files.add_column("file")
    files.add_column("line", justify="right")
    files.add_column("column", justify="right")
    for item in data.open_files:
        mark = " (active)" if item.path == data.active_file else ""
        files.add_row(item.path + mark, str(item.cursor_line + 1), str(item.cursor_col + 1))
    out.print(files)
    if data.recent_queries:
        queries = Table(title="Recent queries")
        queries.add_column("when")
        queries.add_column("source")
        queries.add_column("query")
        for q in reversed(data.recent_queries):
            queries.add_row(f"{q.timestamp.astimezone():%Y-%m-%d %H:%M}", q.source, q.query)
        out.print(queries)
    for problem in session.problems:
        out.print(f"[yellow]⚠[/] {problem.describe()}")
    return 0


def _history(project: Path, as_json: bool, author: str | None = None) -> int:
    from writers_factory.cli_stats import run_history

    return run_history(project, as_json=as_json, author=author)


def _preferences(project: Path, as_json: bool, author: str | None = None) -> int:
    from writers_factory.cli_costs import run_preferences

    return run_preferences(project, as_json=as_json, author=author)


def _verify(project: Path, as_json: bool) -> int:
    from writers_factory.store.verify import verify

    extra = (
        ("workflows/*.json", "writers_factory.ai.workflows:WorkflowRecord"),
        ("conversations/*.json", "writers_factory.ai.conversations:Conversation"),
    )
    findings = verify(project, extra)
    problems = [f for f in findings if f.level == "problem"]
    if as_json:
        _emit_json(
            {
                "ok": not problems,
                "problems": [
                    {"file": str(f.path), "field": f.field, "message": f.message, "level": f.level}
                    for f in findings
                ],
            }
        )
    else:
        out = _console()
        if not problems:
            out.print(f"[green]✓[/] {project / '.session'}: every file parses and validates.")
        for finding in findings:
            mark = "[red]✗[/]" if finding.level == "problem" else "[yellow]•[/]"
            out.print(f"{mark} {finding.describe()}")
    return 1 if problems else 0


def _since(text: str) -> datetime:
    """A date (local midnight) or a moment; naive is local time."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


def _log(project: Path, as_json: bool, since: str | None) -> int:
    """The audit trail: stage and model changes, restores, … oldest first."""
    from writers_factory.store.audit.log import AuditLog

    try:
        start = _since(since) if since else None
    except ValueError:
        return _error(f"--since {since!r}: not a date (YYYY-MM-DD) or a moment (ISO 8601)", as_json)
    records, bad = AuditLog(project / ".session").read(start)
    if as_json:
        _emit_json(
            {
                "records": [r.model_dump(mode="json", by_alias=True) for r in records],
                "unreadable_lines": [b.describe() for b in bad],
            }
        )
        return 0
    from rich.markup import escape

    out = _console()
    if not records:
        out.print("No transitions recorded" + (f" since {since}." if since else " yet."))
    for r in records:
        mark = "[green]✓[/]" if r.ok else "[red]✗[/]"
        change = f"{r.from_ or '—'} → {r.to or '—'}"
        why = f" ({escape(r.trigger)})" if r.trigger else ""
        who = f" by {escape(r.actor)}" if r.actor else ""
        err = f" [red]{escape(r.error)}[/]" if r.error else ""
        when = f"{r.at.astimezone():%Y-%m-%d %H:%M:%S}"
        out.print(f"{mark} {when} {r.kind}: {escape(change)}{why}{who}{err}")
    for line in bad:
        out.print(f"[yellow]⚠[/] {escape(line.describe())}")
    return 0
