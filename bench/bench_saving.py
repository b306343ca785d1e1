"""Saving the whole novel durably, against a bare durable write of the same bytes.

The candidate is what an auto-save does for one open file off the event loop: the
conflict-checked ``FileBuffer.save`` (reads the file back to see it is still what was
loaded, writes through the one durable path) with the app's remember hook (the watcher's
record of its own writes). The baseline writes the same bytes the bare durable way: a temp
file in the same folder, write, fsync, rename over, fsync the folder. Each save has one
more character than the last, so nothing is cached. ``max(15, 3 × BENCH_RUNS)`` saves
each, alternated; the p50 (median) is compared.

A second row adds what the app's hook also does in the save's thread: the words added and
removed since the last save (``word_delta``, as the writing activity counts them), with
one sentence typed in the middle of the novel between saves. The hooks here are the app's
(``ProjectWatch.remember`` and ``WritingActivity.saved``) without the loop: the known-content
record takes the save's hash unfinished (``Outgoing.digest``, computed while the bytes are
written), and the words are counted between the text the save encoded (``Outgoing.text``)
and the last one counted, with the common ends the save's encoding found between them
(``Outgoing.ends``) — the app decoded the bytes back to text and compared the texts again
until it was handed both, so the bench did too. As the app's editor does, the save is told
where the text was edited since it was last written (``Unchanged``: all before the place
typed at and all after it), so only that window is compared. The save itself (conflict
check, encoding, hash, durable write) is timed whole, as the app runs it.

Run: ``.venv/bin/python -m bench.bench_saving`` (or ``make bench``).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.results import Row, Spread, alternate
from bench.workload import NOVEL, Workload, corpus_file


def bare_durable_write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.bench-tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def rows(workload: Workload, runs: int) -> list[Row]:
    from writers_factory.core.common_ends import Unchanged
    from writers_factory.core.wordcount import word_delta
    from writers_factory.store.manuscript.buffers import FileBuffer, Outgoing
    from writers_factory.watch.known import KnownContent

    text = corpus_file().read_text(encoding="utf-8")
    saves = max(15, 3 * runs)
    with tempfile.TemporaryDirectory(dir=workload.project.parent) as tmp:
        folder = Path(tmp)
        bare_path, app_path = folder / "bare.md", folder / "novel.md"
        bare_path.write_text(text, encoding="utf-8")
        app_path.write_text(text, encoding="utf-8")
        buffer, _ = FileBuffer.load(app_path)
        known = KnownContent()

        def remember(outgoing: Outgoing) -> None:  # the known-content half of the app's hook
            known.remember(outgoing.path, outgoing.data, outgoing.digest)

        edits = iter(range(10**9))

        def bare() -> float:
            data = (text + "x" * next(edits)).encode("utf-8")
            started = time.perf_counter()
            bare_durable_write(bare_path, data)
            return time.perf_counter() - started

        def app() -> float:
            edited = text + "x" * next(edits)
            started = time.perf_counter()
            buffer.save(edited, remember=remember)
            return time.perf_counter() - started

        base, cand = alternate(bare, app, saves)

        middle = len(text) // 2
        last = [text]

        def counting(outgoing: Outgoing) -> None:  # the whole hook: known content and words
            remember(outgoing)
            assert outgoing.text is not None  # a buffer's save always tells its text
            saved = outgoing.text
            word_delta(last[0], saved, outgoing.ends)
            last[0] = saved

        def typed() -> str:
            return text[:middle] + " The wind rose." * next(edits) + text[middle:]

        def bare_typed() -> float:
            data = typed().encode("utf-8")
            started = time.perf_counter()
            bare_durable_write(bare_path, data)
            return time.perf_counter() - started

        written: list[str | None] = [None]

        def app_typed() -> float:
            edited = typed()
            # what the editor tells the save: the text last written is untouched before the
            # place typed at and after it (the first save here follows another text: none)
            base = written[0]
            window = None if base is None else Unchanged(base, middle, len(text) - middle)
            started = time.perf_counter()
            buffer.save(edited, remember=counting, unchanged=window)
            elapsed = time.perf_counter() - started
            written[0] = edited
            return elapsed

        edits = iter(range(1, 10**9))
        last[0] = app_path.read_text(encoding="utf-8")
        base2, cand2 = alternate(bare_typed, app_typed, saves)
    b, c = Spread.of(base), Spread.of(cand)
    b2, c2 = Spread.of(base2), Spread.of(cand2)
    return [
        Row(
            bench="saving",
            measure=f"durable save of the whole novel ({len(text.encode()) / 2**20:.1f} MB) p50",
            baseline_is="bare durable write of the same bytes",
            baseline=b,
            candidate=c,
            target="≤ 1.5× bare",
            passed=c.median / b.median <= 1.5,
            note=f"{NOVEL}, FileBuffer.save with the watcher's remember hook",
        ),
        Row(
            bench="saving",
            measure="durable save of the whole novel with the words-added count, p50",
            baseline_is="bare durable write of the same bytes",
            baseline=b2,
            candidate=c2,
            target="≤ 1.5× bare",
            passed=c2.median / b2.median <= 1.5,
            note="a sentence typed mid-novel between saves; word_delta as the writing hook",
        ),
    ]


if __name__ == "__main__":
    from bench.run import standalone

    standalone(rows)
