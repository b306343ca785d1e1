"""Local text analysis: pure functions over text, free, offline and instant."""
