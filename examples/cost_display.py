"""Cost display: what this session, today, this week and this month have cost, per model,
and the budget warning once spend reaches the writer's warning share of a limit.

Run: ``python examples/cost_display.py PROJECT``.
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal
from pathlib import Path

from writers_factory.ai.runner import dollars
from writers_factory.store import CostTracker


async def main(project: Path) -> None:
    tracker = CostTracker(project / ".session")
    tracker.prefs.set_budget_limit("daily", Decimal("0.50"))  # warns at 80% by default
    await tracker.prefs.save()

    await tracker.log_operation("scene_generation", "anthropic:claude-sonnet-4-5", 12_450, 3_200)
    await tracker.log_operation("voice_test", "ollama:llama3.2", 6_000, 700)  # local: free
    print("session:", dollars(tracker.session_total))
    for period, total in tracker.period_totals().items():
        print(f"{period}:", dollars(total))
    for model, cost in tracker.by_model.items():
        print(f"  {model}: {dollars(cost)}")
    print("warning:", tracker.should_warn_budget())

    await tracker.log_operation("continuity_check", "anthropic:claude-sonnet-4-5", 100_000, 4_000)
    print("session:", dollars(tracker.session_total))
    print("warning:", tracker.should_warn_budget())


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
