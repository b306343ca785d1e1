"""scores.json: AI scores kept per chapter, newest last; a damaged file is set aside."""

from __future__ import annotations

from pathlib import Path

from writers_factory.store.manuscript.ai_scores import (
    KEPT_PER_CHAPTER,
    keep_score,
    load_scores,
    scores_path,
)
from writers_factory.store.verify import verify


def test_scores_are_kept_newest_last_and_trimmed(tmp_path: Path) -> None:
    session = tmp_path / ".session"
    session.mkdir()
    assert load_scores(session).latest("manuscript/a.md") is None
    keep_score(session, "manuscript/a.md", 40.0, model="test")
    keep_score(session, "manuscript/a.md", 70.0)
    again = load_scores(session)
    kept = again.latest("manuscript/a.md")
    assert kept is not None and kept.score == 70.0
    assert [s.score for s in again.chapters["manuscript/a.md"]] == [40.0, 70.0]
    assert again.chapters["manuscript/a.md"][0].model == "test"
    for n in range(KEPT_PER_CHAPTER + 5):
        keep_score(session, "manuscript/b.md", float(n % 100))
    assert len(load_scores(session).chapters["manuscript/b.md"]) == KEPT_PER_CHAPTER
    assert not [f for f in verify(tmp_path) if "scores.json" in str(f.path)]


def test_a_damaged_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    session = tmp_path / ".session"
    session.mkdir()
    scores_path(session).write_text('{"schema_version": 1, "chapters": {"a": [{"score": 300}]}}')
    findings = verify(tmp_path)
    assert any("scores.json" in str(f.path) for f in findings), "verify names the file"
    assert load_scores(session).chapters == {}
    corrupt = list((session / "corrupt").iterdir())
    assert len(corrupt) == 1 and b"300" in corrupt[0].read_bytes()
    assert not scores_path(session).exists()
