"""``writers-factory snapshot …`` and ``session rollback``: the history from a terminal.

``list [FILE]`` the timeline (of one file); ``show ID [FILE]`` what a snapshot recorded (or
the file as it was); ``diff ID [ID2] [FILE]`` from a snapshot to another or to the files as
they are now; ``restore ID FILE`` bring a file back (the present is snapshotted first);
``create -m MESSAGE`` a snapshot by hand. Every one takes ``--json``. Exit 0, or 2 with a
message naming what was wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from writers_factory.cli_output import emit as _emit
from writers_factory.cli_output import error as _error

_ID = re.compile(r"^(?:[0-9a-fA-F]{4,40}|HEAD(?:~\d+)?)$")


def _entry(info: Any) -> dict[str, Any]:
    meta = info.meta
    return {
        "id": info.id,
        "parent": info.parent,
        "taken_at": meta.taken_at.isoformat(),
        "trigger": meta.trigger,
        "author": meta.author,
        "message": meta.message,
        "added": meta.added,
        "removed": meta.removed,
        "total_words": meta.total_words,
        "changed": {p: w.model_dump() for p, w in meta.changed.items()},
    }


def _usage(action: str) -> str:
    return {
        "list": "snapshot list [FILE]",
        "show": "snapshot show ID [FILE]",
        "diff": "snapshot diff ID [ID2] [FILE]",
        "restore": "snapshot restore ID FILE",
        "create": "snapshot create -m MESSAGE",
    }[action]


def run_snapshot(
    project: Path, action: str, args: list[str], message: str, *, as_json: bool
) -> int:
    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.project import is_project, not_a_project_message

    project = Path(project).absolute()
    if not project.is_dir() or not is_project(project):
        return _error(not_a_project_message(project), as_json)
    handler = {"list": _list, "show": _show, "diff": _diff, "restore": _restore, "create": _create}
    try:
        return handler[action](project, args, message, as_json)
    except _Usage:
        return _error(f"usage: writers-factory {_usage(action)}", as_json)
    except (WritersFactoryError, OSError, ValueError) as exc:
        return _error(str(exc), as_json)


class _Usage(Exception):
    pass


def _split(args: list[str], ids: int, files: int) -> tuple[list[str], str | None]:
    """Ids first (hex or HEAD~N), then at most one project file."""
    found = [a for a in args if _ID.match(a)]
    rest = [a for a in args if not _ID.match(a)]
    if len(found) > ids or len(rest) > files or args[: len(found)] != found:
        raise _Usage
    return found, (rest[0] if rest else None)


def _snapshotter(project: Path) -> Any:
    from writers_factory.store.snapshots.taker import Snapshotter

    return Snapshotter(project)


def _list(project: Path, args: list[str], _message: str, as_json: bool) -> int:
    from writers_factory.store.snapshots.reading import history_of, walk
    from writers_factory.store.snapshots.restore import project_path

    _ids, file = _split(args, 0, 1)
    repo = _snapshotter(project).repository
    if not repo.exists():
        infos = []
    elif file is not None:
        infos = history_of(repo, project_path(project, file))
    else:
        infos = list(walk(repo))
    if as_json:
        _emit({"snapshots": [_entry(i) for i in infos]})
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Snapshots of {file or project.name}")
    for column in ("id", "when", "trigger", "message", "+words", "-words"):
        table.add_column(column)
    for info in infos:
        meta = info.meta
        table.add_row(
            info.short,
            meta.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            meta.trigger,
            meta.message,
            f"+{meta.added}",
            f"-{meta.removed}",
        )
    Console(highlight=False).print(table if infos else "No snapshots yet.")
    return 0


def _show(project: Path, args: list[str], _message: str, as_json: bool) -> int:
    from writers_factory.store.snapshots.reading import files_of, read_meta, resolve
    from writers_factory.store.snapshots.restore import project_path, version_of

    ids, file = _split(args, 1, 1)
    if len(ids) != 1:
        raise _Usage
    snapshotter = _snapshotter(project)
    repo = snapshotter.repository
    if file is not None:
        commit, data = version_of(snapshotter, ids[0], project_path(project, file))
        text = data.decode("utf-8", errors="replace")
        if as_json:
            _emit({"id": commit, "path": project_path(project, file), "text": text})
        else:
            print(text, end="" if text.endswith("\n") else "\n")
        return 0
    commit = resolve(repo, ids[0])
    meta = read_meta(repo, commit)
    info = {"id": commit, **_entry_meta(meta), "files": sorted(files_of(repo, commit))}
    if as_json:
        _emit(info)
        return 0
    print(f"snapshot {commit}\n{meta.taken_at.astimezone():%Y-%m-%d %H:%M:%S}  {meta.trigger}")
    if meta.message:
        print(meta.message)
    print(f"words: {meta.total_words} (+{meta.added} -{meta.removed})")
    for path in info["files"]:
        print(f"  {path}")
    return 0


def _entry_meta(meta: Any) -> dict[str, Any]:
    return {
        "taken_at": meta.taken_at.isoformat(),
        "trigger": meta.trigger,
        "author": meta.author,
        "message": meta.message,
        "total_words": meta.total_words,
        "added": meta.added,
        "removed": meta.removed,
    }


def _texts_now(project: Path) -> dict[str, bytes]:
    from writers_factory.store.snapshots.capture import is_project_path, project_files

    found: dict[str, bytes] = {}
    for rel, path, _st in project_files(project):
        if is_project_path(rel):
            try:
                found[rel] = path.read_bytes()
            except OSError:
                continue
    return found


def _snapshot_texts(repo: Any, commit: str) -> dict[str, bytes]:
    from writers_factory.store.snapshots.capture import is_project_path
    from writers_factory.store.snapshots.reading import blob_bytes, files_of

    return {p: blob_bytes(repo, b) for p, b in files_of(repo, commit).items() if is_project_path(p)}


def _diff(project: Path, args: list[str], _message: str, as_json: bool) -> int:
    from writers_factory.store.snapshots.reading import resolve, unified
    from writers_factory.store.snapshots.restore import project_path

    ids, file = _split(args, 2, 1)
    if not ids:
        raise _Usage
    repo = _snapshotter(project).repository
    old_id = resolve(repo, ids[0])
    old = _snapshot_texts(repo, old_id)
    if len(ids) == 2:
        second = resolve(repo, ids[1])
        new_id: str | None = second
        new = _snapshot_texts(repo, second)
    else:
        new_id, new = None, _texts_now(project)
    paths = sorted(set(old) | set(new))
    if file is not None:
        wanted = project_path(project, file)
        paths = [p for p in paths if p == wanted]
    result: dict[str, list[str]] = {}
    for path in paths:
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        lines = unified(
            (a or b"").decode("utf-8", errors="replace"),
            (b or b"").decode("utf-8", errors="replace"),
            f"{old_id[:10]}/{path}" if a is not None else "/dev/null",
            (f"{new_id[:10]}/{path}" if new_id else f"now/{path}")
            if b is not None
            else "/dev/null",
        )
        result[path] = lines
    if as_json:
        _emit({"from": old_id, "to": new_id or "now", "files": result})
        return 0
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    for lines in result.values():
        for line in lines:
            style = (
                "bold"
                if line.startswith(("---", "+++"))
                else "green"
                if line.startswith("+")
                else "red"
                if line.startswith("-")
                else "cyan"
                if line.startswith("@@")
                else ""
            )
            console.print(f"[{style}]{escape(line)}[/]" if style else escape(line))
    if not result:
        console.print("No differences.")
    return 0


def _restore(project: Path, args: list[str], _message: str, as_json: bool) -> int:
    from writers_factory.store.snapshots.restore import restore_file

    ids, file = _split(args, 1, 1)
    if len(ids) != 1 or file is None:
        raise _Usage
    restored = restore_file(project, ids[0], file)
    kept = restored.kept.id if restored.kept else None
    if as_json:
        _emit({"restored": restored.path, "from": restored.source, "kept_as": kept})
    else:
        print(f"Restored {restored.path} from snapshot {restored.source[:10]}.")
        if kept:
            print(f"The text it replaced is kept in snapshot {kept[:10]}.")
    return 0


def _create(project: Path, args: list[str], message: str, as_json: bool) -> int:
    from writers_factory.store.snapshots.triggers import Trigger

    if args or not message.strip():
        raise _Usage
    info = _snapshotter(project).take(Trigger.MANUAL, message=message.strip())
    assert info is not None  # by hand: always recorded
    if as_json:
        _emit(_entry(info))
    else:
        print(f"Snapshot {info.short} taken: {message.strip()}")
    return 0


def run_rollback(project: Path, name: str | None, *, as_json: bool) -> int:
    """``session rollback ID``: stage, open files and preferences as they were then."""
    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.store.snapshots.restore import rollback_session

    if not name:
        return _error("usage: writers-factory session rollback ID", as_json)
    project = Path(project).absolute()
    if not (project / ".session").is_dir():
        return _error(f"{project / '.session'} does not exist: nothing to roll back", as_json)
    try:
        result = rollback_session(project, name)
    except (WritersFactoryError, OSError, ValueError) as exc:
        return _error(str(exc), as_json)
    kept = result.kept.id if result.kept else None
    if as_json:
        _emit(
            {
                "rolled_back_to": result.source,
                "kept_as": kept,
                "stage": result.stage,
                "open_files": result.open_files,
                "preferences": result.preferences,
            }
        )
    else:
        print(f"Session rolled back to snapshot {result.source[:10]}.")
        if result.stage:
            print(f"Stage: {result.stage}; open files: {', '.join(result.open_files) or 'none'}")
        if kept:
            print(f"The state it replaced is kept in snapshot {kept[:10]}.")
    return 0
