"""The tree's word counts wait for start-up's end, then come in one pass, a batch at a time.

Counting every chapter (a whole novel: hundreds of files, a third of a second of the
interpreter) and listing the chapters for the outline card ran in threads while the reopened
chapter was laid out and painted for the first time, slowing it. Now nothing is read to be
counted, nor listed for the card, before the chapter is painted; the tree lists its folders at
once and shows every chapter's and part's words once start-up is over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.patience import PATIENCE
from tests.tui.conftest import SIZE, started
from writers_factory.core.wordcount import count_words
from writers_factory.store.session.session import Session
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.widgets.outline_card import MIN_WIDTH, OutlineCard
from writers_factory.tui.widgets.tree_counts import BATCH, HeldCounts

CHAPTERS = 40
WIDE = (MIN_WIDTH + 10, SIZE[1])
"""Wide enough for the outline card."""


def chapters_and_a_part(project: Path) -> list[Path]:
    """``CHAPTERS`` more chapters and a part of two scenes; the first chapter open, in
    Writing."""
    folder = project / "manuscript"
    for n in range(2, CHAPTERS + 2):
        (folder / f"chapter-{n:02}.md").write_text(f"# Chapter {n}\n\n" + "word " * n + "\n")
    (folder / "part-two").mkdir()
    (folder / "part-two" / "scene-a.md").write_text("one two three four\n")
    (folder / "part-two" / "scene-b.md").write_text("five\n")
    session = Session(project)
    session.open_file("manuscript/chapter-01.md", 2, 0)
    session.set_stage("writing")  # the outline card shows beside the chapter
    session.close_sync()
    return sorted(folder.glob("chapter-*.md"))


async def test_words_are_counted_after_the_first_paint_and_shown_once_start_up_is_over(
    make_app: Callable[[], WritersFactoryApp], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from writers_factory.store.manuscript import order
    from writers_factory.tui.widgets import project_tree

    chapters = chapters_and_a_part(project)
    counted: list[Path] = []
    cards: list[Path] = []
    relabels: list[int] = []
    of_file, chapter_files = project_tree.WordCounts.of_file, order.chapter_files
    relabel = project_tree.ProjectTree._relabel

    def counting(self: Any, path: Path) -> int | None:
        counted.append(path)
        return of_file(self, path)

    def listing(folder: Path) -> list[Path]:
        cards.append(folder)
        return chapter_files(folder)

    def relabelling(self: Any, paths: set[Path]) -> None:
        relabels.append(len(paths))
        relabel(self, paths)

    monkeypatch.setattr(project_tree.WordCounts, "of_file", counting)
    monkeypatch.setattr(order, "chapter_files", listing)
    monkeypatch.setattr(project_tree.ProjectTree, "_relabel", relabelling)
    app = make_app()
    after_restore = app.after_restore
    before_paint: dict[str, int] = {}

    def listed_and_read() -> bool:
        """manuscript/ listed in the tree, the outline card's read (if any) over."""
        tree = app.project_tree
        folder = next((n for n in tree.root.children if n.label.plain == "manuscript"), None)
        card = any(w.group == "outline-card" and not w.is_finished for w in app.workers)
        return folder is not None and len(folder.children) == CHAPTERS + 2 and not card

    async def restored_and_listed() -> None:
        """The restore is over, the chapter not painted yet: the tree lists manuscript/
        (revealing the open chapter) meanwhile; what has been read by then?"""
        await after_restore()
        deadline = asyncio.get_running_loop().time() + PATIENCE
        while not listed_and_read():
            assert asyncio.get_running_loop().time() < deadline, "manuscript/ never listed"
            await asyncio.sleep(0.01)
        before_paint.update(counted=len(counted), card=len(cards))

    monkeypatch.setattr(app, "after_restore", restored_and_listed)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert not app.first_paint.held
        assert before_paint == {"counted": 0, "card": 0}, "nothing read before the first paint"
        tree = app.project_tree
        manuscript = (project / "manuscript").resolve()
        for chapter in chapters:
            expected = count_words(chapter.read_text())
            assert tree.counts.shown(chapter.resolve()) == expected, chapter.name
        assert tree.counts.shown(manuscript / "part-two") == 5, "a part shows its total"
        assert len(counted) >= len(chapters) + 2
        assert sum(relabels) >= len(chapters) + 1
        assert len(relabels) <= -(-(len(chapters) + 1) // BATCH), "a batch at a time"
        card = app.query_one(OutlineCard)
        assert card.shown is not None and card.shown.path == Path("manuscript/chapter-01.md")
        assert cards, "listed for the card"

        # a chapter saved from now on is counted again, with its part
        scene = project / "manuscript" / "part-two" / "scene-b.md"
        scene.write_text("five six seven\n")
        tree.recount([scene])
        await pilot.pause()
        deadline = asyncio.get_running_loop().time() + PATIENCE
        while tree.counts.shown(manuscript / "part-two") != 7:
            assert asyncio.get_running_loop().time() < deadline, "the part was not recounted"
            await pilot.pause(0.02)


def test_held_counts_wait_to_be_told_then_are_taken_in_order_until_free() -> None:
    held = HeldCounts()
    one, two, part, three = Path("one.md"), Path("two.md"), Path("part"), Path("three.md")
    assert held.hold([(one, False), (two, False)]), "nothing counted before being told"
    assert held.hold([(part, True)])
    assert not held.free
    assert held.tell()
    assert not held.tell(), "one pass"
    assert held.take(2) == [(one, False), (two, False)]
    assert held.hold([(three, False), (one, False)]), "a listing during the pass joins it"
    assert held.take(5) == [(part, True), (three, False), (one, False)]
    assert not held.free
    assert held.take(5) == []
    assert held.free
    assert not held.hold([(two, False)]), "once free, a listing counts for itself"
    assert held.take(5) == []


def test_held_counts_a_stopped_pass_frees_the_listings() -> None:
    held = HeldCounts()
    held.hold([(Path("one.md"), False)])
    held.tell()
    held.release()
    assert held.free
    assert not held.hold([(Path("two.md"), False)])
