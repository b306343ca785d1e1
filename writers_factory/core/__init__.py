"""Pure logic without I/O, shared by ``store/`` and ``ai/``: stages, prices, budgets, word
counts, statistics and local text analysis. Imports nothing else of the project."""
