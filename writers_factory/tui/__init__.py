"""The Textual workspace: the only package that imports Textual."""
