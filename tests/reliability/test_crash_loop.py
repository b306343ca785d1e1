"""The crash loop: kill -9 a process that writes everything the app writes, again and again.

Each round a real child (``child.py``, workload ``everything``) opens the project through the
public store API and, in turn, saves the session state, logs a cost operation, journals a
draft and saves a chapter, acknowledging each in its own fsynced ack file once the call
returned. It is killed with SIGKILL at a random moment: half the rounds early (while it
opens the project or makes its first writes), half after at least one write of each kind.
After every kill:

* every file in ``.session`` parses, and loads through the store's own loaders (session,
  costs, journal) with no problem; nothing is set aside;
* nothing acknowledged is missing: the session state, the journal entry and the chapter hold
  the last acknowledged write or the one in flight, and every cost operation ever
  acknowledged, in any round, is on disk exactly once.

(``verify`` is not asked: it rightly reports ``costs.json`` one operation behind its chunk
after a kill between the two writes, which the tracker's next start repairs.)

A round that finds something wrong is counted and the loop goes on, so the report says how
many of all the rounds failed and how many acknowledged writes were lost. ``WF_CRASH_ROUNDS``
sets the number of rounds (10 in ``make test``, 500 in ``make reliability``);
``WF_CRASH_SEED`` the random moments.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.child import CHAPTER, DRAFT, chapter_text, draft_text
from tests.reliability.harness import Child, zygote
from tests.reliability.tally import record
from writers_factory.project import create_project
from writers_factory.store import CostTracker, Session
from writers_factory.store.base.serialisers import loads
from writers_factory.store.manuscript.journal import Journal

ROUNDS = int(os.environ.get("WF_CRASH_ROUNDS", "10"))
SEED = int(os.environ.get("WF_CRASH_SEED", "20261201"))


@dataclass
class Disk:
    """What the project held after the previous round (already found acceptable)."""

    session: tuple[str, int] | None = None
    journal: str | None = None
    chapter: str = ""
    costs: set[str] = field(default_factory=set)
    """Every cost operation acknowledged in any round so far."""


@dataclass
class Found:
    problems: list[str] = field(default_factory=list)
    lost: int = 0

    def loss(self, what: str) -> None:
        self.lost += 1
        self.problems.append(what)


def numbered(acks: list[str], kind: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in acks if line.startswith(f"{kind} ")]


def expect(
    found: Found,
    what: str,
    actual: object,
    last: int,
    before: object,
    make: Callable[[int], object],
) -> None:
    """``actual`` is the write numbered ``last`` or the one in flight (``last + 1``); with
    nothing acknowledged this round, what the previous round left, or this round's first."""
    allowed = [make(last), make(last + 1)] if last else [before, make(1)]
    if actual not in allowed:
        found.loss(f"{what}: found {actual!r:.80}, expected one of {allowed!r:.160}")


def check_round(project: Path, tag: str, child: Child, disk: Disk) -> Found:
    found = Found()
    acks = child.acks()
    root = project / ".session"
    for path in sorted(root.rglob("*.json")):  # parses: nothing torn
        try:
            loads(path.read_bytes())
        except Exception as exc:
            found.problems.append(f"{path.relative_to(project)} does not parse: {exc}")
    if (root / "corrupt").exists():
        set_aside = sorted(p.name for p in (root / "corrupt").iterdir())
        found.problems.append(f"files were set aside as corrupt: {set_aside}")

    session = Session(project, read_only=True)
    found.problems += [f"session: {p.describe()}" for p in session.problems]
    crumb = session.data.current_state.breadcrumb
    state = (crumb[1], int(crumb[2].removeprefix("step-"))) if len(crumb) == 3 else None
    steps = [int(n) for n in numbered(acks, "session")]
    expect(
        found,
        "current.json",
        state,
        steps[-1] if steps else 0,
        disk.session,
        lambda i: (tag, i),
    )
    disk.session = state

    tracker = CostTracker(root, read_only=True)
    found.problems += [f"costs: {p.describe()}" for p in tracker.problems]
    counts = tracker.operations_by_type(None)
    disk.costs.update(numbered(acks, "cost"))
    for name in sorted(disk.costs):
        if counts.get(name, 0) == 0:
            found.loss(f"cost operation {name} was acknowledged, and is not on disk")
        elif counts[name] > 1:
            found.problems.append(f"cost operation {name} is on disk {counts[name]} times")

    journal = Journal(project)
    _entries, unreadable = journal.entries()
    found.problems += [f"journal: {p.describe()}" for p in unreadable]
    entry = journal.get(Path(DRAFT))
    drafts = [int(n) for n in numbered(acks, "journal")]
    expect(
        found,
        "the journal entry",
        None if entry is None else entry.text,
        drafts[-1] if drafts else 0,
        disk.journal,
        lambda i: draft_text(tag, i),
    )
    disk.journal = None if entry is None else entry.text

    chapter = (project / CHAPTER).read_text(encoding="utf-8")
    saves = [int(n) for n in numbered(acks, "save")]
    expect(
        found,
        CHAPTER,
        chapter,
        saves[-1] if saves else 0,
        disk.chapter,
        lambda i: chapter_text(tag, i),
    )
    disk.chapter = chapter

    return found


def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    project = create_project(tmp_path / "novel", "Novel", sample=True)
    (project / DRAFT).write_text("# Chapter two\n", encoding="utf-8")
    disk = Disk(chapter=(project / CHAPTER).read_text(encoding="utf-8"))
    acks = tmp_path / "acks"
    acks.mkdir()
    failures: list[str] = []
    lost = 0
    with zygote() as children:
        for n in range(ROUNDS):
            tag = f"r{n}"
            child = children.spawn("everything", project, acks / f"{tag}.txt", tag)
            if n % 2:
                child.wait_for("a write of each kind", lambda a: any(x[:5] == "save " for x in a))
                time.sleep(rng.uniform(0.0, 0.25))
            else:
                time.sleep(rng.uniform(0.0, 0.1))  # while it opens the project, or just after
            child.kill()
            found = check_round(project, tag, child, disk)
            record(failed=int(bool(found.problems)), lost=found.lost)
            lost += found.lost
            if found.problems:
                failures.append(f"round {n}: " + "; ".join(found.problems))
    assert disk.costs, "no cost operation was ever acknowledged: the rounds proved nothing"
    assert not failures, (
        f"{len(failures)} of {ROUNDS} rounds broke a promise ({lost} acknowledged writes lost):\n"
        + "\n".join(failures[:10])
    )
