"""Snapshots of the whole book: commits in a bare git repository inside ``.session/``.

The object format is git's, read and written through dulwich (imported lazily: it is only
needed once a snapshot is taken or read), so the history is content-addressed, checksummed,
deduplicated, and readable with stock ``git --git-dir=.session/snapshots.git``. Every object
and ref goes through the one durable write path. A project that is a git repository itself
is never touched: this repository lives in ``.session/`` and has no work tree.

Modules: ``models`` (what a commit records), ``triggers`` (why one was taken),
``repository`` (the bare repository: objects, refs, the writers' lock), ``capture`` (the
project's files as a tree), ``taker`` (one snapshot end to end), ``reading`` (timeline,
file texts, diffs), ``restore`` (restore a file, roll the session back), ``migrate`` (the
earlier ``versions/`` copies).
"""
