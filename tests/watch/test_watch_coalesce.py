"""The coalescer's one promise: replaying a batch on the app's view gives the tree as it is.

The rules named in the issue are checked by hand; hypothesis then drives random sequences
of writes, deletions, moves and atomic saves, flushing at random points, and replays every
batch on a model of the app's view.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from writers_factory.watch.changes import ChangeKind, FileChange, RawEvent, RawKind
from writers_factory.watch.coalesce import Coalescer

ROOT = Path("/project/manuscript")
A, B, C = ROOT / "a.md", ROOT / "b.md", ROOT / "c.md"


def ev(kind: RawKind, path: Path, dest: Path | None = None, *, is_dir: bool = False) -> RawEvent:
    return RawEvent(kind, path, dest, is_dir)


def fold(events: list[RawEvent], existing: tuple[Path, ...] = ()) -> list[FileChange]:
    coalescer = Coalescer(existing)
    for event in events:
        coalescer.apply(event)
    return coalescer.take()


def test_created_then_modified_is_created() -> None:
    changes = fold([ev(RawKind.CREATED, A), ev(RawKind.MODIFIED, A), ev(RawKind.MODIFIED, A)])
    assert changes == [FileChange(ChangeKind.CREATED, A)]


def test_created_then_deleted_is_nothing() -> None:
    assert fold([ev(RawKind.CREATED, A), ev(RawKind.MODIFIED, A), ev(RawKind.DELETED, A)]) == []


def test_modified_then_deleted_is_deleted() -> None:
    changes = fold([ev(RawKind.MODIFIED, A), ev(RawKind.DELETED, A)], existing=(A,))
    assert changes == [FileChange(ChangeKind.DELETED, A)]


def test_deleted_then_created_is_modified() -> None:
    changes = fold([ev(RawKind.DELETED, A), ev(RawKind.CREATED, A)], existing=(A,))
    assert changes == [FileChange(ChangeKind.MODIFIED, A)]


def test_move_keeps_source_and_destination() -> None:
    changes = fold([ev(RawKind.MOVED, A, B)], existing=(A,))
    assert changes == [FileChange(ChangeKind.MOVED, A, B)]


def test_modified_then_moved_is_moved_and_modified() -> None:
    changes = fold([ev(RawKind.MODIFIED, A), ev(RawKind.MOVED, A, B)], existing=(A,))
    assert changes == [FileChange(ChangeKind.MOVED, A, B), FileChange(ChangeKind.MODIFIED, B)]


def test_chained_moves_collapse_and_a_round_trip_is_nothing() -> None:
    assert fold([ev(RawKind.MOVED, A, B), ev(RawKind.MOVED, B, C)], existing=(A,)) == [
        FileChange(ChangeKind.MOVED, A, C)
    ]
    assert fold([ev(RawKind.MOVED, A, B), ev(RawKind.MOVED, B, A)], existing=(A,)) == []


def test_created_then_moved_is_created_at_the_destination() -> None:
    changes = fold([ev(RawKind.CREATED, A), ev(RawKind.MOVED, A, B)])
    assert changes == [FileChange(ChangeKind.CREATED, B)]


def test_atomic_save_is_modified_when_the_file_existed_and_created_when_not() -> None:
    assert fold([ev(RawKind.REPLACED, A)], existing=(A,)) == [FileChange(ChangeKind.MODIFIED, A)]
    assert fold([ev(RawKind.REPLACED, A)]) == [FileChange(ChangeKind.CREATED, A)]


def test_deleting_a_folder_settles_what_was_pending_inside_it() -> None:
    part = ROOT / "part1"
    inside, old = part / "new.md", part / "old.md"
    changes = fold(
        [
            ev(RawKind.CREATED, inside),
            ev(RawKind.MODIFIED, old),
            ev(RawKind.DELETED, part, is_dir=True),
        ],
        existing=(part, old),
    )
    assert FileChange(ChangeKind.CREATED, inside) not in changes
    assert changes[-1] == FileChange(ChangeKind.DELETED, part, None, True)
    assert FileChange(ChangeKind.DELETED, old) in changes


def test_a_folder_deleted_and_recreated_reports_both() -> None:
    part = ROOT / "part1"
    changes = fold(
        [ev(RawKind.DELETED, part, is_dir=True), ev(RawKind.CREATED, part, is_dir=True)],
        existing=(part,),
    )
    assert changes == [
        FileChange(ChangeKind.DELETED, part, None, True),
        FileChange(ChangeKind.CREATED, part, None, True),
    ]


def test_swapping_two_files_through_a_third_name_is_reported_as_rewrites() -> None:
    tmp = ROOT / "swap.md"
    changes = fold(
        [ev(RawKind.MOVED, A, tmp), ev(RawKind.MOVED, B, A), ev(RawKind.MOVED, tmp, B)],
        existing=(A, B),
    )
    assert sorted(changes, key=lambda c: c.path) == [
        FileChange(ChangeKind.MODIFIED, A),
        FileChange(ChangeKind.MODIFIED, B),
    ]


def test_a_move_out_is_told_before_what_lands_on_the_old_name() -> None:
    # a -> x, b -> c, x -> b: the app must move b to c before a's content lands on b.
    x = ROOT / "x.md"
    changes = fold(
        [ev(RawKind.MOVED, A, x), ev(RawKind.MOVED, B, C), ev(RawKind.MOVED, x, B)],
        existing=(A, B),
    )
    assert changes == [FileChange(ChangeKind.MOVED, B, C), FileChange(ChangeKind.MOVED, A, B)]


# -- replay property ----------------------------------------------------------------------

NAMES = [ROOT / f"{n}.md" for n in "abcd"]
ops = st.lists(
    st.tuples(
        st.sampled_from(["write", "delete", "move", "atomic", "flush"]),
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
    ),
    max_size=40,
)


def replay(view: dict[Path, int], disk: dict[Path, int], changes: list[FileChange]) -> None:
    """Apply a batch the way the app would, checking each change makes sense to it."""
    for change in changes:
        if change.kind is ChangeKind.CREATED:
            assert change.path not in view, change
            view[change.path] = disk[change.path]
        elif change.kind is ChangeKind.MODIFIED:
            assert change.path in view, change
            view[change.path] = disk[change.path]
        elif change.kind is ChangeKind.DELETED:
            assert change.path in view, change
            del view[change.path]
        else:
            assert change.dest is not None and change.path in view, change
            view[change.dest] = view.pop(change.path)


@settings(max_examples=400, deadline=None)
@given(initial=st.sets(st.sampled_from(NAMES)), steps=ops)
def test_replaying_batches_reproduces_the_tree(
    initial: set[Path], steps: list[tuple[str, Path, Path]]
) -> None:
    disk = {path: 0 for path in initial}
    view = dict(disk)
    coalescer = Coalescer(initial)
    for version, (op, path, other) in enumerate(steps, start=1):
        if op == "write":
            if path not in disk:
                coalescer.apply(ev(RawKind.CREATED, path))
            coalescer.apply(ev(RawKind.MODIFIED, path))
            disk[path] = version
        elif op == "atomic":
            coalescer.apply(ev(RawKind.REPLACED, path))
            disk[path] = version
        elif op == "delete" and path in disk:
            coalescer.apply(ev(RawKind.DELETED, path))
            del disk[path]
        elif op == "move" and path in disk and path != other:
            coalescer.apply(ev(RawKind.MOVED, path, other))
            disk[other] = disk.pop(path)
        elif op == "flush":
            replay(view, disk, coalescer.take())
            assert view == disk
    replay(view, disk, coalescer.take())
    assert view == disk
