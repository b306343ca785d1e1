"""``writers-factory session conflicts [--merge]``: a syncing tool's conflict copies.

Lists the copies in the writer's folders (resolved in the app, change by change) and in
``.session/`` (merged here: cost operations by id, history sessions by session id). Without
``--merge`` nothing changes: the answer says what a merge would add. Exit 0, or 2 when the
command could not do its work (no project, the project open in a running app).
"""

from __future__ import annotations

from pathlib import Path

from writers_factory.cli_output import emit as _emit
from writers_factory.cli_output import error as _error
from writers_factory.cli_output import say as _say


def run_conflicts(project: Path, *, merge: bool, as_json: bool) -> int:
    from rich.markup import escape

    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.project import is_project, not_a_project_message
    from writers_factory.store.backups.project import live_owner
    from writers_factory.store.session_copies import merge_session_copies
    from writers_factory.store.sync_copies import find_copies

    project = Path(project)
    if not is_project(project):
        return _error(not_a_project_message(project), as_json)
    owner = live_owner(project) if merge else None
    if owner:
        return _error(f"{project} is open in {owner}: it merges these itself at start", as_json)
    try:
        writer = find_copies(project)
        report = merge_session_copies(project, apply=merge)
    except (WritersFactoryError, OSError, ValueError) as exc:
        return _error(str(exc), as_json)
    if as_json:
        _emit({"files": [c.to_json() for c in writer], "session": report.to_json()})
        return 0
    if not writer and not report.copies:
        _say("[green]✓[/] no conflict copies")
        return 0
    for copy in writer:
        _say(
            f"[yellow]copy[/] {escape(copy.copy)} of {escape(copy.original)}: open the project "
            "and choose “Sync conflict copies” to compare and merge"
        )
    for found in report.copies:
        _say(f"[yellow]copy[/] .session/{escape(found.copy)} of {escape(found.original)}")
    if report.copies:
        verb = "merged" if merge else "a merge would add"
        _say(
            f"  {verb}: {report.operations_added} cost operations "
            f"({report.operations_already_here} already here), {report.sessions_added} "
            f"sessions ({report.sessions_already_here} already here)"
        )
        if merge and report.backup:
            _say(f"  backup first: .session/backups/{escape(report.backup)}")
        for note in report.notes:
            _say(f"  [yellow]note[/] {escape(note)}")
        if not merge:
            _say("  run with --merge to merge them (a backup of .session/ is taken first)")
    return 0
