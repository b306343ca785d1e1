from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.store.base.serialisers import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    DecodeError,
    Format,
    detect,
    dumps,
    loads,
)

DOC = {"schema_version": 1, "title": "Les Misérables", "n": [1, 2, 3]}


@pytest.mark.parametrize("fmt", list(Format))
def test_round_trip_and_detection(fmt: Format) -> None:
    data = dumps(DOC, fmt)
    assert detect(data) is fmt
    assert loads(data) == (DOC, fmt)


def test_indented_json_is_human_readable() -> None:
    text = dumps(DOC).decode()
    assert text.endswith("\n") and '\n  "title": "Les Misérables"' in text


def test_gzip_is_deterministic_and_smaller_for_big_documents() -> None:
    big = {"rows": ["the same sentence again"] * 5000}
    assert dumps(big, Format.GZIP_JSON) == dumps(big, Format.GZIP_JSON)
    assert len(dumps(big, Format.GZIP_JSON)) < len(dumps(big)) / 10


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"{", "invalid JSON at line 1"),
        (b"\x1f\x8b\x08garbage", "damaged gzip"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_bad_bytes_give_plain_reasons(data: bytes, fragment: str) -> None:
    with pytest.raises(DecodeError, match=fragment):
        loads(data)


@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_raise_anything_but_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        loads(data)


# --------------------------------------------------------------------------- hostile bytes
def _nested(levels: int) -> dict[str, object]:
    value: dict[str, object] = {"leaf": 1}
    for _ in range(levels):
        value = {"deeper": value}
    return value


def test_a_byte_order_mark_from_a_hand_edit_is_accepted() -> None:
    assert loads(b"\xef\xbb\xbf" + dumps(DOC))[0] == DOC


@pytest.mark.parametrize("digits", [41, 5000, 100_000])
def test_an_enormous_integer_is_refused_naming_the_field(digits: int) -> None:
    data = b'{"open_files": [{"path": "a", "cursor_line": ' + b"9" * digits + b"}]}"
    with pytest.raises(DecodeError, match=f"{digits} digits") as info:
        loads(data)
    assert info.value.field == "open_files.0.cursor_line"
    assert "open_files.0.cursor_line" in str(info.value)


@pytest.mark.parametrize("text", [b"1e999", b"-1e999", b"NaN", b"Infinity", b"-Infinity"])
def test_non_finite_numbers_are_refused(text: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        loads(b'{"budget": {"warn_at": ' + text + b"}}")
    assert info.value.field == "budget.warn_at"


def test_deep_nesting_is_refused_naming_where() -> None:
    data = json.dumps({"schema_version": 1, "unknown": _nested(400)}).encode()
    with pytest.raises(DecodeError, match="nested more than") as info:
        loads(data)
    assert info.value.field is not None and info.value.field.startswith("unknown.deeper")


def test_nesting_of_our_own_files_is_accepted() -> None:
    assert loads(json.dumps(_nested(MAX_DEPTH - 2)).encode())[0] == _nested(MAX_DEPTH - 2)


def test_a_gzip_bomb_is_refused_without_expanding_it() -> None:
    import gzip
    import resource

    bomb = gzip.compress(b"[" + b" " * (200 * 1024 * 1024) + b"]", compresslevel=9)
    assert len(bomb) < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(DecodeError, match="expands to more than"):
        loads(bomb)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 2 * MAX_DOCUMENT_BYTES // 1024


def test_gzip_within_the_limit_still_reads() -> None:
    big = {"rows": ["the same sentence again"] * 50_000}
    assert loads(dumps(big, Format.GZIP_JSON)) == (big, Format.GZIP_JSON)


def test_truncated_gzip_is_damaged() -> None:
    data = dumps({"rows": list(range(1000))}, Format.GZIP_JSON)
    with pytest.raises(DecodeError, match="damaged gzip"):
        loads(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b'{"a": ["x", "\\ud800"]}', "a.1"),
        (b'{"q": {"\\udc00": 1}}', "q.\\udc00"),
    ],
)
def test_a_lone_surrogate_is_refused_it_could_never_be_written_back(
    data: bytes, field: str
) -> None:
    with pytest.raises(DecodeError, match="lone surrogate") as info:
        loads(data)
    assert info.value.field == field


def test_escaped_pairs_and_plain_escapes_are_fine() -> None:
    assert loads(b'{"a": "\\ud83d\\ude00 \\u00e9"}')[0] == {"a": "😀 é"}
