"""``history.json``: the last sessions and yearly summaries, written as the writer works."""
