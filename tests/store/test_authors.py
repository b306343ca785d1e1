"""Co-authors of one project folder: names, the per-author layout, the move of a single
writer's files to the first author, and two authors' records kept apart and added up.

The writers are real processes (``authors_child.py``) run one after the other, as two people
opening the folder would; the synced copy is two real folders with files copied between
them, as a sync tool would; the interrupted move is a real ``kill -9``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.holding import held_open
from writers_factory.cli import main
from writers_factory.core.authors import (
    AUTHOR_ENV,
    InvalidAuthorError,
    check_author,
    resolve_author,
)
from writers_factory.project import create_project
from writers_factory.store.audit.log import AuditLog
from writers_factory.store.authors.migrate import MARKER, migrate_to_author
from writers_factory.store.backups.project import store_for
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.history.history import SessionHistory
from writers_factory.store.preferences.models import PreferencesData
from writers_factory.store.session import lock as locks
from writers_factory.store.session.session import Session
from writers_factory.store.verify import verify

CHILD = Path(__file__).with_name("authors_child.py")
SINGLE_WRITER = ("current.json", "history.json", "costs.json", "costs", "journal", "prev")


def run_writer(project: Path, author: str | None, words: int, tokens: int, *extra: str) -> int:
    done = subprocess.run(
        [sys.executable, str(CHILD), str(project), author or "-", str(words), str(tokens), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, -9), done.stderr
    return done.returncode


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("ann/bob", "path separator"),
        ("ann\\bob", "path separator"),
        ("..", "'..'"),
        ("a..b", "'..'"),
        (".hidden", "starts with '.'"),
        ("tab\there", "control character U+0009"),
        ("bell\x07", "control character U+0007"),
        ("x" * 65, "65 characters long"),
        ("CON", "device name"),
        ("what?", "'?'"),
    ],
)
def test_an_unsafe_author_name_is_refused_saying_which_rule(name: str, reason: str) -> None:
    with pytest.raises(InvalidAuthorError) as caught:
        check_author(name, source="--author")
    assert reason in str(caught.value) and "--author" in str(caught.value)


def test_a_name_is_trimmed_and_composed_so_both_systems_name_one_folder() -> None:
    assert check_author("  Jane Austen ") == "Jane Austen"
    assert check_author("Zoe\u0301") == "Zo\u00e9"  # decomposed é, as some systems write it


def test_the_command_line_wins_over_the_environment_which_wins_over_settings() -> None:
    env = {AUTHOR_ENV: "Env"}
    assert resolve_author("Cli", env, "Settings") == "Cli"
    assert resolve_author(None, env, "Settings") == "Env"
    assert resolve_author(None, {}, "Settings") == "Settings"
    assert resolve_author(None, {AUTHOR_ENV: ""}, None) is None  # VAR= clears it
    assert resolve_author(None, {}) is None
    with pytest.raises(InvalidAuthorError, match=AUTHOR_ENV):
        resolve_author(None, {AUTHOR_ENV: "../up"})


def test_an_author_store_uses_the_projects_one_lock_and_trash() -> None:
    paths = SessionPaths.for_project(Path("/p"), "Ann")
    assert paths.root == Path("/p/.session/authors/Ann")
    assert paths.current == Path("/p/.session/authors/Ann/current.json")
    assert paths.journal == Path("/p/.session/authors/Ann/journal")
    assert paths.lock == Path("/p/.session/lock.json")
    assert paths.trash == Path("/p/.session/trash")
    assert paths.project == Path("/p")
    assert paths.author == "Ann"
    # a store built from the author's folder alone (CostTracker(root), ...) finds the same
    assert SessionPaths(paths.root).lock == paths.lock
    with pytest.raises(InvalidAuthorError):
        SessionPaths.for_project(Path("/p"), "../../etc")  # whoever passes it
    solo = SessionPaths.for_project(Path("/p"))
    assert (solo.root, solo.lock, solo.author) == (
        Path("/p/.session"),
        Path("/p/.session/lock.json"),
        None,
    )


# --------------------------------------------------------------- two authors, one folder
@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder (backups) of the module's shared project: built before the per-test
    one exists, so it gets its own (never the real one)."""
    return tmp_path_factory.mktemp("shared-data-home")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, shared_home: Path) -> Path:
    """One folder: a single writer first, then Ann (the move), then Bob; each its own process."""
    project = create_project(tmp_path_factory.mktemp("shared") / "book", "Book")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_DATA_HOME", str(shared_home))
        run_writer(project, None, 100, 1000)
        run_writer(project, "Ann", 200, 2000)
        run_writer(project, "Bob", 300, 3000)
    return project


