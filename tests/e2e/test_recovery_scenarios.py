"""Issue 8's recovery scenarios in a real terminal, each repeated round after round.

The real ``writers-factory`` command in tmux, a real ``kill -9``, a real relaunch:

1. type a word, let the journal take it, delete it (the tab is clean again), kill -9 →
   the next start asks nothing and the chapter is byte-identical;
2. in a 5,000-word chapter: select all, type one letter, undo until clean, let auto-save
   run, kill -9 → nothing destructive is offered by default; the chapter is byte-identical;
3. type, pause past the journal delay, type more, ctrl+q at once → exit 0, an empty
   journal, ``clean_shutdown`` true, every word in the chapter, and the next start asks
   nothing;
4. type, delete the last word, pause past the journal delay, kill -9 → the recovery
   question; Recover brings the words back as unsaved edits (the file untouched until a
   save) and never the deleted word; ctrl+s saves them and ``.session/versions/`` keeps the
   text the file held before.

``WF_TUI_KILL_ROUNDS`` sets the rounds of each scenario (5 by default).

One project and one tmux server per scenario; the app the relaunch starts is the next
round's app. Every round first checks the state it starts from (app running, tab clean,
journal empty, chapter as expected). Waits poll the screen or the disk with generous
deadlines and never assert durations; a failing round names the scenario and the round,
lists everything that was wrong (with the file's size and first differences) and shows the
terminal.
"""

from __future__ import annotations

import difflib
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.novel import (
    CHAPTER,
    TAB,
    corpus_file,
    current_session,
    describe_journal,
    describe_versions,
    journal_files,
    journal_texts,
    lock_pid,
    make_project,
    version_files,
)
from tests.e2e.terminal import Terminal, alive, cell_styles, descendants, wait_for
from tests.reliability.tally import record

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

ROUNDS = int(os.environ.get("WF_TUI_KILL_ROUNDS", "5"))
"""Rounds of each scenario: four scenarios, 20 rounds in all (what issue 8 asks).
``make reliability`` runs scenario 4 (kill, Recover) alone with 20 (issue 9)."""

LAUNCH = 90.0
"""Deadline for a (re)launch to show its first screen or question, in seconds."""
STEP = 30.0
"""Deadline for one step to show on screen or on disk."""
SETTLE = 15.0
"""How long a state that should follow at once is waited for before it counts as wrong."""
FOCUS = 0.3
"""Once the editor has the focus, a moment before typing (nothing else should move it)."""

AUTO_SAVE = 3.0
"""Scenario 2's auto-save interval: short, yet long enough to type a letter, see it
journaled and undo it between two auto-saves."""
LONG_CHAPTER_WORDS = 5000
QUESTION = "was interrupted"
"""On the recovery question's title: "The previous session was interrupted"."""


# -------------------------------------------------------------------------- the writer


