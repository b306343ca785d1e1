"""What AI operations cost: the summary in ``costs.json`` and the append-only operation chunks."""
