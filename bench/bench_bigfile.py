"""A whole novel in one file: key -> paint and open -> first paint, ours against a bare TextArea.

War and Peace as one Markdown file (3.2 MB, chapter and book lines made headings) and its
first 600 KB, each shown in the editor's text area (``BufferArea``) and, as the baseline, in a
bare Textual ``TextArea`` with the same language and soft wrap, both headless at 100x40:

- key -> paint: a key pressed at the middle of the text until the first screen update that
  shows the edit (median of the keys of one run; runs alternate baseline and candidate);
- open -> first paint: the widget mounted with the text already read, until the first screen
  update (ours parses large texts in a thread after that; the baseline parses first);
- reading the file, which the app does in a thread before mounting;
- the floor: key -> paint in a 20 KB text, where document size plays no part (what is left
  is the render path and the machine);
- key -> paint in the whole novel with spell check on (misspellings found for the lines
  drawn), against ours with it off.

Absolute times depend on the machine; ratios of medians are what to compare.
``run()`` returns the results as a dict; ``rows`` turns them into ``make bench`` rows with
the targets of a writer's editor (key -> paint <= 50 ms at 3.2 MB and <= 16 ms at 600 KB,
first paint <= 1 s); ``main`` prints one line per measure.

Run: ``.venv/bin/python bench/bench_bigfile.py``
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RUNS = 5
"""Alternated runs of each baseline/candidate pair (at least 5)."""
KEYS = {"ours": 20, "bare": 4, "spelling": 20}
"""Keys pressed per run (the bare TextArea takes seconds a key on the whole novel)."""
SIZE = (100, 40)
SMALL = 600_000
FLOOR = 20_000


def corpus(name: str) -> Path:
    """The corpus file, or a loud failure: a bench of a stub measures nothing (the places
    every bench looks in, ``WF_CORPUS`` first: ``bench/workload.py``)."""
    from bench.workload import corpus_file

    return corpus_file(name)


def novel_markdown() -> str:
    """War and Peace as one Markdown file: books are ``#`` headings, chapters ``##``."""
    text = corpus("war_and_peace.txt").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^((?:BOOK [A-Z]+|[A-Z]+ EPILOGUE).*)$", r"# \1", text)
    return re.sub(r"(?m)^(CHAPTER [IVXLC]+)$", r"## \1", text)


def first_part(text: str, size: int) -> str:
    cut = text.encode()[:size].decode(errors="ignore")
    return cut[: cut.rfind("\n") + 1]


