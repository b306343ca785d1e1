"""A text with its UTF-8 bytes, kept so that the next save encodes only what changed.

Encoding a whole novel costs about as much as writing it durably (about 4 ms for 3.2 MB:
a text holding one curly quote or accent is kept two bytes a character in memory, and every
character is converted). A save usually follows a local edit: the new text shares all but a
few sentences with the one last written. So the last bytes are kept with *marks* — character
offsets and the byte offsets they encode to, about every ``STEP`` characters — and the new
bytes are the old ones up to the mark before the change, the changed part encoded, and the
old ones from the mark after it. UTF-8 encodes each character on its own, so the result is
exactly ``text.encode("utf-8")`` (the tests check it on random edits and chains of edits).

The text kept is the very string the save was given (the document keeps the same one as
the file's text), so keeping it costs a reference, not a copy.

The new bytes are kept as their parts (views of the old bytes, the pieces encoded) and
joined into one ``bytes`` only when first asked for (:attr:`Encoded.data`): a save writes
the parts as they are (``os.writev``) and has a helper thread join them while it waits on
the disk — copying a whole novel cost the save's own thread half a millisecond.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from writers_factory.core.common_ends import CommonEnds, Unchanged, common_ends

ENCODING = "utf-8"

STEP = 1 << 15
"""Characters between two marks (the last piece of a stretch takes up to twice as many): a
local edit re-encodes a few times this much at most, whatever the length of the text."""


Part = bytes | memoryview
"""A stretch of encoded bytes: a piece encoded, or a view of bytes encoded before."""


class Encoded:
    """``data`` is ``text`` encoded; ``chars[k]`` characters encode to ``offsets[k]`` bytes.

    Made of :attr:`parts` until :attr:`data` is first asked for (by any thread: joined
    once)."""

    __slots__ = ("_data", "_join", "chars", "joined_on", "kept", "offsets", "parts", "size", "text")

    def __init__(
        self,
        text: str,
        parts: Sequence[Part],
        chars: tuple[int, ...],
        offsets: tuple[int, ...],
        kept: int = 0,
    ) -> None:
        self.text = text
        self.parts: tuple[Part, ...] = tuple(parts)
        """The bytes in order; one ``bytes`` once joined (the views of older bytes let go)."""
        self.chars = chars
        """Increasing, from 0 to ``len(text)``."""
        self.offsets = offsets
        """The byte offset of each of :attr:`chars`, from 0 to ``len(data)``."""
        self.kept = kept
        """Leading bytes copied from the encoding this one was made from (0: encoded whole):
        their hash need not be computed again either (``digests.sha256_marked``)."""
        self.size = offsets[-1]
        """``len(data)``, known without joining."""
        self._data: bytes | None = None
        self._join = threading.Lock()
        self.joined_on: int | None = None
        """The thread that joined the parts (tests check a save's own thread does not)."""

    @property
    def data(self) -> bytes:
        """The bytes, joined from :attr:`parts` the first time (the first thread to ask
        joins them; another asking meanwhile waits for that join, never makes another)."""
        data = self._data
        if data is None:
            with self._join:
                data = self._data
                if data is None:
                    parts = self.parts
                    data = (
                        parts[0] if len(parts) == 1 and type(parts[0]) is bytes else b"".join(parts)
                    )
                    assert isinstance(data, bytes)
                    self._data, self.parts = data, (data,)
                    self.joined_on = threading.get_ident()
        return data

    def __repr__(self) -> str:
        return f"Encoded({self.size} bytes, {len(self.chars)} marks, kept {self.kept})"


def _pieces(text: str, first: int, end: int, step: int) -> tuple[list[bytes], list[int]]:
    """``text[first:end]`` encoded in pieces, and where they start but the first: every
    ``step`` characters, the last piece taking the rest (``step`` to ``2 × step - 1``), so
    editing one stretch twice does not leave short pieces and more marks behind."""
    if end <= first:
        return [], []
    cuts = list(range(first + step, end - step + 1, step))
    ends = [*cuts, end]
    starts = [first, *cuts]
    return [text[a:b].encode(ENCODING) for a, b in zip(starts, ends, strict=True)], cuts


def encode(text: str, step: int = STEP) -> Encoded:
    """All of ``text``, encoded piece by piece so that every piece's start is a mark."""
    pieces, cuts = _pieces(text, 0, len(text), step)
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    chars = [0, *cuts, len(text)] if text else [0]
    return Encoded(text, pieces, tuple(chars), tuple(offsets))


def encode_after(
    previous: Encoded | None, text: str, step: int = STEP, unchanged: Unchanged | None = None
) -> tuple[Encoded, CommonEnds | None]:
    """``text`` encoded, re-using the bytes of ``previous`` around the part that differs, and
    the common ends of the two texts when they were compared (the words count needs them).

    Costs two compares of the texts (their common beginning and end: only the editor's
    window when ``unchanged`` tells it), encoding the changed part and one copy of the
    bytes; a text that is mostly new is encoded whole.
    """
    if previous is None:
        return encode(text, step), None
    old = previous.text
    if text is old:
        return previous, None
    ends = common_ends(old, text, unchanged)
    if ends.same:
        return previous, None
    shared, tail = ends.prefix, ends.suffix
    chars, offsets = previous.chars, previous.offsets
    before = bisect_right(chars, shared) - 1  # the last mark in the shared beginning
    after = bisect_left(chars, len(old) - tail)  # the first mark in the shared end
    shift = len(text) - len(old)
    first, end = chars[before], chars[after] + shift  # the part of ``text`` to encode
    if end - first > len(text) // 2:
        return encode(text, step), ends
    pieces, cuts = _pieces(text, first, end, step)
    view = memoryview(previous.data)
    parts: list[Part] = [view[: offsets[before]], *pieces, view[offsets[after] :]]
    new_chars = list(chars[: before + 1])
    new_offsets = list(offsets[: before + 1])
    size = offsets[before]
    for cut, piece in zip(cuts, pieces, strict=False):  # a mark where each next piece starts
        size += len(piece)
        new_chars.append(cut)
        new_offsets.append(size)
    # how far the kept end moved: where the encoded part ends, against where it began
    grown = offsets[before] + sum(map(len, pieces)) - offsets[after]
    for char, offset in zip(chars[after:], offsets[after:], strict=True):
        if char + shift > new_chars[-1]:  # an empty changed part leaves two marks in one place
            new_chars.append(char + shift)
            new_offsets.append(offset + grown)
    encoded = Encoded(text, parts, tuple(new_chars), tuple(new_offsets), offsets[before])
    return encoded, ends
