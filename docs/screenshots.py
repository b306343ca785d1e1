"""The guide's screenshots, taken from the app itself so they never go stale.

``make docs`` runs this before building the site: each shot builds a project from the demo's
novel (the corpus, or the built-in excerpt), starts the real app with ``App.run_test()`` at a
fixed terminal size, drives it with the keys a writer would press, and saves the screen as
SVG in ``docs/images/``. Run it alone with ``python docs/screenshots.py [NAME ...]``.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen

from writers_factory.ai.runner import confirmation_text
from writers_factory.demo.corpus import default_folders
from writers_factory.demo.tour import build, log_costs, write_session
from writers_factory.store.manuscript.buffers import text_sha256
from writers_factory.store.manuscript.journal import Journal
from writers_factory.tui.app import WritersFactoryApp
from writers_factory.tui.screens.analysis_view import AnalysisScreen
from writers_factory.tui.screens.bible_ask import BibleAskScreen
from writers_factory.tui.screens.cost_confirm import CostConfirmScreen
from writers_factory.tui.screens.model_picker import ModelPickerScreen
from writers_factory.tui.screens.recovery import RecoveryScreen
from writers_factory.tui.screens.second_instance import SecondInstanceScreen
from writers_factory.tui.screens.statistics import StatisticsScreen
from writers_factory.tui.widgets.status_bar import StatusBar

IMAGES = Path(__file__).parent / "images"
SIZE = (110, 34)
TALL = (110, 50)
"""The statistics screen lists thirty days: tall enough to show today's."""
CHAPTER = "manuscript/chapter-002.md"
FROZEN = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
TIMEOUT = 60.0

Prepare = Callable[[Pilot[Any], Path], Awaitable[None]]

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")
GENERATOR = re.compile(r"\s*<!-- Generated with [^>]*-->")


def offline_svg(svg: str) -> str:
    """The picture as a page may show it with no connection: the web fonts the export names
    (fetched by the reader's browser) and its generator comment go; the reader's own
    monospace font draws the text."""
    svg = GENERATOR.sub("", FONT_FACE.sub("", svg))
    svg = re.sub(r"font-family: [^;]*monospace;", "font-family: ui-monospace, monospace;", svg)
    return svg.replace("font-family: arial;", "font-family: sans-serif;")


