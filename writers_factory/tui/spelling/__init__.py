"""Spell checking in the editor: the word list of a language, the writer's own words, and the
misspellings of the lines on screen."""
