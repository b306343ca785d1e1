"""The writer's session: where they are, what is open, and whether the last run ended well.

``Session(project)`` does synchronous file I/O in its constructor (it is created once, off
the UI loop); afterwards every save runs in a thread. Setters only touch memory and mark
the state dirty, so calling them from the UI costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar, overload

from writers_factory.core.errors import WritersFactoryError
from writers_factory.core.stages import STAGE_IDS, InvalidStageError, StageId, check_transition
from writers_factory.store.audit.log import AuditLog, default_actor
from writers_factory.store.audit.models import AuditKind, AuditRecord
from writers_factory.store.base.durable import (
    SymlinkedStateError,
    clean_leftovers,
    make_private_dir,
    refuse_symlinks,
)
from writers_factory.store.base.events import (
    Callbacks,
    LoadMetadata,
    ProblemKind,
    SaveMetadata,
    StoreProblem,
)
from writers_factory.store.base.jsonfile import FileReadOnlyError, JsonFile, set_aside
from writers_factory.store.base.paths import SessionPaths
from writers_factory.store.session import lock as locks
from writers_factory.store.session.models import (
    FILE_CHANGES_KEPT,
    RECENT_QUERIES,
    FileChangeRecord,
    OpenFile,
    RecentQuery,
    SessionData,
    StageView,
)
from writers_factory.store.session.open_files import contain_open_files
from writers_factory.store.session.save_time import SaveTime

if TYPE_CHECKING:
    from collections.abc import Mapping

    from writers_factory.store.session.past import PastSession

HEARTBEAT_SECONDS = 15.0
F = TypeVar("F", bound=Callable[..., None])


class ReadOnlySessionError(WritersFactoryError, PermissionError):
    """Raised when a read-only session is asked to write."""


class SessionTakenOverError(ReadOnlySessionError):
    """Another writer took the project over: this session writes nothing more.

    Raised by :meth:`Session.check_owner` (and so by the heartbeat) when ``lock.json`` names
    someone else; ``owner`` is that new owner, to tell the writer who and where.
    """

    def __init__(self, lock_path: Path, owner: locks.LockInfo) -> None:
        who = owner.describe_owner()
        super().__init__(
            f"{lock_path}: the project was taken over by process {owner.pid} ({who}); "
            "nothing more is saved from this window"
        )
        self.owner = owner


class Session:
    """Resumable session state in ``.session/current.json`` plus the project lock."""

    def __init__(
        self,
        project_path: Path,
        *,
        read_only: bool = False,
        callbacks: Callbacks | None = None,
        clock: Callable[[], datetime] | None = None,
        author: str | None = None,
    ) -> None:
        self.project_path = Path(project_path).absolute()
        self.author = author
        """The co-author whose session this is (``.session/authors/<author>/``); ``None``
        for the single-writer layout. Checked by the caller (``core.authors``); the lock
        stays the project's one lock and names this author."""
        self.paths = SessionPaths.for_project(self.project_path, author)
        self.callbacks = callbacks or Callbacks()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._audit_pending: list[AuditRecord] = []
        """Stage and model changes, written to ``audit.jsonl`` by the next save (in the
        saver's thread: the setters run on the event loop and must not touch the disk)."""
        self.read_only = read_only
        self.other_instance: locks.LockInfo | None = None
        self.foreign_lock: locks.LockInfo | None = None
        self.taken_over_by: locks.LockInfo | None = None
        """Set once another writer took the project over while this session ran."""
        self.lock_problems: list[StoreProblem] = []
        self.path_problems: list[StoreProblem] = []
        """Open files of ``current.json`` dropped because they lead outside the project."""
        self._holds_lock = False
        self._os_lock = False
        self._interrupted = False
        self._last_heartbeat: datetime | None = None
        self._lock_info: locks.LockInfo | None = None
        claim: locks.Claim | None = None
        if not read_only:
            claim = self._prepare()
        self._claim = claim
        if claim is locks.Claim.BUSY:
            self.lock_check = locks.LockCheck(
                locks.LockState.LIVE,
                locks.wait_for_owner(self.paths.lock),
                "another Writers Factory on this machine has the project open",
            )
        else:
            self.lock_check = locks.check(self.paths.lock)
        self._judge_lock()
        if self.read_only:
            self._release_os_lock()
        self._file: JsonFile[SessionData] = JsonFile(
            self.paths,
            self.paths.current,
            SessionData,
            read_only=self.read_only,
            callbacks=self.callbacks,
            unreadable="read-only",
        )
        self._file.load_sync()
        self.path_problems = self._contain()
        self.previous: SessionData | None = (
            self._file.value.model_copy(deep=True) if self._file.exists_on_disk else None
        )
        self._saved_on_disk: datetime | None = self._mtime(self.paths.current)
        if (
            (self.lock_check.state is locks.LockState.FREE or self._stale_of_another_author)
            and self.previous is not None
            and not self.previous.clean_shutdown
            and not read_only
        ):
            self._interrupted = True  # no lock, yet the last run never said goodbye
        if not self.read_only:
            try:
                self._begin_run()
            except OSError as exc:  # a full disk, permissions: never a traceback at start
                self._abandon_run()
                self._open_read_only(
                    ProblemKind.NOT_WRITABLE,
                    self.paths.root,
                    f"cannot be written ({exc.strerror or exc}); the project is opened "
                    "read-only: nothing you do now can be saved",
                )

    @classmethod
    def new(cls, project_path: Path, **options: object) -> Session:
        """A fresh start: this project's session with none of the previous run's state.

        For the writer who answers "start fresh" after an interruption: the stage, open
        files, breadcrumb, model choices, recent queries and file changes start from their
        defaults (the previous run stays readable as :attr:`previous` and in the history).
        Options are those of the constructor. A session that opens read-only (another
        process has the project) is returned as it is: it writes nothing either way.
        """
        session = cls(Path(project_path), **options)  # type: ignore[arg-type]
        session.start_fresh()
        return session

    def start_fresh(self) -> None:
        """Forget the resumed state in memory (written at the next save); see :meth:`new`."""
        if self.read_only:
            return
        kept = self.data
        fresh = SessionData(
            session_id=kept.session_id,
            project_name=kept.project_name,
            created_at=kept.created_at,
            started_at=kept.started_at,
            last_activity=self._clock(),
            clean_shutdown=False,
        )
        self._file.value = fresh
        self._file.mark_dirty()
        self._interrupted = False  # the question was asked and answered

    # ----------------------------------------------------------------- lock
    def _prepare(self) -> locks.Claim | None:
        """Make ``.session/`` (private) and take the OS lock; on failure open read-only.

        A ``.session`` that is a symbolic link, or a ``current.json`` / ``lock.json`` that is
        one, is never written through; a ``.session/`` that cannot be written (permissions,
        a full disk, a plain file in its place) opens read-only with a message.
        """
        try:
            refuse_symlinks(self.paths.current)
            refuse_symlinks(self.paths.lock)
            make_private_dir(self.paths.root)
            clean_leftovers([self.paths.root])
            claim = locks.acquire_os_lock(self.paths.lock)
        except SymlinkedStateError as exc:
            self._open_read_only(ProblemKind.LINKED, exc.link, exc.strerror or str(exc))
            return None
        except OSError as exc:
            self._open_read_only(
                ProblemKind.NOT_WRITABLE,
                self.paths.root,
                f"cannot be written ({exc.strerror or exc}); the project is opened read-only",
            )
            return None
        self._os_lock = claim is locks.Claim.ACQUIRED
        return claim

    def _open_read_only(self, kind: ProblemKind, path: Path, message: str) -> None:
        self.read_only = True
        if getattr(self, "_file", None) is not None:
            self._file.read_only = True
        self.lock_problems.append(StoreProblem(path, kind, message))
        self.callbacks.error(self.lock_problems[-1])

    def _release_os_lock(self) -> None:
        if self._os_lock:
            self._os_lock = False
            locks.release_os_lock(self.paths.lock)

    def _abandon_run(self) -> None:
        """The start could not be written: leave no lock of ours behind."""
        if self._holds_lock:
            with contextlib.suppress(OSError):
                locks.release(self.paths.lock)
            self._holds_lock = False
        self._release_os_lock()

    def _judge_lock(self) -> None:
        check = self.lock_check
        if check.state is locks.LockState.LIVE:
            self.other_instance = check.info
            self.read_only = True
            if check.info is None:
                self.lock_problems.append(
                    StoreProblem(
                        self.paths.lock,
                        ProblemKind.LOCK,
                        f"{check.reason} (it has not said which process yet); opened read-only",
                    )
                )
        elif check.state is locks.LockState.FOREIGN:
            self.foreign_lock = check.info
            self.read_only = True
        elif check.state is locks.LockState.STALE:
            # a co-author's run that ended badly is theirs to recover (their own journal):
            # for this author, only its own current.json says whether it was interrupted
            self._interrupted = check.info is None or check.info.author == (self.author or "")
        elif check.state is locks.LockState.UNREADABLE:
            self._interrupted = True
            dest = None
            if not self.read_only:
                with contextlib.suppress(OSError):
                    dest = set_aside(self.paths, self.paths.lock, "corrupt")
            self.lock_problems.append(
                StoreProblem(self.paths.lock, ProblemKind.LOCK, check.reason, set_aside=dest)
            )

    @property
    def _stale_of_another_author(self) -> bool:
        check = self.lock_check
        return (
            check.state is locks.LockState.STALE
            and check.info is not None
            and check.info.author != (self.author or "")
        )

    @property
    def lock_owner(self) -> locks.LockInfo | None:
        """Whoever ``lock.json`` says has the project open, when that kept this one read-only."""
        return self.other_instance or self.foreign_lock

    @property
    def takeover_possible(self) -> bool:
        """Whether :meth:`take_over_lock` may be offered to the writer.

        A lock from another host cannot be checked from here, so the writer decides. A live
        process on this machine is safe to take over only when it does not hold the OS lock
        (an older Writers Factory, or a reused pid whose start time is unknown): we got the
        OS lock, so it cannot be a current Writers Factory writing this project. Without an
        OS lock (a filesystem that has none) nothing proves that, and a second writer is
        never risked.
        """
        if self.foreign_lock is not None:
            return self._claim is not locks.Claim.BUSY
        if self.other_instance is not None:
            return self._claim is locks.Claim.ACQUIRED
        return False

    def take_over_lock(self) -> None:
        """The writer chose to proceed despite a lock it could not prove dead.

        Only where :attr:`takeover_possible`, and only once the OS lock is ours again. The
        new ``lock.json`` records whose lock it replaced; the displaced writer (another
        host sharing the folder) finds that out at its next heartbeat and stops writing
        (:class:`SessionTakenOverError`).
        """
        previous = self.lock_owner
        try:
            self._take_over(previous)
        except OSError as exc:  # ReadOnlySessionError included: refused, nothing changed
            self._audit_takeover(previous, error=str(exc))
            raise
        self._audit_takeover(previous)

    def _audit_takeover(self, previous: locks.LockInfo | None, error: str | None = None) -> None:
        """Blocking (the caller's thread): a take-over is recorded as it happens."""
        import os

        def who(info: locks.LockInfo | None) -> str | None:
            if info is None:
                return None
            return f"process {info.pid} ({info.describe_owner()})"

        with contextlib.suppress(OSError):
            AuditLog(self.paths.shared).record(
                "lock-takeover",
                from_=who(previous),
                to=f"process {os.getpid()} ({locks.hostname()})",
                trigger="the writer chose to take the project over",
                error=error,
            )

    def _take_over(self, previous: locks.LockInfo | None) -> None:
        if not self.takeover_possible:
            where = "another host" if self.foreign_lock is not None else "this machine"
            pid = previous.pid if previous is not None else "?"
            raise ReadOnlySessionError(
                f"{self.project_path} is open in process {pid} on {where}; it cannot be "
                "taken over while that process runs"
            )
        make_private_dir(self.paths.root)
        if not self._os_lock:
            claim = locks.acquire_os_lock(self.paths.lock)
            if claim is locks.Claim.BUSY or (
                claim is locks.Claim.UNSUPPORTED and self.other_instance is not None
            ):
                raise ReadOnlySessionError(
                    f"{self.project_path} has just been opened by another Writers Factory on "
                    "this machine; it cannot be taken over while that process runs"
                )
            self._os_lock = claim is locks.Claim.ACQUIRED
        self.foreign_lock = None
        self.other_instance = None
        self.read_only = False
        if self._file.read_only_reason is None:  # a newer current.json stays read-only
            self._file.read_only = False
        self._interrupted = True
        try:
            self._begin_run(displaced=previous)
        except OSError:
            self._abandon_run()
            self.read_only = True
            self._file.read_only = True
            raise

    def _begin_run(self, displaced: locks.LockInfo | None = None) -> None:
        now = self._clock()
        data = self._file.value
        new_id = now.astimezone().strftime("%Y-%m-%d-%H%M%S")
        if self.previous is not None and self.previous.session_id.startswith(new_id):
            new_id = f"{new_id}-{now.microsecond:06d}"
        data.session_id = new_id
        data.started_at = now
        data.last_activity = now
        data.clean_shutdown = False
        if not data.project_name:
            data.project_name = self.project_path.name
        info = locks.new_lock(new_id, now, author=self.author or "")
        if displaced is not None:
            info.taken_over_from = displaced.displaced(now)
        locks.write_lock(self.paths.lock, info)
        self._lock_info = info
        self._holds_lock = True
        self._last_heartbeat = now
        self._file.mark_dirty()
        if not self._file.read_only:  # else already reported; later saves raise, naming it
            self._file.save_sync()

    def check_owner(self) -> None:
        """Raise :class:`SessionTakenOverError` when ``lock.json`` now names another owner.

        Reads ``lock.json`` (a thread, not the UI loop). Another host that took the project
        over left its own lock there; from then on this session is read-only, keeps no lock
        and writes nothing (not even a clean close over the new owner's state). A missing or
        damaged lock is no take-over: the next heartbeat writes ours again.
        """
        if not self._holds_lock or self._lock_info is None:
            if self.taken_over_by is not None:
                raise SessionTakenOverError(self.paths.lock, self.taken_over_by)
            return
        found, _ = locks.read_lock(self.paths.lock)
        if found is None or found.same_owner(self._lock_info):
            return
        self.taken_over_by = found
        self._holds_lock = False
        self.read_only = True
        self._file.read_only = True
        self._release_os_lock()
        raise SessionTakenOverError(self.paths.lock, found)

    def heartbeat(self) -> None:
        """Refresh the lock so other processes see this owner as alive and recent.

        First make sure it is still ours (:meth:`check_owner`): a heartbeat never writes over
        the lock of a writer who took the project over.
        """
        self.check_owner()
        if not self._holds_lock or self._lock_info is None:
            return
        now = self._clock()
        info = locks.new_lock(self.data.session_id, now, author=self.author or "")
        info.started_at = self.data.started_at
        info.taken_over_from = self._lock_info.taken_over_from
        locks.write_lock(self.paths.lock, info)
        self._lock_info = info
        self._last_heartbeat = now

    # ----------------------------------------------------------------- state
    @property
    def data(self) -> SessionData:
        return self._file.value

    @property
    def current_stage(self) -> StageId:
        return self.data.current_state.stage

    @property
    def session_id(self) -> str:
        return self.data.session_id

    @property
    def model_preferences(self) -> Mapping[str, str]:
        """The model chosen per stage (read-only view; change with :meth:`set_model_preference`)."""
        return MappingProxyType(self.data.model_preferences)

    @property
    def open_files(self) -> list[OpenFile]:
        """The files open in the editor with their cursors, in tab order."""
        return list(self.data.open_files)

    @property
    def problems(self) -> list[StoreProblem]:
        said = {(p.kind, p.message) for p in self.lock_problems}
        # a link found at start is also found by current.json's loader: say it once
        return [
            *self.lock_problems,
            *self.path_problems,
            *(p for p in self._file.problems if (p.kind, p.message) not in said),
        ]

    def was_interrupted(self) -> bool:
        """True when the previous session did not close cleanly and its owner is gone."""
        return self._interrupted

    @property
    def duration_minutes(self) -> float:
        """How long the previous run lasted (for the recovery prompt)."""
        prev = self.previous
        if prev is None:
            return 0.0
        return max(0.0, (prev.last_activity - prev.started_at).total_seconds() / 60)

    def _audit(
        self,
        kind: AuditKind,
        old: str | None,
        new: str,
        trigger: str = "",
        *,
        error: str | None = None,
    ) -> None:
        if self.read_only:
            return  # the instance that owns the project records its own transitions
        self._audit_pending.append(
            AuditRecord(
                at=self._clock(),
                kind=kind,
                from_=old,
                to=new,
                trigger=trigger,
                actor=f"{self.author} ({default_actor()})" if self.author else default_actor(),
                ok=error is None,
                error=error,
            )
        )

    def flush_audit(self) -> None:
        """Append the pending transitions to ``audit.jsonl`` (blocking: call from a thread).

        A failure keeps them pending for the next save; the state itself is saved anyway.
        """
        if self.read_only:
            return
        while self._audit_pending:
            try:
                AuditLog(self.paths.shared).append(self._audit_pending[0])
            except OSError:
                return
            self._audit_pending.pop(0)

    def _touch(self) -> None:
        self.data.last_activity = self._clock()
        self._file.mark_dirty()

    def set_stage(self, stage: str) -> None:
        """Change the stage; one that does not exist is refused with
        :class:`~writers_factory.core.stages.InvalidStageError` (a ``ValueError``), and the
        refusal is recorded in the audit trail like any transition."""
        current = self.data.current_state.stage
        try:
            value = check_transition(current, stage)
        except InvalidStageError as exc:
            self._audit("stage", current, str(stage)[:200], error=str(exc))
            raise
        if current != value:
            self._audit("stage", current, value)
            self.data.current_state.stage = value
            self._touch()

    def set_project_name(self, name: str) -> None:
        """The project's title as the writer gave it (``writers-factory new --title``)."""
        if self.data.project_name != name:
            self.data.project_name = name
            self._touch()

    def set_screen(self, screen: str) -> None:
        if self.data.current_state.screen != screen:
            self.data.current_state.screen = screen
            self._touch()

    def set_focus_mode(self, on: bool) -> None:
        if self.data.current_state.focus_mode != on:
            self.data.current_state.focus_mode = on
            self._touch()

    def stage_view(self, stage: str) -> StageView:
        """The remembered state of ``stage``'s screen (a fresh one when none was kept)."""
        return self.data.current_state.views.get(stage, StageView()).model_copy()

    def set_stage_view(self, stage: str, view: StageView) -> None:
        """Remember where the writer was on ``stage``'s screen (saved with the session)."""
        if stage not in STAGE_IDS:
            raise ValueError(f"unknown stage {stage!r}; choose one of {', '.join(STAGE_IDS)}")
        views = self.data.current_state.views
        if views.get(stage) != view:
            self.data.current_state.views = {**views, stage: view.model_copy()}
            self._touch()

    def set_breadcrumb(self, crumbs: list[str]) -> None:
        crumbs = [str(c) for c in crumbs]
        if self.data.current_state.breadcrumb != crumbs:
            self.data.current_state.breadcrumb = crumbs
            self._touch()

    def relative(self, path: Path | str) -> str:
        """Project-relative POSIX form, the only form stored (projects move between machines)."""
        candidate = Path(path)
        if candidate.is_absolute():
            with contextlib.suppress(ValueError):
                candidate = candidate.relative_to(self.project_path)
        return candidate.as_posix()

    def open_file(self, path: Path | str, cursor_line: int = 0, cursor_col: int = 0) -> None:
        rel = self.relative(path)
        for item in self.data.open_files:
            if item.path == rel:
                if (item.cursor_line, item.cursor_col) != (cursor_line, cursor_col):
                    item.cursor_line, item.cursor_col = max(0, cursor_line), max(0, cursor_col)
                    self._touch()
                break
        else:
            self.data.open_files.append(
                OpenFile(path=rel, cursor_line=max(0, cursor_line), cursor_col=max(0, cursor_col))
            )
            self._touch()
        if self.data.active_file != rel:
            self.data.active_file = rel
            self._touch()

    def close_file(self, path: Path | str) -> None:
        rel = self.relative(path)
        kept = [f for f in self.data.open_files if f.path != rel]
        if len(kept) != len(self.data.open_files):
            self.data.open_files = kept
            if self.data.active_file == rel:
                self.data.active_file = kept[-1].path if kept else None
            self._touch()

    def set_model_preference(self, stage: str, model: str) -> None:
        if self.data.model_preferences.get(stage) != model:
            self._audit("model", self.data.model_preferences.get(stage), model, f"stage {stage}")
            self.data.model_preferences = {**self.data.model_preferences, stage: model}
            self._touch()

    def add_recent_query(self, query: str, source: str) -> None:
        entry = RecentQuery(query=query, source=source, timestamp=self._clock())
        self.data.recent_queries = [*self.data.recent_queries, entry][-RECENT_QUERIES:]
        self._touch()

    def record_file_change(
        self, kind: str, path: Path | str, dest: Path | str | None = None
    ) -> None:
        """Remember what changed in the manuscript folders during this session."""
        rel_dest = None if dest is None else self.relative(dest)
        self.record_file_changes([(kind, self.relative(path), rel_dest)])

    def record_file_changes(
        self, changes: Iterable[tuple[str, Path | str, Path | str | None]]
    ) -> None:
        """Remember a batch of ``(kind, path, dest)`` changes at once: one assignment (one
        validation of the kept list), however many files a burst outside the app touched.

        A ``str`` path is taken as already project-relative POSIX (the watcher makes them so
        off the path arithmetic of ``Path``); a ``Path`` is made relative here.
        """
        at = self._clock()

        def rel(path: Path | str) -> str:
            return path if isinstance(path, str) else self.relative(path)

        records = [
            FileChangeRecord(
                path=rel(path),
                kind=kind,  # type: ignore[arg-type]
                dest=None if dest is None else rel(dest),
                at=at,
            )
            for kind, path, dest in changes
        ]
        if not records:
            return
        self.data.file_changes = [*self.data.file_changes, *records][-FILE_CHANGES_KEPT:]
        self._touch()

    def mark_file_modified(self, path: Path | str) -> None:
        """A file of the project changed (the specification's watcher calls this)."""
        self.record_file_change("modified", self._inside(path))

    def mark_file_created(self, path: Path | str) -> None:
        """A file of the project appeared (the specification's watcher calls this)."""
        self.record_file_change("created", self._inside(path))

    def _inside(self, path: Path | str) -> Path:
        """``path`` as a path of this project; one outside it (or climbing out) is refused."""
        candidate = Path(path)
        absolute = candidate if candidate.is_absolute() else self.project_path / candidate
        import os

        normal = Path(os.path.normpath(absolute))
        if not normal.is_relative_to(os.path.normpath(self.project_path)):
            raise ValueError(f"{path} is not inside the project {self.project_path}")
        return normal

    def has_changes(self) -> bool:
        return self._file.dirty

    # ----------------------------------------------------------------- persistence
    def on_save(self, callback: F) -> F:
        """Register (or decorate) a listener called after each save of a ``.session/`` file.

        It may take the :class:`SaveMetadata` or nothing (``def refresh(): ...``).
        """
        self.callbacks.on_save.append(callback)
        return callback

    def on_load(self, callback: F) -> F:
        """As :meth:`on_save`, after a file was read (with :class:`LoadMetadata` or nothing)."""
        self.callbacks.on_load.append(callback)
        return callback

    def on_error(self, callback: F) -> F:
        """As :meth:`on_save`, for problems found on disk (with the problem or nothing)."""
        self.callbacks.on_error.append(callback)
        return callback

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlySessionError(f"{self.paths.current} is open read-only")

    def _maybe_heartbeat(self) -> None:
        last = self._last_heartbeat
        if self._holds_lock and (
            last is None or (self._clock() - last).total_seconds() >= HEARTBEAT_SECONDS
        ):
            self.heartbeat()

    @property
    def last_save_time(self) -> SaveTime | None:
        """When ``current.json`` last reached the disk: this process's last save, else the
        file's modification time as found at start (``None`` when there is none yet).

        A :class:`~writers_factory.store.session.save_time.SaveTime`: a UTC ``datetime`` that
        also subtracts from epoch seconds, so the specification's status bar
        (``time.time() - session.last_save_time``) gives seconds since the save. It is
        already the new moment inside an ``on_save`` listener of that save.
        """
        meta = self._file.last_save
        moment = meta.timestamp if meta is not None else self._saved_on_disk
        return None if moment is None else SaveTime.of(moment)

    def save_sync(self, *, force: bool = False) -> bool:
        """Synchronous save, for quit and signal handlers where no worker may run."""
        if self.read_only:
            return False
        if self._holds_lock:
            self.check_owner()
        wrote = self._file.save_sync(force=force)
        self.flush_audit()
        self._maybe_heartbeat()
        return wrote

    async def save(self, *, force: bool = False) -> bool:
        """Write ``current.json`` when changed; True when bytes reached the disk.

        A session opened read-only (another instance, the caller's choice) writes nothing and
        returns False. When ``current.json`` itself keeps the state read-only (written by a
        newer version, unreadable, a link) while it has changes, raises
        :class:`~writers_factory.store.base.jsonfile.FileReadOnlyError` naming it.
        """
        if self.read_only:
            return False
        if self._holds_lock:
            await asyncio.to_thread(self.check_owner)  # never write over a new owner's state
        wrote = await self._file.save(force=force)
        if self._audit_pending:
            await asyncio.to_thread(self.flush_audit)
        if self._holds_lock:
            await asyncio.to_thread(self._maybe_heartbeat)
        return wrote

    @overload
    async def load(self, session_id: Literal["current"] = "current") -> SessionData: ...

    @overload
    async def load(self, session_id: str) -> SessionData | PastSession: ...

    async def load(self, session_id: str = "current") -> SessionData | PastSession:
        """Re-read this session, or read an earlier one.

        ``"current"`` (or this session's own id) re-reads ``current.json``, replacing the
        in-memory state (open files leading outside the project are dropped, each named),
        and returns it. Any other id is a past session: its recorded state (from
        ``history.json``, and for the run just before this one from the state read at
        start) is returned as a read-only :class:`~writers_factory.store.session.past.PastSession`;
        this session is left as it was. An id nobody recorded raises
        :class:`~writers_factory.store.session.past.UnknownSessionError` naming the recent ones.
        """
        if session_id in ("current", self.session_id):
            await self._file.load()
            self.path_problems = await asyncio.to_thread(self._contain)
            return self.data
        from writers_factory.store.session.past import find_past

        return await asyncio.to_thread(find_past, self.paths.root, session_id, self.previous)

    def _contain(self) -> list[StoreProblem]:
        """Drop open files of ``current.json`` that lead outside the project (each named)."""
        problems = contain_open_files(self.project_path, self.paths.current, self.data)
        for problem in problems:
            self.callbacks.error(problem)
        return problems

    def close_sync(self) -> None:
        if self.read_only:
            return
        self.data.clean_shutdown = True
        self.data.last_activity = self._clock()
        self._file.mark_dirty()
        # current.json may not be ours to write (reported at every save): still close cleanly
        try:
            self.save_sync()
        except SessionTakenOverError:
            return  # the project is someone else's now: their state and lock stay as they are
        except FileReadOnlyError:
            pass
        if self._holds_lock:
            locks.release(self.paths.lock)  # first lock.json, then the OS lock: a newcomer
            self._holds_lock = False  # that gets the OS lock finds the project closed
        self._release_os_lock()

    async def close(self) -> None:
        """Clean shutdown: the next start will not see this session as interrupted."""
        await asyncio.to_thread(self.close_sync)

    @staticmethod
    def _mtime(path: Path) -> datetime | None:
        try:
            return datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            return None


__all__ = [
    "FileReadOnlyError",
    "LoadMetadata",
    "ReadOnlySessionError",
    "SaveMetadata",
    "Session",
    "SessionTakenOverError",
]
