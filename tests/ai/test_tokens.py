"""Token estimates work offline on a fresh machine and match tiktoken's own o200k_base."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from writers_factory.ai import tokens
from writers_factory.ai.tokens import (
    APPROXIMATION,
    ENCODING_FILE,
    EncodingUnavailable,
    TokenEstimate,
    build_encoding,
    estimate_tokens,
)

O200K_URL = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"

SAMPLES = [
    "",
    "hello world",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "“Don’t,” she said. 'We'd—I mean, you'll—never know.'\n\n\tChapter 12: 1984…",
    "Ça coûte 12,50 € — naïve café, 東京の夜, Привет мир! 🙂🙂",
    "a<|endoftext|>b <|endofprompt|>",
    "   trailing spaces   \r\n\r\nline\n" * 3,
]

NO_NETWORK = textwrap.dedent(
    """
    import json, socket, sys

    def refuse(*args, **kwargs):
        raise OSError("network is blocked in this test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from writers_factory.ai.tokens import estimate_tokens
    texts = json.loads(sys.argv[1])
    out = []
    for text in texts:
        est = estimate_tokens(text, "openai:gpt-4o")
        out.append([est.count, est.exact, est.method])
    print(json.dumps(out))
    """
)


def reference_encoding(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """tiktoken's own o200k_base definition, fed our file through its documented cache."""
    import tiktoken
    import tiktoken_ext.openai_public as public  # type: ignore[import-untyped]

    cache_dir.mkdir()
    key = hashlib.sha1(O200K_URL.encode()).hexdigest()
    shutil.copyfile(ENCODING_FILE, cache_dir / key)
    with monkeypatch.context() as patch:
        patch.setenv("TIKTOKEN_CACHE_DIR", str(cache_dir))
        spec = public.o200k_base()
    return tiktoken.Encoding(**spec)


def test_estimate_offline_with_empty_cache_and_blocked_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATA_GYM_CACHE_DIR",)}
    env["TIKTOKEN_CACHE_DIR"] = str(cache)
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, json.dumps(SAMPLES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert all(exact for _, exact, _ in results)
    assert all(method == "tiktoken o200k_base" for _, _, method in results)
    assert list(cache.iterdir()) == [], "nothing may be downloaded or cached"

    expected = reference_encoding(tmp_path / "reference-cache", monkeypatch)
    for text, (count, _, _) in zip(SAMPLES, results, strict=True):
        assert count == len(expected.encode_ordinary(text)), text


def test_our_definition_equals_tiktokens_published_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = build_encoding()
    theirs = reference_encoding(tmp_path / "cache", monkeypatch)
    assert ours._pat_str == theirs._pat_str
    assert ours._special_tokens == theirs._special_tokens
    assert ours._mergeable_ranks == theirs._mergeable_ranks
    assert ours.n_vocab == theirs.n_vocab
    assert ours.encode("hello world") == [24912, 2375]


def test_exact_only_for_models_that_use_the_encoding() -> None:
    text = "The lighthouse keeper counted the ships."
    gpt = estimate_tokens(text, "openai:gpt-4o")
    claude = estimate_tokens(text, "anthropic:claude-sonnet-4-5")
    unknown = estimate_tokens(text)
    assert gpt.exact and gpt.method == "tiktoken o200k_base"
    assert not claude.exact and "anthropic" in claude.method and "estimate" in claude.method
    assert not unknown.exact
    assert gpt.count == claude.count == unknown.count > 0
    assert not estimate_tokens(text, "openai:gpt-3.5-turbo").exact
    assert estimate_tokens(text, "gpt-4.1").exact


def test_counts_are_positive_and_grow_with_text() -> None:
    short = estimate_tokens("One sentence.")
    longer = estimate_tokens("One sentence. " * 100)
    assert isinstance(short, TokenEstimate)
    assert 0 < short.count < longer.count
    assert estimate_tokens("").count == 0


def test_damaged_encoding_file_is_refused(tmp_path: Path) -> None:
    damaged = tmp_path / "o200k_base.tiktoken"
    data = bytearray(ENCODING_FILE.read_bytes())
    data[100] ^= 0x01
    damaged.write_bytes(bytes(data))
    with pytest.raises(EncodingUnavailable, match="SHA-256"):
        build_encoding(damaged)
    with pytest.raises(EncodingUnavailable, match="cannot read"):
        build_encoding(tmp_path / "missing.tiktoken")


def test_missing_encoding_falls_back_to_labelled_approximation(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from writers_factory.ai import tokens
        tokens.ENCODING_FILE = Path({str(tmp_path / "gone.tiktoken")!r})
        est = tokens.estimate_tokens("x" * 41, "openai:gpt-4o")
        print(json.dumps([est.count, est.exact, est.method, tokens.encoding_problem()]))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    count, exact, method, problem = json.loads(proc.stdout)
    assert (count, exact, method) == (11, False, APPROXIMATION)
    assert "approximation" in method and "gone.tiktoken" in problem


def test_encoding_is_loaded_once() -> None:
    estimate_tokens("warm up")
    first = tokens.get_encoding()
    estimate_tokens("again")
    assert tokens.get_encoding() is first is not None
