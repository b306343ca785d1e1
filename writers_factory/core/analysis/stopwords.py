"""English function words left out of "overused words".

Overuse advice is only useful for words a writer chose: nobody can cut "the". The list is
the usual English function words plus contractions and forms of address; verbs such as
"said" and adverbs such as "very" are deliberately *not* here, because those are exactly
the habits a writer wants to see.
"""

from __future__ import annotations

_WORDS = """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up upon us was wasn't we we'd we'll we're we've were
    weren't what what's when when's where where's which while who who's whom why why's with
    won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
    shall will may might must also yet ever every many much one ones two nothing something
    anything everything nobody somebody anybody everybody none just now than thus though
    mr mrs ms dr st miss sir
"""

STOPWORDS: frozenset[str] = frozenset(_WORDS.split())
"""Lower-case; apostrophes are normalised to ``'`` before lookup."""