def test_the_first_author_takes_the_single_writers_files_after_a_backup(
    shared: Path, shared_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(shared_home))
    session = shared / ".session"
    assert not any((session / name).exists() for name in SINGLE_WRITER)
    assert not (session / MARKER).exists()
    ann = SessionHistory(session / "authors" / "Ann", read_only=True)
    assert len(ann.sessions) == 2  # the single writer's session, and Ann's own
    assert len(SessionHistory(session / "authors" / "Bob", read_only=True).sessions) == 1
    backups = [e for e in store_for(shared).entries() if e.backup_id.endswith("before-authors")]
    assert len(backups) == 1
    moved = [r for r in AuditLog(session).read()[0] if r.kind == "migration"]
    assert len(moved) == 1 and moved[0].to == ".session/authors/Ann/"
    assert backups[0].backup_id in moved[0].trigger
    # the backup holds the single writer's files as they were
    import zipfile

    with zipfile.ZipFile(backups[0].archive) as archive:
        names = set(archive.namelist())
    assert "project/.session/current.json" in names
    assert "project/.session/costs.json" in names


def test_two_authors_keep_their_own_files_and_the_project_adds_them_up(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    per = cli_json(capsys, "session", "costs", "--project", str(shared), "--by-author")
    ann, bob = per["authors"]["Ann"], per["authors"]["Bob"]
    assert (ann["operations_count"], bob["operations_count"]) == (2, 1)
    total = Decimal(per["total"]["total"])
    assert total == Decimal(ann["total"]) + Decimal(bob["total"]) > 0
    assert per["total"]["operations_count"] == 3
    plain = cli_json(capsys, "session", "costs", "--project", str(shared))
    assert Decimal(plain["total"]) == total and plain["operations_count"] == 3
    only_bob = cli_json(capsys, "session", "costs", "--project", str(shared), "--author", "Bob")
    assert only_bob["total"] == bob["total"] and only_bob["operations_count"] == 1
    # each author's own preferences, journal and session
    for author, words in (("Ann", 200), ("Bob", 300)):
        prefs = cli_json(
            capsys, "session", "preferences", "--project", str(shared), "--author", author
        )
        assert prefs["preferences"]["daily_word_target"] == words
        root = shared / ".session" / "authors" / author
        journal = sorted(p.name.split(".")[0] for p in (root / "journal").glob("*.json"))
        # Ann took the single writer's unsaved text along with the rest
        assert journal == (
            ["manuscript__Ann", "manuscript__solo"] if author == "Ann" else ["manuscript__Bob"]
        )
        shown = cli_json(capsys, "session", "show", "--project", str(shared), "--author", author)
        assert shown["session"]["open_files"][-1]["path"] == f"manuscript/{author}.md"


def test_statistics_say_who_wrote_what(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    per = cli_json(capsys, "stats", "--project", str(shared), "--by-author")["authors"]
    assert per["Ann"]["words_added"] == 300 and per["Bob"]["words_added"] == 300
    assert sum(per["Ann"]["days"].values()) == 300 and sum(per["Bob"]["days"].values()) == 300
    together = cli_json(capsys, "stats", "--project", str(shared))
    assert together["words_added"] == 600 and together["sessions_count"] == 3
    capsys.readouterr()
    assert main(["stats", "--project", str(shared), "--by-author", "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "date,author,words" and {r.split(",")[1] for r in rows[1:]} == {"Ann", "Bob"}
    assert main(["session", "costs", "--project", str(shared), "--by-author"]) == 0
    table = capsys.readouterr().out
    assert "Ann" in table and "Bob" in table and "all authors" in table


def test_verify_checks_each_authors_files(shared: Path) -> None:
    assert [f.describe() for f in verify(shared) if f.level == "problem"] == []
    bad = shared / ".session" / "authors" / "Bob" / "preferences.json"
    kept = bad.read_bytes()
    try:
        version = PreferencesData.SCHEMA_VERSION
        bad.write_text(f'{{"schema_version": {version}, "daily_word_target": -5}}', "utf-8")
        found = [f for f in verify(shared) if f.level == "problem"]
        assert [f.path for f in found] == [bad] and found[0].field == "daily_word_target"
    finally:
        bad.write_bytes(kept)


def test_an_archive_of_both_authors_merges_into_another_copy_without_doubles(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "session.zip"
    assert main(["session", "export", str(archive), "--project", str(shared)]) == 0
    other = create_project(tmp_path / "copy", "Book")
    for _ in range(2):  # the second import finds everything already there
        capsys.readouterr()
        assert main(["session", "import", str(archive), "--project", str(other), "--json"]) == 0
    per = cli_json(capsys, "session", "costs", "--project", str(other), "--by-author")
    assert per["authors"]["Ann"]["operations_count"] == 2
    assert per["authors"]["Bob"]["operations_count"] == 1
    assert per["total"]["operations_count"] == 3


# ---------------------------------------------------------------------- a synced folder
def test_a_synced_copy_adds_up_and_neither_author_touches_the_others_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ann works in folder 1, Bob in folder 2 (two machines); the sync brings Bob's folder
    into folder 1; Ann writes again there. Bob's files stay byte for byte as he left them."""
    one = create_project(tmp_path / "one" / "book", "Book")
    run_writer(one, "Ann", 200, 2000)
    two = tmp_path / "two" / "book"
    shutil.copytree(one, two)  # the synced folder on the other machine
    run_writer(two, "Bob", 300, 3000)
    ann_in_two = files_of(two / ".session" / "authors" / "Ann")
    assert ann_in_two == files_of(one / ".session" / "authors" / "Ann")  # Bob touched none
    shutil.copytree(two / ".session" / "authors" / "Bob", one / ".session" / "authors" / "Bob")
    shutil.copy2(two / "manuscript" / "Bob.md", one / "manuscript" / "Bob.md")
    bob_synced = files_of(one / ".session" / "authors" / "Bob")
    run_writer(one, "Ann", 50, 500)
    assert files_of(one / ".session" / "authors" / "Bob") == bob_synced
    per = cli_json(capsys, "session", "costs", "--project", str(one), "--by-author")
    assert per["authors"]["Ann"]["operations_count"] == 2
    assert per["authors"]["Bob"]["operations_count"] == 1
    total = Decimal(per["authors"]["Ann"]["total"]) + Decimal(per["authors"]["Bob"]["total"])
    assert Decimal(per["total"]["total"]) == total
    stats = cli_json(capsys, "stats", "--project", str(one), "--by-author")["authors"]
    assert (stats["Ann"]["words_added"], stats["Bob"]["words_added"]) == (250, 300)


# ------------------------------------------------------------------- the interrupted move
def test_a_move_killed_half_way_is_finished_for_the_first_author_by_the_next_run(
    tmp_path: Path,
) -> None:
    project = create_project(tmp_path / "book", "Book")
    run_writer(project, None, 100, 1000)
    solo = files_of(project / ".session")
    code = run_writer(project, "Ann", 200, 2000, "--kill-after-moving", "2")
    assert code == -9  # really killed by SIGKILL, half-way
    session = project / ".session"
    assert (session / MARKER).is_file()
    assert sorted(p.name for p in (session / "authors" / "Ann").iterdir()) == [
        "current.json",
        "history.json",
    ]
    assert (session / "costs.json").is_file()  # not moved yet, still there: nothing lost
    notes = [f for f in verify(project) if f.path.name == MARKER]
    assert notes and notes[0].level == "note"
    # the next run is Bob's: the move still goes to Ann, with no second backup
    run_writer(project, "Bob", 300, 3000)
    assert not (session / MARKER).exists()
    assert not any((session / name).exists() for name in SINGLE_WRITER)
    ann = session / "authors" / "Ann"
    for name in ("costs.json", "current.json", "history.json", "preferences.json"):
        assert (ann / name).read_bytes() == solo[name]  # exactly the single writer's
    # the project keeps its own preferences (what reads them without an author)
    assert (session / "preferences.json").read_bytes() == solo["preferences.json"]
    assert len(SessionHistory(session / "authors" / "Bob", read_only=True).sessions) == 1
    backups = [e for e in store_for(project).entries() if e.backup_id.endswith("before-authors")]
    assert len(backups) == 1
    moves = [r for r in AuditLog(session).read()[0] if r.kind == "migration"]
    assert len(moves) == 1 and "resumed" in moves[0].trigger
    assert migrate_to_author(project, "Cid") is None  # authors are on: nothing moves again


def test_nothing_moves_while_another_process_has_the_project_open(tmp_path: Path) -> None:
    project = create_project(tmp_path / "book", "Book")
    Session(project).close_sync()
    with held_open(project):
        before = files_of(project / ".session")
        assert migrate_to_author(project, "Ann", make_backup=lambda _p: None) is None
        assert files_of(project / ".session") == before
        ann = Session(project, author="Ann")
        assert ann.read_only and ann.other_instance is not None


def test_a_failed_backup_moves_nothing(tmp_path: Path) -> None:
    project = create_project(tmp_path / "book", "Book")
    Session(project).close_sync()
    before = files_of(project / ".session")

    def broken(_project: Path) -> str | None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        migrate_to_author(project, "Ann", make_backup=broken)
    assert files_of(project / ".session") == before
    assert not (project / ".session" / "authors").exists()


# ----------------------------------------------------------------------------- the lock
def test_the_lock_names_the_author_and_another_authors_crash_is_not_mine(tmp_path: Path) -> None:
    project = create_project(tmp_path / "book", "Book")
    ann = Session(project, author="Ann")
    info, _ = locks.read_lock(project / ".session" / "lock.json")
    assert info is not None and info.author == "Ann"
    assert info.describe_owner().startswith("Ann (")
    ann.set_stage("writing")
    ann.save_sync()
    changes = [r for r in AuditLog(project / ".session").read()[0] if r.kind == "stage"]
    assert changes and changes[-1].actor.startswith("Ann (")  # the project's one trail
    # Ann's process dies without closing: her lock stays, stale
    stale = info.model_copy(update={"pid": 2**31 - 2})
    ann._release_os_lock()
    locks.write_lock(project / ".session" / "lock.json", stale)
    bob = Session(project, author="Bob")
    assert not bob.read_only and not bob.was_interrupted()  # Ann's recovery is hers
    bob.close_sync()
    locks.write_lock(project / ".session" / "lock.json", stale)
    again = Session(project, author="Ann")
    assert again.was_interrupted()  # Ann's own run ended badly
    again.close_sync()


def test_the_command_refuses_a_bad_name_and_reads_the_environments(
    shared: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    assert main(["session", "costs", "--project", str(shared), "--author", "../Ann"]) == 2
    assert "path separator" in capsys.readouterr().err
    assert main([str(shared), "--author", ""]) == 2  # opening the app: refused before it starts
    assert "is empty" in capsys.readouterr().err
    assert main(["session", "history", "--project", str(shared)]) == 0
    assert "co-authors (Ann, Bob)" in capsys.readouterr().err  # where the sessions went
    monkeypatch.setenv(AUTHOR_ENV, "Bob")
    from_env = cli_json(capsys, "session", "costs", "--project", str(shared))
    assert from_env["operations_count"] == 1  # Bob's own
    from_cli = cli_json(capsys, "session", "costs", "--project", str(shared), "--author", "Ann")
    assert from_cli["operations_count"] == 2  # --author wins
    # "ann" is Ann's folder: one folder on every system a synced copy may reach
    lower = cli_json(capsys, "session", "costs", "--project", str(shared), "--author", "ann")
    assert lower["operations_count"] == 2


def test_one_authors_conflict_copy_from_two_machines_merges_into_their_folder(
    tmp_path: Path,
) -> None:
    """Ann writes on her desk and her laptop (one synced folder): the syncing tool keeps the
    laptop's cost chunk as a conflict copy in her folder; the merge adds its operation to
    hers, once, and nobody else's files change."""
    from writers_factory.store.costs.tracker import CostTracker
    from writers_factory.store.session_copies import find_session_copies, merge_session_copies

    desk = create_project(tmp_path / "desk" / "book", "Book")
    run_writer(desk, "Ann", 100, 1000)
    run_writer(desk, "Bob", 100, 1000)
    laptop = tmp_path / "laptop" / "book"
    shutil.copytree(desk, laptop)
    run_writer(desk, "Ann", 100, 2000)
    run_writer(laptop, "Ann", 100, 3000)
    chunks = desk / ".session" / "authors" / "Ann" / "costs"
    copy = "ops-000001 (Laptop's conflicted copy 2026-11-30).json"
    shutil.copyfile(
        laptop / ".session" / "authors" / "Ann" / "costs" / "ops-000001.json", chunks / copy
    )
    bob = files_of(desk / ".session" / "authors" / "Bob")
    found = find_session_copies(desk)
    assert [(c.copy, c.kind) for c in found] == [(f"authors/Ann/costs/{copy}", "costs")]
    dry = merge_session_copies(desk)
    assert (dry.operations_added, dry.operations_already_here) == (1, 1)
    done = merge_session_copies(desk, apply=True)
    assert (done.operations_added, done.operations_already_here) == (1, 1)
    ids = [op.id for op in CostTracker(chunks.parent, read_only=True).all_operations()]
    assert len(ids) == len(set(ids)) == 3  # the desk's two and the laptop's one, none twice
    assert not (chunks / copy).exists() and find_session_copies(desk) == []
    assert files_of(desk / ".session" / "authors" / "Bob") == bob


def test_the_user_settings_name_the_author_when_nothing_else_does(
    shared: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from writers_factory.store.preferences.author_setting import settings_path

    monkeypatch.delenv(AUTHOR_ENV, raising=False)
    everyone = cli_json(capsys, "session", "costs", "--project", str(shared))
    settings = settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"schema_version": 1, "author": "Bob"}))
    own = cli_json(capsys, "session", "costs", "--project", str(shared))
    assert own["operations_count"] == 1 < everyone["operations_count"]  # Bob's, from settings
    monkeypatch.setenv(AUTHOR_ENV, "Ann")  # the environment wins over the settings
    assert cli_json(capsys, "session", "costs", "--project", str(shared))["operations_count"] == 2
    settings.write_text(json.dumps({"schema_version": 1, "author": "../Bob"}))
    monkeypatch.delenv(AUTHOR_ENV)
    assert main(["session", "costs", "--project", str(shared)]) == 2
    assert "user settings" in capsys.readouterr().err  # a bad name is refused, named by source
