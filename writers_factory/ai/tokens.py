"""Token estimates before a call, offline on a machine that has never been online.

tiktoken downloads its encodings on first use; a writer on a train must still see what an
operation will cost. So Writers Factory ships the ``o200k_base`` encoding file (in
``writers_factory/data/``), checks its published SHA-256 and builds the
``tiktoken.Encoding`` from it directly, never touching tiktoken's download cache. If the
file is missing or damaged the estimate falls back to a clearly labelled approximation
instead of failing.

``exact`` is true only when the encoding is the model's own tokenizer (current OpenAI
models); for other providers the o200k count is a close estimate and says so.

Building the encoding holds the interpreter lock for a fifth of a second or more, so the app
(:func:`count_in_helper_process`) has counts made in a helper process (``token_process.py``)
and never builds it itself; the command line and tests count in process.
"""

from __future__ import annotations

import base64
import hashlib
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from writers_factory.resources import shipped

ENCODING_NAME = "o200k_base"
ENCODING_FILE = shipped("o200k_base.tiktoken")
ENCODING_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"

# The published definition of o200k_base: split pattern and special tokens.
O200K_PAT_STR = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
O200K_SPECIAL_TOKENS = {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}

CHARS_PER_TOKEN = 4
APPROXIMATION = f"approximation: ~{CHARS_PER_TOKEN} characters per token"

OPENAI_PROVIDERS = frozenset({"openai", "openai-chat", "openai-responses", "azure"})


@dataclass(frozen=True)
class TokenEstimate:
    """A token count and how it was obtained, so the UI can say "~" honestly."""

    count: int
    exact: bool
    method: str


class EncodingUnavailable(RuntimeError):
    """The bundled encoding file is missing or does not match its published hash."""


_lock = threading.Lock()
_encoding: Any = None
_failure: str | None = None
_in_helper = False


def count_in_helper_process(
    enabled: bool = True, on_loop: Callable[[Callable[[], object]], object] | None = None
) -> None:
    """From now on count in the helper process (the app: its loop must never stall), or
    no longer (the app closed). The helper starts at the first count, its first start
    run through ``on_loop`` (the app's loop, see ``token_process.prepare``). It lives on
    with this process: another app in it (tests make many) finds the encoding built, as an
    in-process count would."""
    global _in_helper
    _in_helper = enabled
    from writers_factory.ai import token_process

    token_process.prepare(on_loop if enabled else None)


def _read_ranks(path: Path, expected_sha256: str) -> dict[bytes, int]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EncodingUnavailable(f"cannot read {path}: {exc.strerror or exc}") from exc
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise EncodingUnavailable(f"{path} does not match the published SHA-256")
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def build_encoding(path: Path | None = None, expected_sha256: str = ENCODING_SHA256) -> Any:
    """Build the o200k_base ``tiktoken.Encoding`` from a local file (no network, no cache)."""
    import tiktoken

    if path is None:
        path = ENCODING_FILE

    return tiktoken.Encoding(
        name=ENCODING_NAME,
        pat_str=O200K_PAT_STR,
        mergeable_ranks=_read_ranks(path, expected_sha256),
        special_tokens=O200K_SPECIAL_TOKENS,
    )


def get_encoding() -> Any | None:
    """The shared encoding, loaded once (about a third of a second); None if unavailable."""
    global _encoding, _failure
    with _lock:
        if _encoding is None and _failure is None:
            try:
                _encoding = build_encoding()
            except (EncodingUnavailable, ValueError, ImportError) as exc:
                _failure = str(exc)
        return _encoding


def encoding_problem() -> str | None:
    """Why the encoding could not be loaded, for diagnostics; None when it is fine."""
    get_encoding()
    return _failure


def _is_exact_for(model: str | None) -> bool:
    """True when ``model`` itself tokenizes with o200k_base."""
    if model is None:
        return False
    from writers_factory.core.prices import split_model  # not imported with the app

    provider, name = split_model(model)
    if provider is not None and provider not in OPENAI_PROVIDERS:
        return False
    from tiktoken.model import encoding_name_for_model

    try:
        return bool(encoding_name_for_model(name) == ENCODING_NAME)
    except KeyError:
        return False


def estimate_tokens(text: str, model: str | None = None) -> TokenEstimate:
    """Count the tokens ``text`` will take as model input.

    CPU-bound for long texts: async callers run it in a thread. Special-token markers in
    the writer's text are counted as ordinary text, as a provider would.
    """
    counted: int | None = None
    if _in_helper:
        from writers_factory.ai.token_process import count_tokens

        counted = count_tokens(text)
    if counted is None:
        encoding = get_encoding()
        if encoding is None:
            count = math.ceil(len(text) / CHARS_PER_TOKEN)
            return TokenEstimate(count=count, exact=False, method=APPROXIMATION)
        counted = len(encoding.encode_ordinary(text))
    count = counted
    if _is_exact_for(model):
        return TokenEstimate(count=count, exact=True, method=f"tiktoken {ENCODING_NAME}")
    from writers_factory.core.prices import split_model

    provider = split_model(model)[0] if model else None
    whose = f"{provider} models use" if provider else "the model may use"
    return TokenEstimate(
        count=count,
        exact=False,
        method=f"tiktoken {ENCODING_NAME} (close estimate: {whose} their own tokenizer)",
    )


def estimate_many(texts: list[str], model: str | None = None) -> list[TokenEstimate]:
    """:func:`estimate_tokens` for each of ``texts`` (one thread hop for a prompt's parts)."""
    return [estimate_tokens(text, model) for text in texts]
