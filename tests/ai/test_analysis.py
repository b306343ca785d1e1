"""Local analysis against values counted by hand, quote styles, edge cases and a real novel."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from writers_factory.ai.analysis import (
    QuoteStyle,
    analyze_manuscript,
    analyze_text,
    count_syllables,
    detect_quote_style,
    dialogue_ratio,
    mattr,
    overused_phrases,
    overused_words,
    readability,
    score_locally,
    sentence_spread,
    sentences,
    words,
)
from writers_factory.core.wordcount import count_words

CORPUS = Path("/work/shared/corpus/pride_and_prejudice.txt")


# --- syllables -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),  # three letters or fewer
        ("cat", 1),
        ("happy", 2),  # hap-py: groups "a", "y"
        ("table", 2),  # ta-ble: consonant + "le" keeps its syllable
        ("little", 2),
        ("whale", 1),  # vowel + "le": silent e
        ("made", 1),  # silent final e
        ("walked", 1),  # silent -ed
        ("wanted", 2),  # -ed after t is voiced
        ("likes", 1),  # silent -es
        ("places", 2),  # -es after c is voiced
        ("marches", 2),  # -es after ch is voiced
        ("young", 1),  # leading y before a vowel is a consonant
        ("Elizabeth", 4),  # e-li-za-beth
        ("nobody", 3),  # no-bo-dy
        ("question", 2),  # ques-tion: groups "ue", "io"
        ("Pávlovna", 3),  # accents removed: pav-lov-na
        ("1805", 1),  # no letters: one syllable
    ],
)
def test_syllable_heuristic(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


# --- words and sentences ---------------------------------------------------------------


def test_words_join_apostrophes_and_single_hyphens_but_split_dashes() -> None:
    assert words("A well-known man--a fool; don’t ask.") == [
        "A",
        "well-known",
        "man",
        "a",
        "fool",
        "don’t",
        "ask",
    ]


def test_sentences_respect_abbreviations_initials_and_dialogue_tags() -> None:
    text = 'Mr. Bennet came. "Why?" she asked. J. Smith left! No. Then silence…\n\nNext para'
    assert sentences(text) == [
        "Mr. Bennet came.",
        '"Why?" she asked.',
        "J. Smith left!",
        "No.",
        "Then silence…",
        "Next para",
    ]


def test_headings_and_front_matter_are_not_prose() -> None:
    text = "---\ntitle: Draft\n---\n# Chapter One\n\nShe ran.\n## Scene\nHe hid."
    assert words(text) == ["She", "ran", "He", "hid"]


# --- readability -----------------------------------------------------------------------


def test_readability_hand_computed() -> None:
    # Sentence 1: Elizabeth(4) walked(1) slowly(2) to(1) the(1) window(2) = 6 words, 11 syl
    # Sentence 2: Nobody(3) answered(2) her(1) question(2)               = 4 words,  8 syl
    # Totals: 10 words, 2 sentences, 19 syllables -> 5 words/sentence, 1.9 syllables/word
    r = readability("Elizabeth walked slowly to the window. Nobody answered her question.")
    assert (r.words, r.sentences, r.syllables) == (10, 2, 19)
    # 206.835 - 1.015*5 - 84.6*1.9 = 206.835 - 5.075 - 160.74 = 41.02
    assert r.flesch_reading_ease == pytest.approx(41.02)
    # 0.39*5 + 11.8*1.9 - 15.59 = 1.95 + 22.42 - 15.59 = 8.78
    assert r.flesch_kincaid_grade == pytest.approx(8.78)


def test_readability_of_simple_text_is_easy() -> None:
    # The cat sat on the mat (6 words, 6 syl). It was a happy(2) cat (5 words, 6 syl).
    # 11 words, 2 sentences, 12 syllables: 206.835 - 1.015*5.5 - 84.6*12/11 = 108.9616
    r = readability("The cat sat on the mat. It was a happy cat.")
    assert r.flesch_reading_ease == pytest.approx(206.835 - 5.5825 - 84.6 * 12 / 11)
    assert r.flesch_reading_ease is not None and r.flesch_reading_ease > 100


# --- dialogue --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style", "dialogue", "total"),
    [
        # Come here | she said | Now -> 3 of 5
        ('"Come here," she said. "Now."', QuoteStyle.DOUBLE, 3, 5),
        ("“Come here,” she said. “Now.”", QuoteStyle.DOUBLE, 3, 5),
        # British: Come here | she said | Don’t wait -> 4 of 6; "Don’t" is not a closer
        ("‘Come here,’ she said. ‘Don’t wait.’", QuoteStyle.SINGLE, 4, 6),
        # I can't stay | she said | The boys' room is cold -> 8 of 10: the possessive
        # "boys'" is passed over for the closer after punctuation
        ("'I can't stay,' she said. 'The boys' room is cold.'", QuoteStyle.SINGLE, 8, 10),
        # unpunctuated close before the next opener: Go | she said | Now -> 2 of 4
        ("‘Go’ she said. ‘Now.’", QuoteStyle.SINGLE, 2, 4),
        # speech over two paragraphs: the first is open to its end (4), then
        # "Second paragraph" (2) of "Second paragraph he said" -> 6 of 8
        ("“First paragraph of speech.\n\n“Second paragraph,” he said.", QuoteStyle.DOUBLE, 6, 8),
        # apostrophes in a double-quote text are not dialogue: Yes -> 1 of 7
        ("It's the Bennets' house. \"Yes,\" said Tom.", QuoteStyle.DOUBLE, 1, 7),
    ],
)
def test_dialogue_ratio_hand_counted(
    text: str, style: QuoteStyle, dialogue: int, total: int
) -> None:
    d = dialogue_ratio(text)
    assert d.style is style
    assert (d.dialogue_words, d.words) == (dialogue, total)
    assert d.ratio == pytest.approx(dialogue / total)


def test_quote_style_detection() -> None:
    assert detect_quote_style("‘Yes,’ she said. ‘No,’ he said.") is QuoteStyle.SINGLE
    assert detect_quote_style('"Yes," she said. It\'s late.') is QuoteStyle.DOUBLE
    assert detect_quote_style("No dialogue at all.") is QuoteStyle.DOUBLE


# --- sentence spread -------------------------------------------------------------------


def test_sentence_spread_hand_computed() -> None:
    s = sentence_spread("One. Two words. Now three words. Here are four words. This one has five.")
    # lengths 1, 2, 3, 4, 4 -> mean 14/5 = 2.8, median 3
    assert s.count == 5
    assert s.mean == pytest.approx(2.8)
    assert s.median == 3
    # population variance: (1.8² + 0.8² + 0.2² + 1.2² + 1.2²) / 5 = 6.8 / 5 = 1.36
    assert s.stdev == pytest.approx(math.sqrt(1.36))
    # nearest rank: p10 -> rank ceil(0.5) = 1 -> 1; p90 -> rank ceil(4.5) = 5 -> 4
    assert (s.p10, s.p90) == (1, 4)
    assert s.longest == 4
    assert s.longest_text == "Here are four words."


# --- overuse ---------------------------------------------------------------------------

GARDEN = (
    "The garden was quiet. The garden gate creaked. "
    "Anna walked through the garden gate and Anna smiled quietly."
)
# words: 4 + 4 + 10 = 18; garden x3, gate x2, Anna x2 (a name: always capitalised)


def test_overused_words_exclude_stopwords_and_names() -> None:
    found = overused_words(GARDEN, min_count=2)
    assert [(w.word, w.count) for w in found] == [("garden", 3), ("gate", 2)]
    assert found[0].per_thousand == pytest.approx(3000 / 18)


def test_overused_phrases_fold_into_longer_ones_and_stay_inside_sentences() -> None:
    found = overused_phrases(GARDEN)
    # "the garden" x3; "the garden gate" x2 swallows "garden gate" x2; "garden was" x1 etc.
    assert [(p.phrase, p.count) for p in found] == [("the garden", 3), ("the garden gate", 2)]
    assert found[1].n == 3


# --- empty and whole-text report -------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  ", "# Only a heading\n"])
def test_empty_text_gives_empty_report_not_errors(text: str) -> None:
    r = analyze_text(text)
    # a heading's words count (as everywhere in the product) but it is not prose to measure
    assert r.words == (3 if text.startswith("#") else 0)
    assert r.readability.words == 0
    assert r.readability.flesch_reading_ease is None
    assert r.dialogue.ratio == 0
    assert r.sentences.count == 0
    assert r.overused_words == [] and r.overused_phrases == []
    assert dict(r.rows())["Flesch reading ease"] == "—"
    score = score_locally(text)
    assert score.total == 0
    assert all(c.points == 0 for c in score.components)


def test_text_report_rows_are_labelled_values() -> None:
    r = analyze_text(GARDEN)
    rows = dict(r.rows())
    assert rows["Words"] == "18"
    assert rows["Sentences"] == "3"
    assert r.word_rows()[0] == ("garden", "3 (166.7/1000)")


# --- local score -----------------------------------------------------------------------


def test_mattr_hand_computed() -> None:
    assert mattr(["a", "b", "a", "b"], window=10) == 0.5  # shorter than window: 2 types / 4
    # windows of 3: [a b a] 2 types, [b a c] 3 types -> (2/3 + 3/3) / 2
    assert mattr(["a", "b", "a", "c"], window=3) == pytest.approx(5 / 6)


def test_score_explains_each_component() -> None:
    monotone = "The cat sat. The dog ran. The man ate. The sun set."
    score = score_locally(monotone)
    parts = {c.name: c for c in score.components}
    assert set(parts) == {"Readability band", "Sentence variety", "Dialogue balance", "Repetition"}
    assert parts["Sentence variety"].points == 0  # every sentence 3 words: no spread
    assert "mix short and long" in parts["Sentence variety"].explanation
    assert parts["Dialogue balance"].points == 0  # no dialogue at all
    assert "mostly narration" in parts["Dialogue balance"].explanation
    assert score.total == round(sum(c.points for c in score.components))
    assert score.rows()[0] == ("Local score", f"{score.total} / 100")


def test_score_rewards_balanced_varied_prose() -> None:
    lively = (
        '"Where were you?" Jane asked, setting the lamp down on the crooked kitchen table '
        "beside the letters nobody had answered since the winter storms closed the road. "
        'He shrugged. "Out." The rain kept on against the shutters, patient and grey, '
        "while the kettle began its thin complaint and the dog lifted its head to listen."
    )
    score = score_locally(lively)
    parts = {c.name: c for c in score.components}
    assert parts["Sentence variety"].points == 25
    assert parts["Dialogue balance"].points > 0
    assert score.total > score_locally("The cat sat. The dog ran. The man ate.").total


# --- manuscripts -----------------------------------------------------------------------


def test_manuscript_natural_order_skips_hidden_and_reports_bad_files(tmp_path: Path) -> None:
    book = tmp_path / "manuscript"
    (book / "part-1").mkdir(parents=True)
    (book / "chapter-10.md").write_text("# Ten\n\nShe ran. He hid.")
    (book / "chapter-2.md").write_text("# Two\n\nShe ran.")
    (book / "chapter-1.txt").write_text("One\n\nShe ran away fast.")
    (book / "part-1" / "chapter-3.md").write_text("Plain text with no heading at all.")
    (book / ".notes.md").write_text("hidden notes")
    (book / ".chapter-2.md.123.abcd.wf-tmp").write_text("temp")
    (book / "image.png").write_bytes(b"\x89PNG")
    (book / "broken.md").write_bytes(b"caf\xe9 latin-1")
    report = analyze_manuscript(book)
    assert [c.path for c in report.chapters] == [
        "chapter-1.txt",
        "chapter-2.md",
        "chapter-10.md",
        "part-1/chapter-3.md",
    ]
    assert [c.title for c in report.chapters] == ["One", "Two", "Ten", "chapter-3"]
    # headings count as words, as in every count of the product (not in prose measures)
    assert [c.words for c in report.chapters] == [5, 3, 5, 7]
    assert report.totals.words == 20 == sum(c.words for c in report.chapters)
    assert len(report.problems) == 1
    assert "broken.md" in report.problems[0] and "UTF-8" in report.problems[0]
    assert report.series("words") == [("One", 5.0), ("Two", 3.0), ("Ten", 5.0), ("chapter-3", 7.0)]


def test_missing_folder_is_a_reported_problem(tmp_path: Path) -> None:
    report = analyze_manuscript(tmp_path / "nowhere")
    assert report.chapters == []
    assert "does not exist" in report.problems[0]


def test_pacing_marks_fast_and_slow_chapters(tmp_path: Path) -> None:
    fast = '"Run!" "Where?" "Now!" she said. "Go."'
    steady = 'She waited by the door for a while. "Well?" he said at last, smiling at her.'
    slow = (
        "The long afternoon wore on across the valley while the shadows of the poplars "
        "lengthened over the dry fields and the river, low and brown after the summer, "
        "moved without hurry between its stones toward the distant and indifferent sea."
    )
    for name, text in [("c1.md", steady), ("c2.md", fast), ("c3.md", slow)]:
        (tmp_path / name).write_text(text)
    report = analyze_manuscript(tmp_path)
    assert [c.pace for c in report.chapters] == ["steady", "fast", "slow"]
    index = dict(report.series("pace_index"))
    assert index["c2"] > index["c1"] > index["c3"]
    header, *body = report.pacing_rows()
    assert header[-1] == "Pace" and body[1][-1] == "fast"


@pytest.fixture(scope="module")
def pride_and_prejudice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The novel split at its "Chapter N" lines into chapter-N.txt files (corpus untouched)."""
    folder = tmp_path_factory.mktemp("pp")
    source = folder / "source.txt"
    shutil.copyfile(CORPUS, source)
    text = source.read_text(encoding="utf-8")
    source.unlink()
    parts = [p for p in re.split(r"(?m)^(?=Chapter \d+\s*$)", text) if p.strip()]
    book = folder / "manuscript"
    book.mkdir()
    for number, part in enumerate(parts, start=1):
        (book / f"chapter-{number}.txt").write_text(part, encoding="utf-8")
    return book


