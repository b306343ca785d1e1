"""Finding and replacing text: what matches, where, and what a replacement would make of it.

Pure logic (no I/O, no interface): the editor's find bar and the project search both ask
here, so a whole-word or regular-expression search means the same thing everywhere.
``matching`` compiles a query and finds its matches; ``replacing`` turns chosen matches into
new text and into the one edit that makes it; ``lines`` maps offsets to lines and columns.
"""
