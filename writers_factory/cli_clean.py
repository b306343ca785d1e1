"""``writers-factory session clean [--apply]``: a dry run by default; ``--apply`` removes."""

from __future__ import annotations

import json
from pathlib import Path


def run_clean(project: Path, *, apply: bool, as_json: bool) -> int:
    from rich.console import Console
    from rich.markup import escape

    from writers_factory.core.errors import WritersFactoryError
    from writers_factory.store.backups.clean import candidates, remove
    from writers_factory.store.backups.project import backup_prefs, live_owner, policy, store_for
    from writers_factory.store.base.paths import SessionPaths

    out = Console(highlight=False, soft_wrap=True)
    project = Path(project)
    if not (project / ".session").is_dir():
        out.print(f"[bold red]error:[/] {escape(str(project / '.session'))} does not exist")
        return 2
    owner = live_owner(project)
    if apply and owner:
        out.print(f"[bold red]error:[/] the project is open in {escape(owner)}: close it first")
        return 2
    try:
        prefs = backup_prefs(project)
        store = store_for(project, prefs)
        found = candidates(
            SessionPaths.for_project(project),
            store,
            policy(prefs),
            older_than_days=prefs.clean_after_days,
        )
        if apply:
            for candidate in found:
                remove(candidate, store)
    except (WritersFactoryError, OSError, ValueError) as exc:
        out.print(f"[bold red]error:[/] {escape(str(exc))}")
        return 2
    if as_json:
        payload = {
            "applied": apply,
            "removed" if apply else "would_remove": [
                {"where": c.where, "path": str(c.path), "age_days": c.age_days, "bytes": c.size}
                for c in found
            ],
        }
        print(json.dumps(payload, indent=2))
        return 0
    verb = "removed" if apply else "would remove"
    if not found:
        out.print("Nothing to clean: the newest copy of everything is kept.")
    for c in found:
        out.print(f"{verb} {c.where}: {escape(str(c.path))} ({c.age_days} days, {c.size:,} bytes)")
    if found and not apply:
        out.print("Dry run: nothing was removed. Run again with --apply to remove these.")
    return 0
