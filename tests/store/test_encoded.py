"""Encoding only what changed gives exactly the bytes of encoding the whole text."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.core import common_ends
from writers_factory.core.common_ends import common_prefix, common_suffix
from writers_factory.store.base.digests import Sha256
from writers_factory.store.manuscript import encoded
from writers_factory.store.manuscript.encoded import Encoded, encode, encode_after

# one, two, three and four bytes a character, and the line ends a writer's files hold
_CHARS = st.sampled_from(["a", "Z", " ", "\n", "\r\n", "é", "’", "—", "東", "😀", "\t"])
_TEXT = st.lists(_CHARS, max_size=60).map("".join)


def _consistent(result: Encoded) -> None:
    """The bytes are the text's, and every mark is where it says."""
    text = result.text
    assert result.data == text.encode("utf-8")
    assert result.size == len(result.data)
    assert result.chars[0] == 0 and result.chars[-1] == len(text)
    assert list(result.chars) == sorted(set(result.chars))
    for char, offset in zip(result.chars, result.offsets, strict=True):
        assert len(text[:char].encode("utf-8")) == offset


@given(_TEXT, st.integers(1, 9))
def test_a_whole_encoding_is_the_texts(text: str, step: int) -> None:
    _consistent(encode(text, step))


@given(_TEXT, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 12), _TEXT), max_size=6))
def test_encoding_after_edits_is_encoding_the_whole(
    text: str, edits: list[tuple[int, int, str]]
) -> None:
    """Edits anywhere (at a mark, across marks, at either end, deleting everything), one after
    the other: each result equals the whole text encoded, marks included, and hashing it
    from the states kept at the marks gives the hash of its bytes."""
    result = encode(text, 4)
    digest = Sha256.in_background(result.data, result.offsets)
    for at, length, typed in edits:
        at = min(at, len(text))
        text = text[:at] + typed + text[at + length :]
        result, _ = encode_after(result, text, 4)
        _consistent(result)
        # the hash resumed from the last mark of the bytes kept is the whole bytes' hash
        digest = Sha256.in_background(result.data, result.offsets, digest, result.kept)
        assert digest.hexdigest() == hashlib.sha256(result.data).hexdigest()


def test_a_sentence_typed_mid_novel_encodes_only_around_it() -> None:
    """Counted in characters encoded, not timed: the bytes before the mark ahead of the edit
    and after the mark behind it are copied, not encoded again."""
    paragraph = "It was a dark and stormy night — the rain fell in torrents.\n\n"
    old = paragraph * 20_000
    before = encode(old)
    middle = len(old) // 2
    new = old[:middle] + " Then the wind rose." + old[middle:]
    spans: list[tuple[int, int]] = []
    real = encoded._pieces

    def counting(text: str, first: int, end: int, step: int) -> tuple[list[bytes], list[int]]:
        spans.append((first, end))
        return real(text, first, end, step)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(encoded, "_pieces", counting)
        after, ends = encode_after(before, new)
    assert after.data == new.encode("utf-8")
    [(first, end)] = spans
    assert first <= middle < middle + 20 <= end
    assert end - first <= 2 * encoded.STEP + 20, "about two marks apart, not the novel"
    assert len(after.chars) == len(before.chars), "as many marks as before"
    assert ends is not None and ends.between(old, new)
    assert (ends.prefix, ends.suffix) == (middle, len(old) - middle)


def test_the_same_text_is_the_same_encoding() -> None:
    before = encode("Once upon a time.\n")
    assert encode_after(before, "Once upon a time.\n") == (before, None)
    assert encode_after(None, "é")[0].data == "é".encode()


@given(_TEXT, _TEXT, st.integers(1, 5))
def test_common_ends_are_the_longest(a: str, b: str, block: int) -> None:
    with pytest.MonkeyPatch.context() as patch:  # small blocks: compares across their edges
        patch.setattr(common_ends, "BLOCK", block)
        shared = common_prefix(a, b)
        limit = min(len(a), len(b)) - shared
        tail = common_suffix(a, b, limit)
    assert a[:shared] == b[:shared]
    assert shared == min(len(a), len(b)) or a[shared] != b[shared]
    assert tail <= limit
    assert a[len(a) - tail :] == b[len(b) - tail :]
    assert tail == limit or a[len(a) - tail - 1] != b[len(b) - tail - 1]
