"""Child processes of the benches: each starts one app, measures, prints one JSON line.

Run as ``python -m bench.probe MODE ARGS``. Only the standard library is imported before
the measuring starts, so the bare app and the workspace pay for the same interpreter; the
parent times a start from just before it spawns the child to the wall-clock moment the
child reports (``ready``), so interpreter start and imports count, as they do for a writer.

The bare app is the baseline of the issue: a DirectoryTree on the project and a markdown
TextArea showing the same chapter, cursor on the same line, focused.

Modes (``APP`` = ``PROJECT ACTIVE LINE``; ``BARE`` = ``CHAPTER LINE``):
- ``app-ready APP`` / ``bare-ready BARE``: headless, until ready to type (the chapter shown,
  the cursor on the saved line, the editor focused, start-up over); peak RSS then.
- ``app-typing APP`` / ``bare-typing BARE``: after ready, one second idle, then typing 10
  characters a second for ``TYPING_SECONDS``; the longest event-loop gap (a task that
  sleeps a millisecond and records the longest interval between its wake-ups, less that
  millisecond) and the number of full layouts (``Compositor.reflow``) while typing.
- ``app-tty PROJECT`` / ``bare-tty BARE``: the app for real, in a terminal (tmux).
- ``app-outside APP``: after ready: the gap while idle, while another process writes a
  burst of ``BURST`` files into ``manuscript/burst/`` (until the app has recorded them and
  gone quiet), and while the first token count is made, as the app makes it (the encoding
  built in its helper process, which starts then).
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

SIZE = (120, 40)
TYPING_SECONDS = 8.0
RATE = 10.0
"""Characters a second."""
TEXT = "and so the old prince walked slowly along the avenue of lime trees "
BURST = 1000


def peak_rss() -> int:
    """This process's peak resident memory in bytes (``VmHWM``). Not ``ru_maxrss``: Linux
    carries the parent's high-water mark over fork and exec, so a child of a big parent
    would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def report(**values: Any) -> None:
    values["peak_rss"] = peak_rss()
    print(json.dumps(values), flush=True)


class GapProbe:
    """The longest interval between wake-ups of a task sleeping 1 ms, less the 1 ms."""

    TICK = 0.001

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(self.TICK)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - self.TICK)
            last = now

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.longest


