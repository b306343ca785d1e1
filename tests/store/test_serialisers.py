from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writers_factory.store.base.serialisers import DecodeError, Format, detect, dumps, loads

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
