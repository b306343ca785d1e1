"""A real OpenAI-compatible server on this machine (a small one in a thread), reached through
the real provider client as ``local:<model>``: the text streams, the usage it reports —
cached prompt tokens included — is logged, and a local endpoint costs nothing unless the
writer prices it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from writers_factory.ai.catalogue import CATALOGUE
from writers_factory.ai.runner import plan_operation, run_operation
from writers_factory.store.costs.tracker import CostTracker
from writers_factory.store.preferences.preferences import Preferences

USAGE = {
    "prompt_tokens": 120,
    "completion_tokens": 4,
    "total_tokens": 124,
    "prompt_tokens_details": {"cached_tokens": 100},
}


class Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.requests.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        chunks: list[dict[str, Any]] = [
            {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": w}}]}
            for w in ("Rain ", "on ", "glass.")
        ]
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        chunks.append({**base, "choices": [], "usage": USAGE})
        for chunk in chunks:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    monkeypatch.setenv("LOCAL_AI_BASE_URL", url)
    Handler.requests = []
    try:
        yield url
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


async def test_a_local_server_streams_and_its_cached_tokens_are_logged_free(
    server: str, ai_session: tuple[Preferences, CostTracker]
) -> None:
    prefs, tracker = ai_session
    spec = CATALOGUE.operation("rewrite")
    plan = await plan_operation(spec, {"text": "It rained."}, "local:my-model", tracker, prefs)
    assert plan.estimated_cost == 0 and plan.provider_problem is None
    seen: list[str] = []
    result = await run_operation(plan, seen.append)
    assert result.text == "Rain on glass." and "".join(seen) == "Rain on glass."
    assert Handler.requests[0]["model"] == "my-model"
    assert (result.input_tokens, result.output_tokens, result.cache_read_tokens) == (120, 4, 100)
    assert result.cost == 0
    record = tracker.recent(1)[0]
    assert (record.model, record.cache_read_tokens, record.cost) == (
        "local:my-model",
        100,
        Decimal(0),
    )


async def test_a_priced_endpoint_bills_cached_tokens_at_their_rate(
    server: str, ai_session: tuple[Preferences, CostTracker]
) -> None:
    prefs, tracker = ai_session
    prefs.set_price_override(
        "local:hosted", Decimal(1), Decimal(4), cache_read_per_mtok=Decimal("0.1")
    )
    spec = CATALOGUE.operation("rewrite")
    plan = await plan_operation(spec, {"text": "It rained."}, "local:hosted", tracker, prefs)
    result = await run_operation(plan)
    assert result.cost == (20 * 1 + 100 * Decimal("0.1") + 4 * 4) / Decimal(1_000_000)