class Writer:
    """Someone at the terminal with one project: runs of the app one after another."""

    def __init__(self, terminal: Terminal, project: Path) -> None:
        self.terminal = terminal
        self.project = project
        self.runs = 0
        self.name = ""
        self.pid = 0

    # -- the app's life ----------------------------------------------------------------------

    def launch(self) -> None:
        """Start the app in a new tmux session; returns once it holds the project's lock."""
        self.runs += 1
        self.name = f"run-{self.runs}"
        self.terminal.launch(self.name, self.project)
        pane = self.terminal.pane_pid(self.name)

        def app_pid() -> int | None:
            pid = lock_pid(self.project)  # a killed run's pid stays there until replaced
            return pid if pid is not None and pid in descendants(pane) and alive(pid) else None

        self.wait("the app to take the project's lock", lambda: app_pid() is not None, LAUNCH)
        pid = app_pid()
        assert pid is not None
        self.pid = pid

    def start(self) -> str:
        """After a launch: ``"question"`` (the recovery question) or ``"workspace"``."""
        self.wait(
            "the workspace with the chapter, or the recovery question",
            lambda: self.asking() or self.tab() is not None,
            LAUNCH,
        )
        if self.asking():
            return "question"
        self.wait_for_focus()
        return "workspace"

    def wait_for_focus(self) -> None:
        """Until the editor has the focus (restore moves it there just after it shows);
        keys sent before would go to the project tree."""
        self.wait("the focus in the editor, not the sidebar", self.editor_focused)
        time.sleep(FOCUS)

    def kill(self) -> None:
        """``kill -9`` the app's own Python process (not tmux, not a shell)."""
        os.kill(self.pid, signal.SIGKILL)
        self.wait("the app to die", lambda: not alive(self.pid), alive_needed=False)
        self.wait(
            "the pane to show the app ended",
            lambda: self.terminal.ended(self.name),
            alive_needed=False,
        )

    def exited(self) -> int | None:
        """Wait for the app to end; its exit status, or None if tmux cannot tell it."""
        self.wait("the app to exit", lambda: self.terminal.ended(self.name), alive_needed=False)
        self.holds(5, lambda: self.terminal.exit_status(self.name) is not None)
        return self.terminal.exit_status(self.name)

    # -- what the terminal shows -------------------------------------------------------------

    def screen(self) -> str:
        return self.terminal.screen(self.name)

    def asking(self) -> bool:
        return QUESTION in self.screen()

    def tab(self) -> str | None:
        """The chapter's tab: ``"clean"``, ``"dirty"`` (• after the name) or None if absent.

        The tab row is the first row naming the chapter right of the sidebar (the tree's
        rows are left of it; the breadcrumbs row has ›).
        """
        for line in self.screen().splitlines():
            column = line.find(TAB)
            if column > 20 and "›" not in line:
                return "dirty" if line[column:].startswith(f"{TAB} •") else "clean"
        return None

    def editor_focused(self) -> bool:
        """Neither sidebar panel (project tree, operations) has the focus, so the editor has.

        Told from their top-left corners: unfocused, the two are drawn alike; the focused
        one's border is highlighted. Theme-independent: only the two are compared.
        """
        rows = cell_styles(self.terminal.styled_screen(self.name))
        corners = [row[0][1] for row in rows if row and row[0][0] == "╭"]
        return len(corners) >= 2 and corners[0] == corners[1]

    def text_backgrounds(self) -> set[object]:
        """The backgrounds behind the editor's text (a selection changes them)."""
        rows = cell_styles(self.terminal.styled_screen(self.name))
        while rows and not rows[-1]:
            rows.pop()
        plain = ["".join(ch for ch, _ in row) for row in rows]
        top = next((i for i, line in enumerate(plain) if TAB in line and "›" not in line), None)
        if top is None:
            return set()
        left = plain[top].find(TAB)
        # below the tab strip and its underline, above the status bar and the footer
        return {style[1] for row in rows[top + 2 : -2] for ch, style in row[left:] if ch.isalnum()}

    def shows(self, text: str) -> bool:
        return text in self.screen()

    # -- the writer's hands ------------------------------------------------------------------

    def type(self, text: str) -> None:
        self.terminal.type(self.name, text)

    def keys(self, *keys: str) -> None:
        self.terminal.keys(self.name, *keys)

    # -- waiting -----------------------------------------------------------------------------

    def wait(
        self,
        what: str,
        check: Callable[[], bool],
        timeout: float = STEP,
        *,
        alive_needed: bool = True,
        show: Callable[[], str] | None = None,
    ) -> None:
        """Poll ``check``; fail at once if the app is gone while it should be running.

        A failure shows the terminal, after ``show()`` (what else is worth knowing) if given.
        """

        def done() -> bool:
            if check():
                return True
            if alive_needed and self.terminal.ended(self.name):
                status = self.terminal.exit_status(self.name)
                raise AssertionError(
                    f"the app ended (exit status {status}) while waiting for {what}\n"
                    f"--- the terminal showed ---\n{self.screen()}"
                )
            return False

        try:
            wait_for(what, done, timeout, show=self.screen)
        except AssertionError as exc:
            if show is None:
                raise
            raise AssertionError(f"{exc}\n--- and ---\n{show()}") from None

    def holds(self, timeout: float, check: Callable[[], bool]) -> bool:
        """Whether ``check`` comes true within ``timeout`` (a soft wait: no failure)."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    # -- the disk ----------------------------------------------------------------------------

    def chapter(self) -> bytes:
        return (self.project / CHAPTER).read_bytes()

    def journal_holds(self, text: str) -> bool:
        return any(text in entry for entry in journal_texts(self.project))


# -------------------------------------------------------------------------- rounds


class Round:
    """One round of a scenario: soft problems are collected, then reported together."""

    def __init__(self, scenario: str, number: int, writer: Writer) -> None:
        self.title = f"{scenario} — round {number} of {ROUNDS}"
        self.writer = writer
        self.problems: list[str] = []
        self.lost: Callable[[], int] = lambda: 0
        """How many typed things are gone, asked when the round ends (for the tally)."""
        self.notes: list[str] = []
        """What happened that is worth knowing when the round fails."""

    def check(self, ok: bool, problem: str | Callable[[], str]) -> bool:
        if not ok:
            self.problems.append(problem if isinstance(problem, str) else problem())
        return ok

    def chapter_is(self, expected: bytes, when: str) -> bool:
        actual = self.writer.chapter()
        return self.check(
            actual == expected, lambda: f"{when}: {describe_change(expected, actual)}"
        )

    def report(self, cause: str | None = None) -> str:
        lines = [self.title]
        lines += [f"  - {p}" for p in self.problems]
        lines += [f"  (note: {n})" for n in self.notes]
        if cause is not None:
            lines.append(f"  - stopped: {cause}")
        try:
            screen = self.writer.screen()
        except Exception as exc:  # the terminal itself may be gone
            screen = f"(could not read the terminal: {exc})"
        if "--- the terminal showed ---" not in (cause or ""):
            lines.append(f"--- the terminal showed ---\n{screen}")
        return "\n".join(lines)


@contextmanager
def round_of(scenario: str, number: int, writer: Writer) -> Iterator[Round]:
    current = Round(scenario, number, writer)
    try:
        yield current
    except BaseException as exc:
        record(failed=1, lost=current.lost())
        if isinstance(exc, AssertionError):
            raise AssertionError(current.report(str(exc))) from None
        raise
    record(failed=int(bool(current.problems)), lost=current.lost())
    if current.problems:
        raise AssertionError(current.report())


def known_state(r: Round, expected: bytes) -> None:
    """What every round starts from: the app running, the chapter clean and as expected, an
    empty journal."""
    writer = r.writer
    writer.wait("the chapter's tab, clean", lambda: writer.tab() == "clean")
    writer.wait_for_focus()
    assert writer.chapter() == expected, (
        f"the round starts from the wrong chapter: {describe_change(expected, writer.chapter())}"
    )
    assert not journal_files(writer.project), (
        f"the round starts with a journal: {describe_journal(writer.project)}"
    )


def describe_change(expected: bytes, actual: bytes) -> str:
    """How the chapter differs: sizes, lines lost and gained, and the first differences."""
    if expected == actual:
        return "the chapter is byte-identical"
    old = expected.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = actual.decode("utf-8", errors="replace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(old, new, "expected", "on disk", n=0))
    removed = sum(len(x) - 1 for x in diff if x.startswith("-") and not x.startswith("---"))
    added = sum(len(x) - 1 for x in diff if x.startswith("+") and not x.startswith("+++"))
    head = "".join(x if x.endswith("\n") else x + "\n" for x in diff[:12])
    return (
        f"the chapter changed: {len(actual):,} bytes on disk, {len(expected):,} expected "
        f"(+{added:,} −{removed:,} characters in changed lines); first differences:\n{head}"
    )


def inserted(before: bytes, after: bytes, text: str) -> bool:
    """``after`` is ``before`` with exactly ``text`` inserted once (wherever the cursor was)."""
    typed = text.encode("utf-8")
    start = after.find(typed)
    return start >= 0 and after[:start] + after[start + len(typed) :] == before


def words(round_number: int, *stems: str) -> str:
    """Words typed in one round, marked with the round so no round sees another's."""
    return "".join(f" {stem}{round_number}" for stem in stems)


