"""The stage screens: one Textual app mode each, for the stages with a screen of their own.

Writing (and, for now, Creation and Enhancing) is the workspace screen with its editor,
which is never re-created; Analyzing and Scoring have their own screens here. Each remembers
its view, selection, sort and scroll in ``current.json`` (``current_state.views``).
"""
