"""One pass over the book for the stage screens: progress, characters, scores, AI scores."""

from __future__ import annotations

from pathlib import Path

from writers_factory.ai.analysis.book import bible_characters, measure_book
from writers_factory.ai.workflows import StepRecord, WorkflowRecord, save_workflow_sync
from writers_factory.core.analysis.ai_score import score_from_answer
from writers_factory.core.analysis.characters import character_names, mentions, name_variants


def test_names_count_by_any_word_that_names_them() -> None:
    assert character_names("# C\n## Mr. Darcy\ntext\n## Jane\n## Jane\n") == ["Mr. Darcy", "Jane"]
    assert name_variants("Mr. Darcy") == ["Mr Darcy", "Darcy"]
    text = "Mr. Darcy bowed. Darcy! Elizabeth Bennet and Elizabeth; Bennets."
    assert mentions(text, ["Mr. Darcy", "Elizabeth Bennet"]) == {
        "Mr. Darcy": 2,
        "Elizabeth Bennet": 2,  # the full name once, the first name once; never "Bennets"
    }


def test_an_ai_answer_gives_its_overall_score() -> None:
    assert score_from_answer("Prose: 8/10\nPacing 6/10\n**Overall: 7 / 10**") == 70.0
    assert score_from_answer("Score: 68 out of 100") == 68.0
    assert score_from_answer("11/10 would read again") is None
    assert score_from_answer("No numbers.") is None


def test_a_long_book_reports_progress_and_is_measured_once(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    manuscript.mkdir()
    for n in range(1, 366):
        body = f"# Day {n}\n\nElizabeth walked. Mr. Darcy did not. She said, “Well.”\n"
        (manuscript / f"chapter-{n}.md").write_text(body, encoding="utf-8")
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "characters.md").write_text(
        "# Characters\n\n## Elizabeth Bennet\n\n## Mr. Darcy\n", encoding="utf-8"
    )
    (tmp_path / "reference" / "places.md").write_text("## Pemberley\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    measures = measure_book(tmp_path, scores=True, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (365, 365)
    assert 10 <= len(seen) <= 60, "a few dozen reports, not one per chapter"
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(measures.report.chapters) == 365
    assert measures.report.chapters[1].path == "chapter-2.md", "natural order"
    assert bible_characters(tmp_path) == ["Elizabeth Bennet", "Mr. Darcy"]
    assert measures.mentions["manuscript/chapter-10.md"] == {"Elizabeth Bennet": 1, "Mr. Darcy": 1}
    assert len(measures.scores) == 365 and measures.ai_scores == {}


def test_ai_scores_come_from_finished_workflows_on_known_chapters(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "one.md").write_text("# One\n\nText here.\n", encoding="utf-8")

    def record(wid: str, path: str, answer: str, status: str = "finished") -> None:
        step = StepRecord(name="score", operation="score", status="finished", output=answer)
        save_workflow_sync(
            tmp_path / ".session",
            WorkflowRecord(
                id=wid,
                kind="enhance_chapter",
                title="t",
                model="m:m",
                status=status,  # type: ignore[arg-type]
                inputs={"path": path},
                steps=[step],
            ),
        )

    record("a", "manuscript/one.md", "Overall 6/10")
    record("b", "../outside.md", "Overall 9/10")  # not a chapter: passed over, never opened
    record("c", "manuscript/one.md", "Overall 9/10", status="running")
    (tmp_path / ".session" / "workflows" / "broken.json").write_text("{", encoding="utf-8")
    measures = measure_book(tmp_path, scores=True)
    assert measures.ai_scores == {"manuscript/one.md": 60.0}


def test_a_co_authors_score_is_the_books(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "two.md").write_text("# Two\n\nText here.\n", encoding="utf-8")
    step = StepRecord(name="score", operation="score", status="finished", output="Overall 7/10")
    save_workflow_sync(
        tmp_path / ".session" / "authors" / "Ann",
        WorkflowRecord(
            id="ann",
            kind="enhance_chapter",
            title="t",
            model="m:m",
            status="finished",
            inputs={"path": "manuscript/two.md"},
            steps=[step],
        ),
    )
    assert measure_book(tmp_path, scores=True).ai_scores == {"manuscript/two.md": 70.0}
