"""The test's side of the kill tests: start a writing child, wait for its acks, kill -9 it.

The child is ``child.py`` (one module for every kill test); this starts its zygote once per
test and forks a child per round. Waits are on conditions (acks on disk) with generous
deadlines, never on durations.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.patience import PATIENCE
from writers_factory.store.base.processes import pid_alive

CHILD = Path(__file__).with_name("child.py")


class Zygote:
    """``child.py`` running as a zygote: forks writing children on request."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the zygote ended (status {self.proc.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def spawn(self, workload: str, project: Path, ack: Path, *args: str) -> Child:
        ack.write_text("")
        answer = self._ask(
            {"spawn": workload, "project": str(project), "ack": str(ack), "args": list(args)}
        )
        return Child(self, int(answer["pid"]), ack)

    def reap(self, pid: int) -> int:
        """Wait for the child to be gone; the signal that ended it (0: it exited)."""
        return int(self._ask({"reap": pid})["signal"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()


@contextmanager
def zygote() -> Iterator[Zygote]:
    started = Zygote()
    try:
        yield started
    finally:
        started.close()


class Child:
    """One writing child: its pid and its ack file."""

    def __init__(self, parent: Zygote, pid: int, ack: Path) -> None:
        self.parent = parent
        self.pid = pid
        self.ack = ack
        self.killed = False

    def acks(self) -> list[str]:
        """Every acknowledged line so far (a line being written is not one yet)."""
        text = self.ack.read_text()
        return text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]

    def wait_for(self, what: str, done: Callable[[list[str]], bool]) -> None:
        deadline = time.monotonic() + PATIENCE
        while not done(self.acks()):
            error = Path(f"{self.ack}.err")
            if error.exists():
                raise AssertionError(f"the writing child failed:\n{error.read_text()}")
            assert pid_alive(self.pid), f"the writing child died on its own waiting for {what}"
            assert time.monotonic() < deadline, f"the writing child made no progress: {what}"
            time.sleep(0.005)

    def kill(self) -> None:
        """``kill -9``, then make sure it is gone (reaped) and died of that signal."""
        os.kill(self.pid, signal.SIGKILL)
        self.killed = True
        died_of = self.parent.reap(self.pid)
        assert died_of == signal.SIGKILL, f"the child ended by signal {died_of}, not SIGKILL"

    def last_number(self) -> int:
        """For workloads that acknowledge a bare counter: the last one (0 before any)."""
        lines = [line for line in self.acks() if line.strip()]
        return int(lines[-1]) if lines else 0