def test_pride_and_prejudice_realistic_run(pride_and_prejudice: Path) -> None:
    report = analyze_manuscript(pride_and_prejudice)
    assert len(report.chapters) == 61
    assert [c.title for c in report.chapters] == [f"Chapter {n}" for n in range(1, 62)]
    assert abs(report.totals.words - 121_561) <= 1_215  # within 1% of the corpus count
    assert sum(c.words for c in report.chapters) == report.totals.words
    t = report.totals
    assert t.readability.flesch_reading_ease is not None
    assert 50 <= t.readability.flesch_reading_ease <= 80
    assert 6 <= (t.readability.flesch_kincaid_grade or 0) <= 13
    assert t.dialogue.style is QuoteStyle.DOUBLE
    assert 0.3 <= t.dialogue.ratio <= 0.6
    assert 15 <= t.sentences.mean <= 30
    assert t.sentences.p10 < t.sentences.median < t.sentences.p90 < t.sentences.longest
    top = [w.word for w in t.overused_words]
    assert "very" in top[:5]
    assert "elizabeth" not in top and "darcy" not in top  # names are not habits
    assert all(c.words > 300 for c in report.chapters)
    assert {c.pace for c in report.chapters} == {"slow", "steady", "fast"}
    assert len(report.series("dialogue_ratio")) == 61
    first = score_locally((pride_and_prejudice / "chapter-1.txt").read_text(encoding="utf-8"))
    assert 40 <= first.total <= 100


# --- any text at all -------------------------------------------------------------------

PROSE_ALPHABET = st.sampled_from(list("abc XYZ.!?,;'\"“”‘’-—…\n\n#é1"))


@settings(max_examples=300, deadline=None)
@given(st.text(PROSE_ALPHABET, max_size=300) | st.text(max_size=200))
def test_any_text_gives_consistent_measures(text: str) -> None:
    r = analyze_text(text)
    assert 0 <= r.dialogue.dialogue_words <= r.words
    assert 0.0 <= r.dialogue.ratio <= 1.0
    # the product's one counter; every prose word (headings aside) in exactly one sentence
    assert r.words == count_words(text)
    prose_words = r.readability.words
    assert round(r.sentences.mean * r.sentences.count) == prose_words <= r.words
    assert r.sentences.p10 <= r.sentences.median <= r.sentences.longest
    assert (r.readability.flesch_reading_ease is None) == (prose_words == 0)
    assert 0 <= score_locally(text).total <= 100
