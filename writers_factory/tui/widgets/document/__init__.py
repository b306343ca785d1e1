"""A TextArea whose work per keystroke follows the edit and the visible lines, not the size
of the document (a whole novel in one file types as fast as a chapter).

Built on Textual's own document classes, with nothing of the project imported, so that it
can be offered to Textual as it stands.
"""
