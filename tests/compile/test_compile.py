"""Compiling the 61-chapter Pride and Prejudice, read back with python-docx and ebooklib."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from docx import Document
from ebooklib import ITEM_DOCUMENT, epub

from writers_factory.cli import main
from writers_factory.compile.errors import CompileError
from writers_factory.compile.fonts import find_family, missing_font_message
from writers_factory.compile.run import compile_project
from writers_factory.demo.corpus import NOVEL, chapters, default_folders
from writers_factory.store.manuscript.order import move_in_order
from writers_factory.store.preferences.preferences import Preferences

TITLE = "Pride and Prejudice"
AUTHOR = "Jane Austen"
CHAPTERS = 61


def corpus_text() -> str:
    for folder in [*default_folders(), Path("/work/shared/corpus")]:
        if (folder / NOVEL).is_file():
            return (folder / NOVEL).read_text(encoding="utf-8")
    raise AssertionError(f"the corpus {NOVEL} is missing; looked in {default_folders()}")


@pytest.fixture(scope="module")
def novel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The novel in 61 chapter files named without zero padding (chapter-2 < chapter-10),
    and the first words of each chapter, in order."""
    project = tmp_path_factory.mktemp("compile") / "pride"
    folder = project / "manuscript"
    folder.mkdir(parents=True)
    texts = chapters(corpus_text(), 1000)
    assert len(texts) == CHAPTERS
    firsts: list[str] = []
    texts[0] = texts[0].replace("Netherfield Park", "_Netherfield Park_", 1)
    texts[1] = texts[1].replace("Mr. Bingley", "**Mr. Bingley**", 1)
    for number, text in enumerate(texts, start=1):
        (folder / f"chapter-{number}.md").write_text(text, encoding="utf-8")
        body = text.split("\n\n", 1)[1]
        firsts.append(" ".join(re.sub(r"[_*]", "", body).split()[:6]))
    (project / ".session").mkdir()
    prefs = Preferences(project / ".session")
    prefs.set("book.title", TITLE)
    prefs.set("book.author", AUTHOR)
    prefs.save_sync()
    return project, firsts


def test_docx_has_the_title_page_and_every_chapter_in_order(novel: tuple[Path, list[str]]) -> None:
    project, firsts = novel
    result = compile_project(project, "docx")
    assert result.path == project / "output" / "pride-and-prejudice.docx"
    assert (result.chapters, result.problems) == (CHAPTERS, [])
    document = Document(str(result.path))
    assert document.core_properties.title == TITLE
    assert document.core_properties.author == AUTHOR
    paragraphs = document.paragraphs
    assert paragraphs[0].text == TITLE and paragraphs[1].text == f"by {AUTHOR}"
    headings = [
        i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == "Heading 1"
    ]
    assert [paragraphs[i].text for i in headings] == [f"Chapter {n}" for n in range(1, 62)]
    for index, first in zip(headings, firsts, strict=True):
        assert " ".join(paragraphs[index + 1].text.split()[:6]) == first
    assert [r.text for p in paragraphs for r in p.runs if r.italic] == ["Netherfield Park"]
    assert [r.text for p in paragraphs for r in p.runs if r.bold] == ["Mr. Bingley"]
    assert not list((project / "output").glob(".*wf-tmp")), "written through the durable path"


def test_epub_reads_back_with_title_author_and_chapters(novel: tuple[Path, list[str]]) -> None:
    project, firsts = novel
    result = compile_project(project, "epub")
    book = epub.read_epub(str(result.path))
    assert book.get_metadata("DC", "title")[0][0] == TITLE
    assert book.get_metadata("DC", "creator")[0][0] == AUTHOR
    assert book.get_metadata("DC", "language")[0][0] == "en"
    pages = [
        item.get_content().decode("utf-8")
        for item in book.get_items_of_type(ITEM_DOCUMENT)
        if item.get_name().startswith("chapter-")
    ]
    assert len(pages) == CHAPTERS
    for number, (page, first) in enumerate(zip(pages, firsts, strict=True), start=1):
        assert f"<h1>Chapter {number}</h1>" in page
        paragraph = re.search(r"<p[^>]*>(.*?)</p>", page, re.DOTALL)
        assert paragraph is not None
        text = html.unescape(re.sub(r"<[^>]+>", "", paragraph.group(1)))
        assert " ".join(text.split()[:6]) == first
    assert "<em>Netherfield Park</em>" in pages[0]
    assert "<strong>Mr. Bingley</strong>" in pages[1]
    toc = [link.title for link in book.toc]
    assert toc[:3] == ["Chapter 1", "Chapter 2", "Chapter 3"] and len(toc) == CHAPTERS


def test_text_formats_and_the_writers_order(novel: tuple[Path, list[str]]) -> None:
    project, firsts = novel
    markdown = compile_project(project, "md").path.read_text(encoding="utf-8")
    assert markdown.startswith(f"# {TITLE}\n\nby {AUTHOR}\n")
    headings = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert headings == [f"Chapter {n}" for n in range(1, 62)]
    assert "*Netherfield Park*" in markdown and "**Mr. Bingley**" in markdown
    plain = compile_project(project, "txt").path.read_text(encoding="utf-8")
    assert plain.startswith(TITLE.upper()) and "*" not in plain.replace("* * *", "")
    assert firsts[60] in " ".join(plain.split())
    # the writer moves the last chapter first: every format follows the order file
    folder = project / "manuscript"
    moved = None
    for _ in range(CHAPTERS - 1):
        moved = move_in_order(folder, folder / "chapter-61.md", -1)
    assert moved is not None and moved[0] == "chapter-61.md"
    try:
        again = compile_project(project, "md", out=project / "output" / "reordered.md")
        headings = re.findall(r"^## (.+)$", again.path.read_text(encoding="utf-8"), re.MULTILINE)
        assert headings[:3] == ["Chapter 61", "Chapter 1", "Chapter 2"]
    finally:
        (folder / "order.toml").unlink()


