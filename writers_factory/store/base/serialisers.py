"""Byte formats for files in ``.session/``: indented JSON, compact JSON and gzip JSON.

Reading never needs to be told the format: gzip is recognised by its magic bytes, so a
file that was compressed when it grew is read back transparently.
"""

from __future__ import annotations

import enum
import gzip
import json
from typing import Any

from writers_factory.core.errors import WritersFactoryError

GZIP_MAGIC = b"\x1f\x8b"


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
    """The bytes are not a JSON document in any format we write."""


def loads(data: bytes) -> tuple[Any, Format]:
    """Parse bytes of any supported format; raise :class:`DecodeError` with a plain reason."""
    fmt = detect(data)
    raw = data
    if fmt is Format.GZIP_JSON:
        try:
            raw = gzip.decompress(data)
        except (OSError, EOFError, ValueError) as exc:
            raise DecodeError(f"damaged gzip data ({exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8 text (byte {exc.start})") from exc
    try:
        return json.loads(text), fmt
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise DecodeError(f"invalid JSON at {where}: {exc.msg}") from exc
    except RecursionError as exc:
        raise DecodeError("JSON nested too deeply") from exc
