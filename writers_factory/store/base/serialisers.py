"""Byte formats for files in ``.session/``: indented JSON, compact JSON and gzip JSON.

Reading never needs to be told the format: gzip is recognised by its magic bytes, so a
file that was compressed when it grew is read back transparently.

Reading is also where hostile or odd bytes are stopped, before any model or any other layer
sees them: a UTF-8 byte-order mark (a hand edit in some editors) is accepted; a document
larger than :data:`MAX_DOCUMENT_BYTES` once decompressed (a gzip bomb), nested deeper than
:data:`MAX_DEPTH`, or holding a number no Writers Factory file ever holds (more than
:data:`MAX_INT_DIGITS` digits, infinite, not a number) is refused with a
:class:`DecodeError` that names the field.
"""

from __future__ import annotations

import enum
import gzip
import json
import math
import re
import zlib
from typing import Any

from writers_factory.core.errors import WritersFactoryError

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""The largest document read, after decompression. ``history.json`` of twenty sessions and
years of hourly word counts is a few megabytes; a gigabyte is an attack or an accident."""

MAX_DEPTH = 64
"""Deepest nesting of objects and lists accepted. Our files nest five levels at most; the
limit keeps validation, copies and re-serialisation far from Python's recursion limits."""

MAX_INT_DIGITS = 40
"""Longest whole number accepted: token counts, pids and clock ticks need at most 20."""


class Format(enum.StrEnum):
    JSON = "json"
    COMPACT_JSON = "compact-json"
    GZIP_JSON = "gzip-json"


def dumps(obj: Any, fmt: Format = Format.JSON) -> bytes:
    """Serialise ``obj`` (already JSON-compatible) in ``fmt``; indented JSON ends in a newline."""
    if fmt is Format.JSON:
        return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    compact = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if fmt is Format.COMPACT_JSON:
        return compact
    # mtime=0 keeps the bytes a pure function of the content
    return gzip.compress(compact, compresslevel=6, mtime=0)


def detect(data: bytes) -> Format:
    """Tell the format from the bytes alone."""
    if data[:2] == GZIP_MAGIC:
        return Format.GZIP_JSON
    head = data[:4096].lstrip()
    if head.startswith((b"{", b"[")) and b"\n" in data.strip():
        return Format.JSON
    return Format.COMPACT_JSON


class DecodeError(WritersFactoryError, ValueError):
    """The bytes are not a JSON document in any format we write.

    ``field`` is the dotted path of the offending value when one is to blame; the message
    then starts with it, and ``reason`` is the message without it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


def decompress(data: bytes, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Gunzip ``data``, refusing to produce more than ``limit`` bytes (a gzip bomb)."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            chunk = inflater.decompress(rest, limit - size + 1)
            size += len(chunk)
            out.append(chunk)
            if size > limit or inflater.unconsumed_tail:
                raise DecodeError(
                    f"gzip data expands to more than {limit // (1024 * 1024)} MB; "
                    "not read (no Writers Factory file is that large)"
                )
            if not inflater.eof:
                raise DecodeError("damaged gzip data (it ends too early)")
            rest = inflater.unused_data
            if rest.strip(b"\0") == b"":
                break  # padding after the last member
    except zlib.error as exc:
        raise DecodeError(f"damaged gzip data ({exc})") from exc
    return b"".join(out)


class _Refused:
    """Stands in, while parsing, for a number no file of ours holds; found and named after."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_int(text: str) -> int | _Refused:
    if len(text) <= MAX_INT_DIGITS:
        return int(text)
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return _Refused(f"a whole number of {digits} digits (more than {MAX_INT_DIGITS})")
    return int(text)


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused(f"a number too large to hold ({text[:20]}…)")
    return value


def _parse_constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def _where(path: list[str | int]) -> str:
    return ".".join(str(part) for part in path) or "(whole file)"


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A ``\\udXXX`` escape: JSON can spell a lone surrogate, which no UTF-8 file can hold."""


def _not_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_tree(value: Any, *, strings: bool = False) -> None:
    """Walk the parsed document once, without recursion: depth and refused numbers, and
    with ``strings`` lone surrogates (text we could never write back)."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Refused):
            raise DecodeError(node.reason, field=_where(path))
        if strings and isinstance(node, str) and _not_unicode(node):
            raise DecodeError("text with a lone surrogate (not Unicode)", field=_where(path))
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        if len(path) >= MAX_DEPTH:
            raise DecodeError(
                f"nested more than {MAX_DEPTH} levels deep", field=_where(path[:6]) + "…"
            )
        for key, child in items:
            if strings and isinstance(key, str) and _not_unicode(key):
                shown = key.encode("utf-8", "backslashreplace").decode("ascii")
                raise DecodeError(
                    "a key with a lone surrogate (not Unicode)", field=_where([*path, shown])
                )
            if isinstance(child, (dict, list, _Refused)) or (strings and isinstance(child, str)):
                stack.append((child, [*path, key]))


def loads(data: bytes, *, limit: int = MAX_DOCUMENT_BYTES) -> tuple[Any, Format]:
    """Parse bytes of any supported format; raise :class:`DecodeError` with a plain reason."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if len(data) > limit:
        raise DecodeError(f"{len(data) // (1024 * 1024)} MB: too large to be a file of ours")
    fmt = detect(data)
    raw = decompress(data, limit) if fmt is Format.GZIP_JSON else data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8 text (byte {exc.start})") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise DecodeError(f"invalid JSON at {where}: {exc.msg}") from exc
    except RecursionError as exc:
        raise DecodeError("JSON nested too deeply") from exc
    except ValueError as exc:  # anything else the parser refuses: never a traceback
        raise DecodeError(f"invalid JSON: {exc}") from exc
    _check_tree(value, strings=_SURROGATE_ESCAPE.search(text) is not None)
    return value, fmt
