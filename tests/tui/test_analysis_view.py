"""Local analysis and local scoring in the real app: free, offline, tables and a chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.tui.conftest import SIZE, ready_screen, started, wait_until
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.analysis_view import AnalysisScreen, chart_text

CHAPTERS = {
    "chapter-02.md": '# Storm\n\n"Get down!" she shouted. "Now!" He ran. The sea rose.\n',
    "chapter-10.md": "# Calm\n\n"
    + (
        "The long evening settled over the harbour slowly, and the keeper, who had "
        "watched the water for most of his life, considered the quiet ships at anchor. "
    )
    * 3,
}


def add_chapters(project: Path) -> None:
    for name, text in CHAPTERS.items():
        (project / "manuscript" / name).write_text(text, encoding="utf-8")


def rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_analysis(app: WritersFactoryApp, pilot: Pilot[Any], key: str) -> AnalysisScreen:
    screen = app.screen
    assert isinstance(screen, AnalysisScreen)
    await wait_until(pilot, lambda: screen.results is not None)
    return screen


async def test_f9_shows_every_chapter_in_tables_and_chart(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    add_chapters(project)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await started(pilot)
        await pilot.press("f9")
        await ready_screen(pilot, AnalysisScreen)
        screen = await open_analysis(app, pilot, "f9")
        status = str(screen.query_one("#an-status", Static).content)
        assert status.startswith("3 chapters · ")
        chapters = rows(screen.query_one("#an-chapters", DataTable))
        # natural order: chapter-02 before chapter-10; titles from the headings
        assert [row[1] for row in chapters] == ["The Lighthouse", "Storm", "Calm"]
        assert [row[0] for row in chapters] == ["1", "2", "3"]
        chart = str(screen.query_one("#an-chart", Static).content).splitlines()
        assert len(chart) == 3
        longest = max(chart, key=lambda line: line.count("█"))
        assert longest.startswith("Calm") and longest.count("█") == 36
        summary = dict(rows(screen.query_one("#an-summary", DataTable)))
        assert summary["Chapters"] == "3"

        await pilot.press("d")  # chart the dialogue share instead
        chart = str(screen.query_one("#an-chart", Static).content).splitlines()
        assert chart[1].startswith("Storm") and chart[1].endswith("%")
        storm = chart[1].count("█")
        assert storm == 36 and chart[2].count("█") == 0  # only Storm has dialogue
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, AnalysisScreen))


async def test_local_score_scores_each_chapter_without_a_provider(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    add_chapters(project)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await started(pilot)
        app.action_ai("local_score")
        await ready_screen(pilot, AnalysisScreen)
        screen = await open_analysis(app, pilot, "score")
        scores = rows(screen.query_one("#an-scores", DataTable))
        assert [row[0] for row in scores] == ["The Lighthouse", "Storm", "Calm"]
        assert all(row[1].endswith(" / 100") for row in scores)
        assert len(scores[0]) == 2 + 4  # four components, each as points


async def test_new_chapter_appears_after_measuring_again(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("f9")
        await ready_screen(pilot, AnalysisScreen)
        screen = await open_analysis(app, pilot, "f9")
        assert screen.query_one("#an-chapters", DataTable).row_count == 1
        add_chapters(project)
        screen.results = None
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.results is not None)
        assert screen.query_one("#an-chapters", DataTable).row_count == 3


async def test_tables_lay_out_every_chapter_of_a_long_book(
    make_app: Callable[[], WritersFactoryApp], project: Path
) -> None:
    """A 61-chapter book: the chapter and score tables once stopped at row 23 (a height cap),
    the rest hidden inside them; every row is laid out now, the screen scrolls."""
    for n in range(2, 62):
        text = f"# Part {n}\n\nShe walked. He ran. The sea rose over the harbour wall.\n"
        (project / "manuscript" / f"chapter-{n:02d}.md").write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.action_ai("local_score")
        await ready_screen(pilot, AnalysisScreen)
        screen = await open_analysis(app, pilot, "score")
        await pilot.pause()
        for name in ("#an-chapters", "#an-scores"):
            table = screen.query_one(name, DataTable)
            assert table.row_count == 61
            await wait_until(pilot, lambda t=table: t.size.height >= 62)  # header + 61 rows
            assert table.max_scroll_y == 0, "no row hidden inside the table"


def test_chart_draws_negative_values_apart() -> None:
    text = chart_text([("Fast", 1.5), ("Slow", -0.75)], "pace_index", width=10).plain
    fast, slow = text.splitlines()
    assert fast.count("█") == 10 and fast.endswith("+1.50")
    assert slow.count("░") == 5 and slow.endswith("-0.75")
    assert chart_text([], "words").plain == "No chapters in manuscript/ yet."
