"""``writers-factory backup …`` end to end: the real command on real projects and archives."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from writers_factory.cli import main
from writers_factory.project import create_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return create_project(tmp_path / "novel", "Novel", sample=True)


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_create_list_verify_restore_round_trip(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapter = project / "manuscript" / "chapter-01.md"
    original = chapter.read_text()
    code, made = _json(capsys, ["backup", "create", "--project", str(project), "--json"])
    assert code == 0 and made["files"] >= 4
    code, listed = _json(capsys, ["backup", "list", "--project", str(project), "--json"])
    assert [b["id"] for b in listed["backups"]] == [made["id"]]
    code, checked = _json(
        capsys, ["backup", "verify", made["id"], "--project", str(project), "--json"]
    )
    assert code == 0 and checked["ok"]

    chapter.write_text("gone wrong\n")
    code, restored = _json(
        capsys, ["backup", "restore", made["id"], "--project", str(project), "--json"]
    )
    assert code == 0 and restored["restored"] and restored["safety_backup"]
    assert chapter.read_text() == original
    code, listed = _json(capsys, ["backup", "list", "--project", str(project), "--json"])
    assert len(listed["backups"]) == 2

    assert main(["backup", "list", "--project", str(project)]) == 0
    assert made["id"] in capsys.readouterr().out


def test_restore_to_another_folder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, made = _json(capsys, ["backup", "create", "--project", str(project), "--json"])
    assert (
        main(
            [
                "backup",
                "restore",
                made["id"],
                "--project",
                str(project),
                "--to",
                str(tmp_path / "copy"),
            ]
        )
        == 0
    )
    assert "restored" in capsys.readouterr().out
    assert (tmp_path / "copy" / "manuscript" / "chapter-01.md").read_text() == (
        project / "manuscript" / "chapter-01.md"
    ).read_text()


def test_a_damaged_backup_is_reported_file_by_file_and_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, made = _json(capsys, ["backup", "create", "--project", str(project), "--json"])
    _, listed = _json(capsys, ["backup", "list", "--project", str(project), "--json"])
    archive = Path(listed["backups"][0]["archive"])
    with zipfile.ZipFile(archive) as zipped:
        info = zipped.getinfo("project/manuscript/chapter-01.md")
    data = bytearray(archive.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 3] ^= 0x40
    archive.write_bytes(bytes(data))
    chapter = project / "manuscript" / "chapter-01.md"
    chapter.write_text("today's work\n")

    code, checked = _json(capsys, ["backup", "verify", "--project", str(project), "--json"])
    assert code == 1 and not checked["ok"]
    files = {p["file"] for p in checked["backups"][0]["problems"]}
    assert "manuscript/chapter-01.md" in files

    code = main(["backup", "restore", made["id"], "--project", str(project)])
    out = capsys.readouterr().out
    assert code == 1 and "nothing was restored" in out and "chapter-01.md" in out
    assert chapter.read_text() == "today's work\n"
    _, listed = _json(capsys, ["backup", "list", "--project", str(project), "--json"])
    assert len(listed["backups"]) == 1  # refused before anything was written


def test_unknown_id_and_not_a_project_are_messages(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, answer = _json(capsys, ["backup", "verify", "nope", "--project", str(project), "--json"])
    assert code == 2 and "no backup 'nope'" in answer["error"]
    assert main(["backup", "list", "--project", str(tmp_path)]) == 2
    assert "not a Writers Factory project" in capsys.readouterr().err