async def until(pilot: Pilot[Any], condition: Callable[[], object]) -> None:
    """Let the app run until ``condition()`` holds: wait on conditions, never on time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("the app never reached the state this screenshot shows")
        await pilot.pause(0.05)


async def shown(pilot: Pilot[Any], screen_type: type[Screen[Any]]) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, screen_type) and bool(app.screen.region))
    await pilot.pause()


async def started(pilot: Pilot[Any]) -> WritersFactoryApp:
    app = pilot.app
    assert isinstance(app, WritersFactoryApp)
    await asyncio.wait_for(app.ready.wait(), TIMEOUT)
    await until(pilot, lambda: len(app.project_tree.root.children) > 0)
    bar = app.query_one(StatusBar)
    bar.clock = lambda: FROZEN  # "Auto-saved just now", however slow the machine
    bar.mark_saved(FROZEN)
    return app


async def show_chapters(pilot: Pilot[Any], app: WritersFactoryApp) -> None:
    """Unfold ``manuscript/`` in the project tree and wait for its chapters to be listed."""
    tree = app.project_tree
    folder = next(
        node
        for node in tree.root.children
        if node.data is not None and Path(node.data.path).name == "manuscript"
    )
    folder.expand()
    await until(pilot, lambda: len(folder.children) > 0)


async def open_chapter(pilot: Pilot[Any], project: Path) -> WritersFactoryApp:
    app = await started(pilot)
    await app.open_path(project / CHAPTER)
    area = app.editor.active
    assert area is not None
    area.cursor_blink = False
    area.move_cursor((0, 0))  # the chapter from its title, not from the restored cursor
    area.scroll_home(animate=False)
    await show_chapters(pilot, app)
    await pilot.press("f2")
    await until(pilot, lambda: app.stage_id == "writing")
    await pilot.pause()
    return app


async def workspace(pilot: Pilot[Any], project: Path) -> None:
    await open_chapter(pilot, project)


WORDS = (1_240, 0, 860, 1_510, 430, 0, 0, 2_050, 1_120, 980, 0, 1_760, 640, 1_330)
"""Words written on each of the last fourteen days, oldest first, for the statistics shot."""


def past_sessions(project: Path) -> None:
    """A fortnight of writing sessions in the history, as the app would have recorded them."""
    from datetime import timedelta

    from writers_factory.store import SessionHistory

    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    for back, words in zip(range(len(WORDS), 0, -1), WORDS, strict=True):
        if not words:
            continue
        start = today - timedelta(days=back)
        moment = [start]

        def clock(moment: list[datetime] = moment) -> datetime:
            return moment[0]

        history = SessionHistory(project / ".session", clock=clock)
        history.begin(f"{start:%Y%m%dT%H%M%S}-past", start)
        for minute in range(2, 131, 2):  # a writer active every couple of minutes
            moment[0] = start + timedelta(minutes=minute)
            if minute % 40 == 0:
                history.record_words(words // 3 + (words % 3 if minute == 40 else 0), words // 20)
            else:
                history.record_activity(moment[0])
        history.end(start + timedelta(hours=2, minutes=10))
        history.save_sync()


async def statistics(pilot: Pilot[Any], project: Path) -> None:
    await open_chapter(pilot, project)
    await pilot.press("f10")
    await shown(pilot, StatisticsScreen)


async def models(pilot: Pilot[Any], project: Path) -> None:
    await open_chapter(pilot, project)
    await pilot.press("f6")
    await shown(pilot, ModelPickerScreen)


async def bible(pilot: Pilot[Any], project: Path) -> None:
    await open_chapter(pilot, project)
    await pilot.press("f7")
    await shown(pilot, BibleAskScreen)


async def palette(pilot: Pilot[Any], project: Path) -> None:
    app = await open_chapter(pilot, project)
    await pilot.press("ctrl+p")
    await shown(pilot, CommandPalette)
    await until(pilot, lambda: app.screen.focused is not None)
    await pilot.press(*"AI: ")
    await until(pilot, lambda: len(app.screen.query(CommandList)) > 0)
    commands = app.screen.query_one(CommandList)
    await until(pilot, lambda: commands.option_count > 3)
    await pilot.pause()


async def analysis(pilot: Pilot[Any], project: Path) -> None:
    app = await open_chapter(pilot, project)
    await pilot.press("f9")
    await shown(pilot, AnalysisScreen)
    screen = app.screen
    await until(pilot, lambda: getattr(screen, "results", None) is not None)
    await pilot.pause()


async def cost_confirm(pilot: Pilot[Any], project: Path) -> None:
    app = await open_chapter(pilot, project)
    question = confirmation_text("anthropic:claude-sonnet-4-5", Decimal("0.13"), 27_666)
    app.push_screen(CostConfirmScreen(question, None))
    await shown(pilot, CostConfirmScreen)


CRASH = """
import os, signal, sys
from writers_factory.store import Session
s = Session(sys.argv[1])
s.set_stage("writing")
s.open_file(sys.argv[2], 3, 0)
s.save_sync()
os.kill(os.getpid(), signal.SIGKILL)
"""

UNSAVED = "\nShe read the letter twice before she dared to believe it.\n"


def crashed(project: Path) -> None:
    """A real writer process killed by SIGKILL, its unsaved words left in the journal."""
    done = subprocess.run([sys.executable, "-c", CRASH, str(project), CHAPTER], check=False)
    assert done.returncode == -9, done
    on_disk = (project / CHAPTER).read_text(encoding="utf-8")
    Journal(project).write(project / CHAPTER, on_disk + UNSAVED, text_sha256(on_disk))


async def recovery(pilot: Pilot[Any], project: Path) -> None:
    await shown(pilot, RecoveryScreen)


async def second_instance(pilot: Pilot[Any], project: Path) -> None:
    await shown(pilot, SecondInstanceScreen)


HOLDER = """
import sys
from writers_factory.store import Session
s = Session(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
s.close_sync()
"""

SHOTS: dict[str, Prepare] = {
    "workspace": workspace,
    "statistics": statistics,
    "models": models,
    "analysis": analysis,
    "bible": bible,
    "palette": palette,
    "cost-confirm": cost_confirm,
    "recovery": recovery,
    "second-instance": second_instance,
}


def make_project(folder: Path) -> Path:
    project = folder / "pride-and-prejudice"
    build(project, default_folders())
    asyncio.run(write_session(project))
    asyncio.run(log_costs(project))
    return project


async def shoot(name: str, project: Path, user_themes: Path) -> Path:
    app = WritersFactoryApp(project, user_themes=user_themes)
    async with app.run_test(size=TALL if name == "statistics" else SIZE) as pilot:
        await SHOTS[name](pilot, project)
        path = Path(app.save_screenshot(f"{name}.svg", str(IMAGES)))
    path.write_text(offline_svg(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def take(name: str, base: Path) -> Path:
    project = make_project(base / name)
    holder: subprocess.Popen[str] | None = None
    if name == "recovery":
        crashed(project)
    if name == "statistics":
        past_sessions(project)
    if name == "second-instance":
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(project)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    try:
        return asyncio.run(shoot(name, project, base / "themes"))
    finally:
        if holder is not None:
            holder.communicate("", timeout=TIMEOUT)


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        print(f"no such screenshot: {', '.join(unknown)} (known: {', '.join(SHOTS)})")
        return 2
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wf-screens-") as tmp:
        for name in names or list(SHOTS):
            path = take(name, Path(tmp))
            print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
