"""``writers-factory session export FILE`` and ``session import FILE [--replace]``.

Exit 0 when done, 1 when the archive is damaged or invalid (nothing changed; each problem
named by file), 2 when the command could not do its work (no project, the project is open).
"""

from __future__ import annotations

from pathlib import Path

from writers_factory.cli_output import emit as _emit
from writers_factory.cli_output import error as _error
from writers_factory.cli_output import say as _say

EXTRA_MODELS = (
    ("workflows/*.json", "writers_factory.ai.workflows:WorkflowRecord"),
    ("conversations/*.json", "writers_factory.ai.conversations:Conversation"),
)
"""Files other layers keep in ``.session/``, checked on import as ``session verify`` does."""


def run_export(project: Path, file: str | None, *, as_json: bool) -> int:
    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.store.backups.exchange import export_session

    if not file:
        return _error("session export needs the archive to write: session export FILE", as_json)
    try:
        result = export_session(project, Path(file))
    except (WritersFactoryError, OSError, ValueError) as exc:
        return _error(str(exc), as_json)
    if as_json:
        _emit(result.to_json())
    else:
        from rich.markup import escape

        _say(
            f"[green]✓[/] exported {result.files} files ({result.total_bytes} bytes) of "
            f"{escape(str(project / '.session'))} to {escape(str(result.archive))}"
        )
    return 0


def run_import(project: Path, file: str | None, *, replace: bool, as_json: bool) -> int:
    from rich.markup import escape

    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.project import is_project, not_a_project_message
    from writers_factory.store.backups.exchange import ImportRefusedError, import_session
    from writers_factory.store.backups.project import live_owner

    if not file:
        return _error("session import needs the archive to read: session import FILE", as_json)
    if not is_project(project):
        return _error(not_a_project_message(project), as_json)
    try:
        report = import_session(
            project,
            Path(file),
            mode="replace" if replace else "merge",
            extra=EXTRA_MODELS,
            live_owner=lambda: live_owner(project),
        )
    except ImportRefusedError as exc:
        if as_json:
            _emit(
                {
                    "imported": False,
                    "problems": [{"file": p.path, "message": p.message} for p in exc.problems],
                }
            )
        else:
            _say(f"[red]✗[/] {escape(file)} was not imported; nothing was changed:")
            for problem in exc.problems:
                _say(f"  {escape(problem.describe())}")
        return 1
    except (WritersFactoryError, OSError, ValueError) as exc:
        return _error(str(exc), as_json)
    if as_json:
        _emit({"imported": True, **report.to_json()})
        return 0
    _say(
        f"[green]✓[/] imported {escape(file)} ({report.mode}); backup first: {report.safety_backup}"
    )
    if report.mode == "merge":
        _say(
            f"  cost operations: {report.operations_added} added, "
            f"{report.operations_already_here} already here"
        )
        _say(
            f"  sessions: {report.sessions_added} added, "
            f"{report.sessions_already_here} already here"
        )
    else:
        _say(f"  {len(report.replaced)} files replaced")
    for conflict in report.conflicts:
        _say(f"  [yellow]conflict[/] {escape(conflict)}")
    return 0