class LayoutCounter:
    """Full layouts: calls of the compositor's ``reflow`` (what a layout refresh does)."""

    def __init__(self) -> None:
        from textual._compositor import Compositor

        self.count = 0
        original = Compositor.reflow

        def reflow(compositor: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(compositor, *args, **kwargs)

        Compositor.reflow = reflow  # type: ignore[method-assign,assignment]


class Paints:
    """Counts the screen's paints (compositor refreshes): "ready" is the first paint after
    the ready condition holds — not ``Pilot.pause``, which waits for the whole app to be
    idle, background loading included."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.count = 0
        original = Screen._compositor_refresh

        def painting(screen: Any) -> None:
            original(screen)
            self.count += 1

        Screen._compositor_refresh = painting  # type: ignore[method-assign,assignment]

    async def next(self) -> None:
        seen = self.count
        while self.count == seen:
            await asyncio.sleep(0.001)


def bare_app(chapter: Path, line: int) -> Any:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal
    from textual.widgets import DirectoryTree, TextArea

    class Bare(App[None]):
        BINDINGS: ClassVar = [("ctrl+q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            with Horizontal():
                yield DirectoryTree(chapter.parent.parent)
                yield TextArea.code_editor(
                    chapter.read_text(encoding="utf-8"), language="markdown", soft_wrap=True
                )

        def on_mount(self) -> None:
            area = self.query_one(TextArea)
            area.move_cursor((line, 0), center=True)
            area.focus()

    return Bare()


async def type_text(app: Any, seconds: float) -> int:
    """Type ``TEXT`` over and over at ``RATE`` characters a second, on a fixed schedule.

    Keys go in as the terminal driver delivers them, without waiting for the app to be idle
    between keys (``Pilot.press`` does wait, and would slow the writer down to the app).
    """
    from textual import events

    count = int(seconds * RATE)
    start = time.perf_counter()
    for i in range(count):
        char = TEXT[i % len(TEXT)]
        key = events.Key("space" if char == " " else char, char)
        key.set_sender(app)
        app._driver.send_message(key)
        delay = start + (i + 1) / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    return count


async def typing(pilot: Any, layouts: LayoutCounter) -> dict[str, Any]:
    probe = GapProbe()
    probe.start()
    await asyncio.sleep(1.0)
    idle = probe.stop()
    await pilot.pause()
    before = layouts.count
    probe.start()
    started = time.perf_counter()
    typed = await type_text(pilot.app, TYPING_SECONDS)
    took = time.perf_counter() - started
    gap = probe.stop()
    await pilot.pause()  # the last keys handled before the app is closed
    return {
        "idle_gap": idle,
        "gap": gap,
        "layouts": layouts.count - before,
        "typed": typed,
        "typing_seconds": took,
    }


def bare_ready(chapter: str, line: str) -> None:
    paints = Paints()
    app = bare_app(Path(chapter), int(line))

    def shown() -> bool:
        from textual.widgets import TextArea

        areas = app.query(TextArea) if app.is_running and app.screen_stack else []
        return bool(areas) and areas[0].has_focus and areas[0].cursor_location[0] == int(line)

    async def main() -> None:
        async with app.run_test(size=SIZE):
            while not shown():
                await asyncio.sleep(0.001)
            await paints.next()
            report(ready=time.time())

    asyncio.run(main())


def bare_typing(chapter: str, line: str) -> None:
    layouts = LayoutCounter()
    app = bare_app(Path(chapter), int(line))

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            result = await typing(pilot, layouts)
        report(**result)

    asyncio.run(main())


def bare_tty(chapter: str, line: str) -> None:
    bare_app(Path(chapter), int(line)).run()


def with_app(
    project: str, active: str, line: str, then: Callable[[Any, Any], Awaitable[dict[str, Any]]]
) -> None:
    """Start the workspace headless, wait until ready to type, run ``then``, report."""
    from writers_factory.tui.app import WritersFactoryApp

    app = WritersFactoryApp(Path(project))

    def restored() -> bool:
        area = app.editor.active if app.ready.is_set() else None
        return (
            area is not None
            and area.path == Path(active)
            and area.cursor_location[0] == int(line)
            and area.has_focus
        )

    async def main() -> None:
        result: dict[str, Any] = {}
        async with app.run_test(size=SIZE) as pilot:
            while not restored():
                await asyncio.sleep(0.002)
            await pilot.pause()
            result = await then(app, pilot)
            result["closing_from"] = time.time()
            if app.saving is not None:
                result["saves"] = getattr(app.saving, "saves", None)
        result["closed"] = time.time() - result.pop("closing_from")
        report(**result)

    asyncio.run(main())


def app_ready(project: str, active: str, line: str) -> None:
    """Ready to type: the workspace says the writer can type (``workspace.restored``), the
    chapter is the active tab with the cursor on the saved line, the editor has the focus,
    and that has been painted. Then start-up over (``app.ready``: costs, history and the
    watcher loaded too), and the peak memory by then."""
    from writers_factory.tui.app import WritersFactoryApp

    paints = Paints()
    app = WritersFactoryApp(Path(project))

    # a version without ``workspace.restored`` is ready to type when start-up is over
    typing = getattr(app.workspace, "restored", None) or app.ready

    def restored() -> bool:
        area = app.editor.active if typing.is_set() else None
        return (
            area is not None
            and area.path == Path(active)
            and area.cursor_location[0] == int(line)
            and area.has_focus
        )

    async def main() -> None:
        async with app.run_test(size=SIZE):
            while not restored():
                await asyncio.sleep(0.001)
            await paints.next()
            ready = time.time()
            await app.ready.wait()
            over = time.time()
            report(ready=ready, startup_over=over, peak_rss_ready=peak_rss())

    asyncio.run(main())


def app_typing(project: str, active: str, line: str) -> None:
    layouts = LayoutCounter()

    async def then(app: Any, pilot: Any) -> dict[str, Any]:
        return await typing(pilot, layouts)

    with_app(project, active, line, then)


def app_tty(project: str) -> None:
    from writers_factory.tui.app import run_app

    raise SystemExit(run_app(Path(project)))


def app_outside(project: str, active: str, line: str) -> None:
    async def then(app: Any, pilot: Any) -> dict[str, Any]:
        probe = GapProbe()
        probe.start()
        await asyncio.sleep(1.0)
        idle = probe.stop()

        def recorded() -> int:
            return len(app.session.data.file_changes)

        before = recorded()
        folder = Path(project) / "manuscript" / "burst"
        writer = (
            "import sys; from pathlib import Path\n"
            "f = Path(sys.argv[1]); f.mkdir()\n"
            f"for i in range({BURST}): (f / f'note-{{i:04d}}.md').write_text('a note\\n')\n"
        )
        probe.start()
        burst = await asyncio.create_subprocess_exec(sys.executable, "-c", writer, str(folder))
        await burst.wait()
        # until the app has recorded the burst and then stayed quiet for a second and a half
        deadline, last, quiet_since = time.monotonic() + 60, recorded(), time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            now = recorded()
            if now != last:
                last, quiet_since = now, time.monotonic()
            elif now > before and time.monotonic() - quiet_since > 1.5:
                break
        burst_gap = probe.stop()

        from writers_factory.ai import tokens

        probe.start()
        started = time.perf_counter()
        # the app's own first count, as an estimate makes it: in the helper process the app
        # uses (its encoding built there), from a thread (it loaded the encoding in-process
        # here before, which the app never does)
        await asyncio.to_thread(tokens.estimate_tokens, "The first estimate of the session.")
        loaded = time.perf_counter() - started
        await asyncio.sleep(0.05)
        encoding_gap = probe.stop()
        return {
            "idle_gap": idle,
            "burst_gap": burst_gap,
            "burst_recorded": last - before,
            "encoding_gap": encoding_gap,
            "encoding_seconds": loaded,
        }

    with_app(project, active, line, then)


MODES: dict[str, Callable[..., None]] = {
    "bare-ready": bare_ready,
    "app-ready": app_ready,
    "bare-typing": bare_typing,
    "app-typing": app_typing,
    "bare-tty": bare_tty,
    "app-tty": app_tty,
    "app-outside": app_outside,
}


def run_probe(mode: str, *args: str, cwd: Path) -> tuple[float, dict[str, Any]]:
    """Run one child; (wall-clock start, its JSON line). A crash raises, with its stderr."""
    env = _env()
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", mode, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench.probe {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return started, json.loads(lines[-1])


def _env() -> dict[str, str]:
    """The children's environment: bytecode cached as an installed copy has it, and the
    package imported from this checkout (``PYTHONPATH``), whichever one the venv installed."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return env


if __name__ == "__main__":
    MODES[sys.argv[1]](*sys.argv[2:])
