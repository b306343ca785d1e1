"""``preferences.json``: models per stage, keys, theme, auto-save, budgets."""
