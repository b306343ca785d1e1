"""Co-authors of one project folder: each author's own files under ``.session/authors/``,
the move of a single writer's files to the first author, and the totals over all authors."""