def spread(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def paired(
    baseline: Callable[[], float], candidate: Callable[[], float], runs: int = RUNS
) -> dict[str, Any]:
    """Alternate the two ``runs`` times each; medians with min-max and their ratio."""
    base: list[float] = []
    cand: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            base.append(baseline())
            cand.append(candidate())
        else:
            cand.append(candidate())
            base.append(baseline())
    result: dict[str, Any] = {"baseline": spread(base), "candidate": spread(cand), "runs": runs}
    result["ratio"] = result["candidate"]["median"] / result["baseline"]["median"]
    return result


_SPELLERS: dict[str, Any] = {}


def speller() -> Any:
    """The English word list, loaded once (the app loads it in a thread at start-up)."""
    if "en" not in _SPELLERS:
        from writers_factory.tui.spelling.speller import load_speller

        _SPELLERS["en"] = load_speller("en")
    return _SPELLERS["en"]


def make_area(kind: str, text: str, folder: Path) -> Any:
    from textual.widgets import TextArea

    if kind == "bare":
        return TextArea(text, language="markdown", soft_wrap=True, tab_behavior="indent")
    from writers_factory.store.manuscript.buffers import FileBuffer
    from writers_factory.store.manuscript.documents import Documents
    from writers_factory.tui.widgets.editor import BufferArea, prepare_highlighting

    prepare_highlighting()
    path = folder / "novel.md"
    doc = Documents().open(Path("novel.md"), FileBuffer(path, "0" * 64, 0.0), text)
    area = BufferArea(doc, text, id="novel")
    if kind == "spelling":
        area.set_speller(speller())
    return area


def session(kind: str, text: str, folder: Path, keys: int) -> dict[str, Any]:
    """One app: mount the area, time the first paint, then type ``keys`` keys mid-text."""
    from textual.app import App

    class Bench(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.paints: list[tuple[float, int, int]] = []
            self.area: Any = None

        def _display(self, screen: Any, renderable: Any) -> None:
            area = self.area
            if renderable is not None and area is not None and area.is_mounted:
                row = area.cursor_location[0]
                self.paints.append(
                    (time.perf_counter(), area.document.line_count, len(area.document[row]))
                )
            super()._display(screen, renderable)

    async def main() -> dict[str, Any]:
        app = Bench()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.area = make_area(kind, text, folder)
            await app.mount(app.area)
            while not app.paints:
                await asyncio.sleep(0)
            opened = app.paints[0][0] - start
            area = app.area
            area.focus()
            while not getattr(area, "parsed", True):
                await pilot.pause(0.05)
            middle = area.document.line_count // 2
            area.move_cursor((middle, 5), center=True)
            await pilot.pause()
            latencies = []
            for _ in range(keys):
                row = area.cursor_location[0]
                shown = (area.document.line_count, len(area.document[row]))
                count = len(app.paints)
                pressed = time.perf_counter()
                await pilot.press("x")
                while True:
                    seen = [p for p in app.paints[count:] if p[1:] != shown]
                    if seen:
                        break
                    await asyncio.sleep(0)
                latencies.append(seen[0][0] - pressed)
                await pilot.pause()
        return {"open": opened, "key": statistics.median(latencies)}

    return asyncio.run(main())


def read_seconds(path: Path) -> float:
    start = time.perf_counter()
    path.read_text(encoding="utf-8")
    return time.perf_counter() - start


def run(runs: int = RUNS) -> dict[str, Any]:
    """Every measure of this bench, as plain data (times in seconds), ``runs`` alternated
    runs a side."""
    results: dict[str, Any] = {}
    whole = novel_markdown()
    texts = {"3.2MB": whole, "600KB": first_part(whole, SMALL)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, text in texts.items():
            path = folder / f"novel-{label}.md"
            path.write_text(text, encoding="utf-8")
            results[f"bytes_{label}"] = len(text.encode())
            results[f"read_{label}"] = spread([read_seconds(path) for _ in range(runs)])
            sessions: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": []}

            def one(kind: str, text: str = text, sessions: dict[str, Any] = sessions) -> float:
                measured = session(kind, text, folder, KEYS[kind])
                sessions[kind].append(measured)
                return float(measured["key"])

            results[f"key_to_paint_{label}"] = {
                **paired(lambda: one("bare"), lambda: one("ours"), runs),
                "baseline_is": "a bare TextArea (markdown, soft wrap)",
            }
            opens = {kind: [r["open"] for r in measured] for kind, measured in sessions.items()}
            if label == "3.2MB":

                def keys_only(kind: str, text: str = text) -> float:
                    return float(session(kind, text, folder, KEYS[kind])["key"])

                results[f"key_to_paint_spelling_{label}"] = {
                    **paired(lambda: keys_only("ours"), lambda: keys_only("spelling"), runs),
                    "baseline_is": SPELLING_BASELINE,
                }
            results[f"open_to_first_paint_{label}"] = {
                "baseline": spread(opens["bare"]),
                "candidate": spread(opens["ours"]),
                "runs": runs,
                "ratio": statistics.median(opens["ours"]) / statistics.median(opens["bare"]),
                "baseline_is": "a bare TextArea (markdown, soft wrap)",
            }
        floor = first_part(whole, FLOOR)
        results["key_to_paint_floor_20KB"] = {
            **paired(
                lambda: float(session("bare", floor, folder, KEYS["ours"])["key"]),
                lambda: float(session("ours", floor, folder, KEYS["ours"])["key"]),
                runs,
            ),
            "baseline_is": "a bare TextArea (markdown, soft wrap)",
        }
    return results


BASELINE = "a bare TextArea (markdown, soft wrap)"
SPELLING_BASELINE = "ours with spell check off"
TARGETS = {
    "key_to_paint_3.2MB": ("key → paint in the whole novel (3.2 MB)", 0.050, "≤ 50 ms"),
    "key_to_paint_spelling_3.2MB": (
        "key → paint in the whole novel (3.2 MB), spell check on",
        0.050,
        "≤ 50 ms",
    ),
    "key_to_paint_600KB": ("key → paint in its first 600 KB", 0.016, "≤ 16 ms"),
    "open_to_first_paint_3.2MB": ("opening the whole novel, to first paint", 1.0, "≤ 1 s"),
    "open_to_first_paint_600KB": ("opening its first 600 KB, to first paint", None, ""),
    "key_to_paint_floor_20KB": ("key → paint in 20 KB (the floor)", None, ""),
}
"""Row of each measure: what it is called in the table, its target in seconds (``None``:
information only) and how the table shows that target."""


def rows(workload: object, runs: int) -> list[Any]:
    """This bench's rows for ``make bench`` (its own one-file novel, not the workload's
    chapters: the point is one file of the whole book)."""
    from bench.results import Row, Spread

    results = run(runs)

    def spread(side: dict[str, float]) -> Spread:
        return Spread(median=side["median"], min=side["min"], max=side["max"], runs=runs)

    found = []
    for key, (measure, limit, target) in TARGETS.items():
        r = results[key]
        label = key.rsplit("_", 1)[1]
        note = f"{KEYS['ours']} keys a run (bare: {KEYS['bare']})" if "key" in key else ""
        if "spelling" in key:
            note = f"{KEYS['spelling']} keys a run; misspellings of the lines drawn underlined"
        if key.startswith("open"):
            note = (
                f"the file read (in a thread) in {results[f'read_{label}']['median'] * 1000:.0f} ms"
            )
        found.append(
            Row(
                bench="bigfile",
                measure=measure,
                baseline_is=r.get("baseline_is", BASELINE),
                baseline=spread(r["baseline"]),
                candidate=spread(r["candidate"]),
                target=target,
                passed=None if limit is None else r["candidate"]["median"] <= limit,
                note=note,
            )
        )
    return found


def _line(label: str, result: dict[str, Any], unit: float = 1000, suffix: str = "ms") -> str:
    b, c = result["baseline"], result["candidate"]
    return (
        f"{label}: {c['median'] * unit:.1f} {suffix} "
        f"({c['min'] * unit:.1f}-{c['max'] * unit:.1f}) vs {result['baseline_is']} "
        f"{b['median'] * unit:.1f} {suffix} ({b['min'] * unit:.1f}-{b['max'] * unit:.1f}): "
        f"{result['ratio']:.3f}x (medians of {result['runs']} alternated runs)"
    )


def main() -> None:
    results = run()
    for label in ("3.2MB", "600KB"):
        print(
            f"{label} ({results[f'bytes_{label}']:,} bytes), read in "
            f"{results[f'read_{label}']['median'] * 1000:.1f} ms"
        )
        print(_line(f"  key -> paint, {label}", results[f"key_to_paint_{label}"]))
        print(_line(f"  open -> first paint, {label}", results[f"open_to_first_paint_{label}"]))
    print(_line("key -> paint in 20 KB (the floor)", results["key_to_paint_floor_20KB"]))
    print(_line("key -> paint, 3.2MB, spell check on", results["key_to_paint_spelling_3.2MB"]))


if __name__ == "__main__":
    main()
