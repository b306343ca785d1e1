"""Confirmation before an expensive operation: estimate, ask, and log only what was used.

The estimate prices the prompt's tokens plus the output the operation may produce. Above
the writer's threshold ($0.10 unless preferences say otherwise) the question is asked, with
any budget warning; declining sends nothing and logs nothing. No model is called here: the
usage a provider would report is made up after "yes".

Run: ``python examples/cost_confirmation.py PROJECT yes|no``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from writers_factory.ai.runner import confirmation_text, confirmation_threshold, dollars
from writers_factory.ai.tokens import estimate_tokens
from writers_factory.store import CostTracker

MODEL = "anthropic:claude-sonnet-4-5"
EXPECTED_OUTPUT = 4_000


def confirm(question: str, answer: str) -> bool:
    """The interface's question; here the answer comes from the command line."""
    print(question)
    print("answer:", answer)
    return answer == "yes"


async def main(project: Path, answer: str) -> None:
    tracker = CostTracker(project / ".session")
    chapters = sorted((project / "manuscript").glob("*.md"))
    prompt = "Tighten the prose of this chapter.\n\n" + "\n\n".join(
        path.read_text(encoding="utf-8") for path in chapters
    )
    tokens = estimate_tokens(prompt, MODEL)  # exact for some models, "~" for others
    estimate = tracker.get_estimated_cost(MODEL, tokens.count, EXPECTED_OUTPUT)
    print(f"prompt: {tokens.count:,} tokens ({tokens.method})")
    print("estimate:", dollars(estimate))

    threshold = confirmation_threshold(tracker=tracker)
    if estimate > threshold:
        question = confirmation_text(MODEL, estimate, tokens.count + EXPECTED_OUTPUT)
        warning = tracker.should_warn_budget(estimate)
        if warning:
            question += f"\n⚠ {warning}"
        if not confirm(question, answer):
            print("declined: nothing sent, nothing logged")
            print("operations logged:", tracker.operations_count)
            return
    # ... here the model would run; log what its response reports, never the estimate
    record = await tracker.log_operation("chapter_rewrite", MODEL, tokens.count, 3_100)
    print("logged:", record.operation, dollars(record.cost))
    print("operations logged:", tracker.operations_count)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
