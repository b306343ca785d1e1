"""This process's creation time and the boot time, read from ``/proc`` on Linux, are the very
values psutil gives: a lock written by either is judged the same by the other.

Each start records them in ``lock.json``; reading them without importing psutil keeps its
import (and its memory) off the way to the writer's first keystroke. Other processes are
still asked through psutil.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import psutil
import pytest

from writers_factory.store.base import processes

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="/proc is read on Linux only"
)


@linux_only
def test_the_boot_time_is_psutils_to_the_bit() -> None:
    seconds = processes.boot_seconds_from_proc()
    assert seconds is not None
    assert seconds == psutil.boot_time()
    assert processes.boot_time() == datetime.fromtimestamp(psutil.boot_time(), UTC)


@linux_only
def test_this_process_creation_time_is_psutils_to_the_bit() -> None:
    own = processes.own_created_from_proc()
    assert own is not None
    assert own == psutil.Process(os.getpid()).create_time()
    assert processes.process_created(os.getpid()) == own


RENAMED = """
import os, sys
import psutil
from writers_factory.store.base import processes

with open(f"/proc/{os.getpid()}/comm", "w") as comm:  # a name that could fool a parser
    comm.write(sys.argv[1])
with open(f"/proc/{os.getpid()}/stat") as stat:
    assert sys.argv[1] in stat.read()
print(processes.own_created_from_proc() == psutil.Process(os.getpid()).create_time())
"""


@linux_only
def test_a_process_whose_name_holds_spaces_and_parentheses_is_read_right() -> None:
    """The name in ``/proc/<pid>/stat`` is free text between parentheses: the fields are
    counted from the last closing one, as psutil does, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", RENAMED, ") 1 2 (x) 3 4"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "True"


def test_another_process_is_still_asked_through_psutil() -> None:
    """Only this process is read from ``/proc``; any other pid is psutil's answer."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert processes.process_created(child.pid) == psutil.Process(child.pid).create_time()
        assert processes.pid_alive(child.pid)
    finally:
        child.kill()
        child.wait()