# -------------------------------------------------------------------------- keys


def select_all_key() -> str:
    """The tmux key that selects the whole buffer: ctrl+a if the app makes it so, else the
    editor's own select-all key unless one of the app's priority bindings takes it.

    Read from the bindings Textual merged for each class (``_merged_bindings``); the test
    then checks on screen that the key did select (the selection shows).
    """
    from writers_factory.tui.app import WritersFactoryApp
    from writers_factory.tui.widgets.editor import BufferArea

    app_map = WritersFactoryApp._merged_bindings
    editor_map = BufferArea._merged_bindings
    assert app_map is not None and editor_map is not None
    app_keys: dict[str, list[str]] = {
        key: [b.action for b in bindings if b.priority]
        for key, bindings in app_map.key_to_bindings.items()
    }
    found = [key for key, actions in app_keys.items() if any("select_all" in a for a in actions)]
    for key, bindings in editor_map.key_to_bindings.items():
        if any(b.action == "select_all" for b in bindings) and not app_keys.get(key):
            found.append(key)
    found.sort(key=lambda key: (key != "ctrl+a", key))
    for key in found:
        if key.startswith("ctrl+") and len(key) == 6:
            return f"C-{key[-1]}"
        if key[0] == "f" and key[1:].isdigit():
            return key.upper()
    raise AssertionError(f"no key selects all in the editor (bound: {found or 'none'})")