def test_pdf_is_made_or_names_the_missing_font(tmp_path: Path) -> None:
    project = tmp_path / "short"
    (project / "manuscript").mkdir(parents=True)
    (project / "manuscript" / "one.md").write_text(
        "# One\n\n“Curly” quotes — and *italic*, **bold**, Ünïcödé.\n\n***\n\nAfter 中文.\n",
        encoding="utf-8",
    )
    if find_family() is None:
        with pytest.raises(CompileError, match="Unicode TrueType font"):
            compile_project(project, "pdf", title="Short")
    else:
        result = compile_project(project, "pdf", title="Short")
        data = result.path.read_bytes()
        assert data.startswith(b"%PDF-") and b"/Title" in data
        # the Latin text renders; what the font cannot draw is named, not silently lost
        assert len(result.problems) == 1 and "中 文" in result.problems[0]
    # no font anywhere: the message names the families and where they were sought
    message = missing_font_message([tmp_path / "no-fonts"])
    assert "DejaVu Serif" in message and str(tmp_path / "no-fonts") in message


def test_manuscript_format_docx(tmp_path: Path) -> None:
    project = tmp_path / "ms"
    (project / "manuscript").mkdir(parents=True)
    (project / "manuscript" / "chapter-1.md").write_text(
        "# Opening\n\nFirst *scene*.\n\n* * *\n\nSecond scene.\n", encoding="utf-8"
    )
    result = compile_project(
        project, "docx", manuscript=True, title="The Book", author="Ann Q. Writer"
    )
    assert result.path.name == "the-book-manuscript.docx"
    document = Document(str(result.path))
    normal = document.styles["Normal"]
    assert normal.font.size is not None and normal.font.size.pt == 12
    assert normal.paragraph_format.line_spacing == 2.0
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.text.startswith("Writer / The Book / ")
    assert "PAGE" in header._p.xml
    texts = [p.text for p in document.paragraphs]
    assert "#" in texts, "the manuscript's scene break"
    assert [r.text for p in document.paragraphs for r in p.runs if r.italic] == ["scene"]
    with pytest.raises(CompileError, match="DOCX"):
        compile_project(project, "epub", manuscript=True)


def test_the_command(novel: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = novel
    out = project.parent / "elsewhere" / "book.txt"
    code = main(
        ["compile", "--project", str(project), "--format", "txt", "--out", str(out), "--json"]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["chapters"] == CHAPTERS and Path(payload["path"]) == out
    assert out.read_text(encoding="utf-8").startswith(TITLE.upper())
    code = main(
        ["compile", "--project", str(project), "--out", str(project / ".session" / "x.docx")]
    )
    assert code == 2 and "session" in capsys.readouterr().err
    empty = project.parent / "empty"
    (empty / "manuscript").mkdir(parents=True)
    assert main(["compile", "--project", str(empty)]) == 2
    assert "no chapters" in capsys.readouterr().err


def test_an_unreadable_chapter_stops_the_compile_naming_it(tmp_path: Path) -> None:
    project = tmp_path / "bad"
    (project / "manuscript").mkdir(parents=True)
    (project / "manuscript" / "a.md").write_text("# A\n\nFine.\n", encoding="utf-8")
    (project / "manuscript" / "b.md").write_bytes(b"\xff\xfe broken")
    with pytest.raises(CompileError, match=r"manuscript/b\.md: not UTF-8"):
        compile_project(project, "docx")
    assert not (project / "output").exists() or not list((project / "output").iterdir())


def test_parts_are_sub_folders_with_their_own_headings(tmp_path: Path) -> None:
    project = tmp_path / "parts"
    folder = project / "manuscript"
    for name in ("prologue.md", "part-one/ch-2.md", "part-one/ch-10.md", "part-two/ch-1.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"Text of {name}.\n", encoding="utf-8")
    move_in_order(folder, folder / "prologue.md", -2)
    markdown = compile_project(project, "md", title="Parts").path.read_text(encoding="utf-8")
    assert re.findall(r"^#+ .+$", markdown, re.MULTILINE) == [
        "# Parts",
        "## Prologue",
        "# Part one",
        "## Ch 2",
        "## Ch 10",
        "# Part two",
        "## Ch 1",
    ]
    document = Document(str(compile_project(project, "docx", title="Parts").path))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Prologue"),
        ("Heading 1", "Part one"),
        ("Heading 2", "Ch 2"),
        ("Heading 2", "Ch 10"),
        ("Heading 1", "Part two"),
        ("Heading 2", "Ch 1"),
    ]
    book = epub.read_epub(str(compile_project(project, "epub", title="Parts").path))
    assert [getattr(entry, "title", None) or entry[0].title for entry in book.toc] == [
        "Prologue",
        "Part one",
        "Part two",
    ]


def test_the_title_new_recorded_is_the_books(tmp_path: Path) -> None:
    from writers_factory.project import create_project

    project = create_project(tmp_path / "folder-name", "The Real Title")
    result = compile_project(project, "md")
    assert result.path.name == "the-real-title.md"
    assert result.path.read_text(encoding="utf-8").startswith("# The Real Title\n")
