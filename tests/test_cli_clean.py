"""``writers-factory session clean``: a dry run by default, never the newest copy of anything."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from writers_factory.cli import main
from writers_factory.project import create_project
from writers_factory.store.backups.project import store_for
from writers_factory.store.base.paths import stamp

OLD = datetime.now(UTC) - timedelta(days=90)


def _put(path: Path, text: str, when: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    made = create_project(tmp_path / "novel", "Novel", sample=True)
    session = made / ".session"
    # trash: chapter-02 deleted twice long ago, chapter-03 once long ago
    _put(session / "trash" / stamp(OLD) / "manuscript" / "chapter-02.md", "v1", OLD)
    later = OLD + timedelta(days=1)
    _put(session / "trash" / stamp(later) / "manuscript" / "chapter-02.md", "v2", later)
    _put(session / "trash" / stamp(OLD - timedelta(days=1)) / "manuscript" / "c3.md", "x", OLD)
    # corrupt: two set-aside copies of current.json, one of costs.json
    for days, name in ((0, "current.json"), (2, "current.json"), (0, "costs.json")):
        moment = OLD + timedelta(days=days)
        _put(session / "corrupt" / f"{name}.{stamp(moment)}.invalid", "{", moment)
    # recovered: one old journal set aside, one recent
    _put(session / "recovered" / stamp(OLD) / "a.json", "{}", OLD)
    now = datetime.now(UTC)
    _put(session / "recovered" / stamp(now) / "a.json", "{}", now)
    return made


def _clean(capsys: pytest.CaptureFixture[str], project: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    assert main(["session", "clean", "--project", str(project), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_dry_run_names_and_apply_removes_only_what_is_not_the_newest_copy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = store_for(project)
    for days in (100, 99, 98, 0):  # thinned: two of three older ones share a week or go
        store.create("manual", now=datetime.now(UTC) - timedelta(days=days))
    before = sorted(str(p) for p in project.rglob("*"))
    dry = _clean(capsys, project)
    assert not dry["applied"]
    assert sorted(str(p) for p in project.rglob("*")) == before  # a dry run touches nothing
    named = {(c["where"], Path(c["path"]).name) for c in dry["would_remove"]}
    assert ("trash", stamp(OLD)) in named  # chapter-02's older copy
    assert ("trash", stamp(OLD + timedelta(days=1))) not in named  # its newest copy
    assert ("trash", stamp(OLD - timedelta(days=1))) not in named  # c3's only copy
    assert ("corrupt", f"current.json.{stamp(OLD)}.invalid") in named
    assert ("corrupt", f"current.json.{stamp(OLD + timedelta(days=2))}.invalid") not in named
    assert ("corrupt", f"costs.json.{stamp(OLD)}.invalid") not in named
    assert ("recovered", stamp(OLD)) in named  # old, and its file has a newer copy
    assert not any(w == "recovered" and n != stamp(OLD) for w, n in named)
    assert any(w == "backups" for w, _ in named)

    done = _clean(capsys, project, "--apply")
    assert done["applied"] and len(done["removed"]) == len(dry["would_remove"])
    for item in done["removed"]:
        assert not Path(item["path"]).exists()
    trash = project / ".session" / "trash"
    assert (trash / stamp(OLD + timedelta(days=1)) / "manuscript" / "chapter-02.md").exists()
    newest = store.entries()[-1]
    assert store.verify(newest).ok
    assert _clean(capsys, project)["would_remove"] == []  # clean twice: nothing more


def test_a_co_authors_set_aside_journals_are_cleaned_too(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = project / ".session" / "authors" / "Ann"
    _put(ann / "recovered" / stamp(OLD) / "a.json", "{}", OLD)
    now = datetime.now(UTC)
    _put(ann / "recovered" / stamp(now) / "a.json", "{}", now)
    named = {Path(c["path"]) for c in _clean(capsys, project)["would_remove"]}
    assert ann / "recovered" / stamp(OLD) in named
    assert ann / "recovered" / stamp(now) not in named  # the newest copy stays