# -------------------------------------------------------------------------- scenarios


def run_rounds(
    writer: Writer, scenario: str, one_round: Callable[[Writer, Round, int, bytes], bytes]
) -> None:
    """The first launch, then ``ROUNDS`` rounds; each gets the chapter it should start from
    and returns the chapter the next one should start from."""
    writer.launch()
    assert writer.start() == "workspace", "a new project asked the recovery question"
    expected = writer.chapter()
    for n in range(1, ROUNDS + 1):
        with round_of(scenario, n, writer) as r:
            known_state(r, expected)
            expected = one_round(writer, r, n, expected)
    writer.keys("C-q")  # done: a clean quit rather than the hang-up of closing the terminal
    writer.exited()


# 1 --------------------------------------------------------------------------------------------


def test_typed_then_deleted_word_is_never_offered(tmp_path: Path, terminal: Terminal) -> None:
    writer = Writer(terminal, make_project(tmp_path))
    run_rounds(writer, "type a word, delete it, kill -9", type_delete_kill)


def type_delete_kill(writer: Writer, r: Round, n: int, expected: bytes) -> bytes:
    word = words(n, "Marmalade")
    writer.type(word)
    writer.wait("the word on screen", lambda: writer.shows(word.strip()))
    writer.wait("the word in the journal", lambda: writer.journal_holds(word))
    writer.keys(*["BSpace"] * len(word))
    writer.wait("the tab clean again", lambda: writer.tab() == "clean")
    r.check(
        writer.holds(SETTLE, lambda: not journal_files(writer.project)),
        lambda: (
            f"the text is back to what is on disk (tab clean), yet {SETTLE:.0f} s later "
            f"{describe_journal(writer.project)}"
        ),
    )
    writer.kill()
    r.chapter_is(expected, "after kill -9")
    writer.launch()
    if writer.start() == "question":
        r.check(False, f"the next start asked the recovery question:\n{writer.screen()}")
        return expected
    r.chapter_is(expected, "after the relaunch")
    return expected


# 2 --------------------------------------------------------------------------------------------


def long_chapter() -> str:
    """The opening of Pride and Prejudice, whole paragraphs, at least 5,000 words."""
    source = corpus_file("pride_and_prejudice.txt").read_text(encoding="utf-8")
    paragraphs, count = [], 0
    for paragraph in source.replace("\r\n", "\n").split("\n\n"):
        paragraph = paragraph.strip("\n")
        if paragraph:
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        if count >= LONG_CHAPTER_WORDS:
            break
    assert count >= LONG_CHAPTER_WORDS, f"the corpus gave only {count} words"
    return "# Pride and Prejudice\n\n" + "\n\n".join(paragraphs) + "\n"


def test_select_all_type_undo_autosave_kill_keeps_the_chapter(
    tmp_path: Path, terminal: Terminal
) -> None:
    project = make_project(
        tmp_path, auto_save=AUTO_SAVE, chapter=long_chapter(), cursor_at_end=False
    )
    key = select_all_key()

    def one_round(writer: Writer, r: Round, n: int, expected: bytes) -> bytes:
        return select_type_undo_kill(writer, r, expected, key)

    scenario = f"select all ({key}), type a letter, undo, auto-save, kill -9"
    run_rounds(Writer(terminal, project), scenario, one_round)


