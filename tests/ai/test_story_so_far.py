"""The story so far from kept chapter summaries: earlier chapters only, in reading order,
the nearest kept when the budget is short, removed or hostile chapters never used."""

from __future__ import annotations

from pathlib import Path

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.story_so_far import choose_summaries, read_story_so_far
from writers_factory.store.manuscript.summaries import keep_summary

SUMMARIES = {
    "manuscript/chapter-10.md": "Ten: the storm breaks.",
    "manuscript/chapter-2.md": "Two: Ada arrives.",
    "manuscript/chapter-9.md": "Nine: the lamp fails.",
    "manuscript/chapter-11.md": "Eleven: later, never sent.",
    "planning/chapter-1.md": "Another folder.",
    "manuscript/chapter-1.md": "   ",
}


def test_earlier_chapters_in_reading_order_within_the_budget() -> None:
    found = choose_summaries(SUMMARIES, "manuscript/chapter-11.md", budget=10_000, count=len)
    assert [name for name, _ in found.documents] == [
        "manuscript/chapter-2.md",
        "manuscript/chapter-9.md",
        "manuscript/chapter-10.md",
    ]
    assert found.left_out == []


def test_a_short_budget_keeps_the_nearest_chapters_and_names_the_rest() -> None:
    one = len("### manuscript/chapter-10.md\n\nTen: the storm breaks.\n")
    found = choose_summaries(SUMMARIES, "manuscript/chapter-11.md", budget=one * 2, count=len)
    assert [name for name, _ in found.documents] == [
        "manuscript/chapter-9.md",
        "manuscript/chapter-10.md",
    ]
    assert found.left_out == [
        f"manuscript/chapter-2.md: summary over the budget of {one * 2} tokens"
    ]


def test_only_chapters_still_there_and_inside_the_project(tmp_path: Path) -> None:
    session = tmp_path / ".session"
    session.mkdir()
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "chapter-01.md").write_text("One.", encoding="utf-8")
    keep_summary(session, "manuscript/chapter-01.md", "Ada arrives.")
    keep_summary(session, "manuscript/chapter-00.md", "A prologue since removed.")
    keep_summary(session, "../manuscript/chapter-00.md", "Outside.")
    chapter = tmp_path / "manuscript" / "chapter-02.md"
    found = read_story_so_far(tmp_path, session, chapter, budget=1000, model=None)
    assert found.documents == [("manuscript/chapter-01.md", "Ada arrives.")]


def test_continue_and_generate_scene_send_the_story_so_far_before_the_text() -> None:
    inputs = {"context": "Ada climbed.", "prompt": "The lamp.", "story_so_far": [("c1", "S.")]}
    for op in ("continue", "generate_scene"):
        prompt = CATALOGUE.operation(op).build_prompt(inputs)
        assert prompt.index("## Earlier chapters, in summary\n\n### c1\n\nS.") < prompt.index(
            "Ada climbed."
        )
        without = CATALOGUE.operation(op).build_prompt({**inputs, "story_so_far": []})
        assert "Earlier chapters" not in without