def select_type_undo_kill(writer: Writer, r: Round, expected: bytes, select_all: str) -> bytes:
    letter = "Z"
    # Best effort: start just after an auto-save, so the next one comes after the undo and
    # the one-letter text reaches the journal only (the case that wiped a chapter). Should an
    # auto-save come between the letter and the undo anyway, the letter reaches the file,
    # the undo makes the tab dirty, and the next auto-save must write the chapter back.
    synced = just_after_auto_save(writer)
    unselected = writer.text_backgrounds()
    writer.keys(select_all)
    # the letter only once the selection shows: sent at once, it can overtake the key
    writer.wait(
        f"the selection to show (did {select_all} select all?)",
        lambda: writer.text_backgrounds() not in (unselected, set()),
    )
    writer.type(letter)

    def kept_where() -> str:
        where = []
        if any(text.strip() == letter for text in journal_texts(writer.project)):
            where.append("the journal")
        if writer.chapter().strip() == letter.encode():
            where.append("the file (an auto-save came first)")
        return " and ".join(where)

    writer.wait(
        f"the one-letter text in the journal or the file (did {select_all} select all?)",
        lambda: bool(kept_where()),
        show=lambda: describe_journal(writer.project),
    )
    r.notes.append(
        f"the one-letter text reached {kept_where()}"
        + ("" if synced else " (no auto-save tick was seen to start from)")
    )
    for _ in range(3):  # undo until the tab is clean (one undo should do)
        writer.keys("C-z")
        if writer.holds(SETTLE / 3, lambda: writer.tab() == "clean"):
            break
    writer.wait("the tab clean after undo", lambda: writer.tab() == "clean")
    r.check(
        writer.holds(SETTLE, lambda: not journal_files(writer.project)),
        lambda: (
            f"the undo is back to what is on disk (tab clean), yet {SETTLE:.0f} s later "
            f"{describe_journal(writer.project)}"
        ),
    )
    pass_auto_save(writer, r)
    writer.kill()
    r.chapter_is(expected, "after kill -9")
    writer.launch()
    if writer.start() == "question":
        r.notes.append(
            "the relaunch asked the recovery question and Enter (its default) was pressed; "
            f"the question read:\n{writer.screen()}"
        )
        writer.keys("Enter")  # the default choice, whatever it is, must be safe
        writer.wait(
            "the workspace after Enter on the recovery question",
            lambda: not writer.asking() and writer.tab() is not None,
            LAUNCH,
        )
        pass_auto_save(writer, r)
        if not r.chapter_is(expected, "after Enter (the default) on the recovery question"):
            return expected
        r.check(writer.tab() == "clean", "the default choice left unsaved edits in the chapter")
    r.chapter_is(expected, "after the relaunch")
    return expected


def just_after_auto_save(writer: Writer) -> bool:
    """Return just after an auto-save: when the status bar turns back to "just now" from an
    older age. Best effort — False if no such turn was seen within a few intervals."""
    deadline = time.monotonic() + 3 * AUTO_SAVE
    older = False
    while time.monotonic() < deadline:
        now = writer.shows("Auto-saved just now")
        if now and older:
            return True
        older = older or not now
        time.sleep(0.05)
    return False


def pass_auto_save(writer: Writer, r: Round) -> None:
    """Let an auto-save run, and see that one did."""
    time.sleep(AUTO_SAVE + 1)
    r.check(
        writer.holds(SETTLE, lambda: writer.shows("Auto-saved")),
        "the status bar never said Auto-saved (did the auto-save run?)",
    )


# 3 --------------------------------------------------------------------------------------------


def test_type_pause_type_quit_leaves_no_journal(tmp_path: Path, terminal: Terminal) -> None:
    writer = Writer(terminal, make_project(tmp_path))
    run_rounds(writer, "type, pause, type, ctrl+q", type_pause_type_quit)


def type_pause_type_quit(writer: Writer, r: Round, n: int, expected: bytes) -> bytes:
    first = words(n, "Gulls", "circled", "the")
    then = words(n, "rocks", "below", "us")
    writer.type(first)
    writer.wait("the first words on screen", lambda: writer.shows(first.split()[-1]))
    # the pause: until the journal holds them (a journal delay after the typing), and a bit
    writer.wait("the first words in the journal", lambda: writer.journal_holds(first))
    time.sleep(0.2)
    writer.type(then)
    writer.keys("C-q")  # at once
    status = writer.exited()
    r.check(status in (0, None), f"the app exited with status {status}, not 0")
    r.check(
        not journal_files(writer.project),
        lambda: f"after a clean quit {describe_journal(writer.project)}",
    )
    clean = current_session(writer.project).get("clean_shutdown")
    r.check(clean is True, f"current.json has clean_shutdown {clean!r} after ctrl+q")
    saved = writer.chapter()
    r.check(
        inserted(expected, saved, first + then),
        lambda: (
            f"the chapter does not hold exactly the words typed ({first + then!r}): "
            f"{describe_change(expected, saved)}"
        ),
    )
    writer.launch()
    if writer.start() == "question":
        r.check(False, f"the start after a clean quit asked:\n{writer.screen()}")
        return saved
    r.chapter_is(saved, "after the relaunch")
    return saved


# 4 --------------------------------------------------------------------------------------------


def test_recover_after_kill_keeps_the_previous_text_as_a_version(
    tmp_path: Path, terminal: Terminal
) -> None:
    writer = Writer(terminal, make_project(tmp_path))
    run_rounds(writer, "type, pause, kill -9, Recover, ctrl+s", kill_recover_save)


def kill_recover_save(writer: Writer, r: Round, n: int, expected: bytes) -> bytes:
    typed = words(n, "Lanterns", "burned", "past", "midnight")
    doomed = words(n, "Quicksand")
    last = typed.split()[-1]
    writer.type(typed + doomed)
    writer.wait("the words on screen", lambda: writer.shows(doomed.strip()))
    writer.keys(*["BSpace"] * len(doomed))  # deleted: it must never come back
    writer.wait("the deleted word gone from the screen", lambda: not writer.shows(doomed.strip()))

    def journaled() -> bool:  # exactly the text on screen: the words, not the deleted one
        return any(inserted(expected, t.encode(), typed) for t in journal_texts(writer.project))

    # the pause: until the journal holds the text (a journal delay after the typing)
    writer.wait("the words, without the deleted one, in the journal", journaled)

    def lost() -> int:
        kept = typed.encode() in writer.chapter() or writer.journal_holds(typed)
        return 0 if kept else 1

    r.lost = lost
    writer.kill()
    r.chapter_is(expected, "after kill -9 (nothing was saved)")
    writer.launch()
    assert writer.start() == "question", "the next start did not offer the typed words"
    r.check(CHAPTER in writer.screen(), "the recovery question does not name the chapter")
    writer.keys("r")  # Recover
    writer.wait("the recovered words in the editor", lambda: writer.shows(last), LAUNCH)
    r.check(
        writer.holds(SETTLE / 5, lambda: writer.tab() == "dirty"),
        "the recovered words are not shown as unsaved edits (no • on the chapter's tab)",
    )
    r.chapter_is(expected, "Recover wrote the file by itself (before any save)")
    r.check(not writer.shows(doomed.strip()), f"the deleted word{doomed} came back on screen")
    writer.keys("C-s")
    writer.wait(
        "the save of the recovered words",
        lambda: inserted(expected, writer.chapter(), typed),
        show=lambda: describe_change(expected, writer.chapter()),
    )
    saved = writer.chapter()
    writer.wait("the tab clean after the save", lambda: writer.tab() == "clean")

    def kept() -> bool:
        return any(v.read_bytes() == expected for v in version_files(writer.project))

    r.check(
        writer.holds(SETTLE, kept),
        lambda: (
            "no file in .session/versions/ holds the text the chapter had before the save "
            f"over recovered text ({len(expected):,} bytes); {describe_versions(writer.project)}"
        ),
    )
    r.check(
        writer.holds(SETTLE, lambda: not journal_files(writer.project)),
        lambda: f"after the save {describe_journal(writer.project)}",
    )
    return saved
