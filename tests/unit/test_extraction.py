"""Uploads: real PDF and Word files made here (fpdf2, python-docx), mapped onto the case sections."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from fpdf import FPDF

from coach.retrieval.extraction import MAX_BYTES, ExtractionError, extract, section_for

CASE_TEXT = [
    ("title", "The loyalty relaunch nobody noticed"),
    ("field", "Brand: Acme Coffee"),
    ("field", "Year: 2022"),
    ("field", "Channels: email, paid-social"),
    ("field", "Failure modes: weak-offer"),
    ("heading", "Objective"),
    ("text", "Bring lapsed members back with a points bonus."),
    ("heading", "What happened"),
    ("text", "The email went out to 400,000 members and almost nobody redeemed."),
    ("heading", "Root cause"),
    ("text", "The bonus was worth less than a single coffee."),
    ("heading", "Appendix"),
    ("text", "Creative samples."),
]


def make_pdf(lines: list[tuple[str, str]]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for kind, text in lines:
        pdf.set_font("Helvetica", style="B" if kind in ("title", "heading") else "", size=12)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    """A page with only a drawing on it: what a scan without OCR looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")
    return bytes(pdf.output())


def make_docx(lines: list[tuple[str, str]]) -> bytes:
    doc = WordDocument()
    for kind, text in lines:
        if kind == "title":
            doc.add_heading(text, level=0)
        elif kind == "heading":
            doc.add_heading(text, level=2)
        else:
            doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("maker, name", [(make_pdf, "case.pdf"), (make_docx, "case.docx")])
def test_pdf_and_word_files_map_onto_the_sections(maker: object, name: str) -> None:
    got = extract(name, maker(CASE_TEXT))  # type: ignore[operator]
    assert got.title == "The loyalty relaunch nobody noticed"
    assert got.fields == {
        "brand": "Acme Coffee",
        "year": 2022,
        "channels": ["email", "paid-social"],
        "failure_modes": ["weak-offer"],
    }
    assert got.sections["Goal"] == "Bring lapsed members back with a points bonus."
    assert "400,000 members" in got.sections["What happened"]
    assert got.sections["What went wrong"].startswith("The bonus was worth less")
    # a heading that names no section stays with the text before it, and is reported
    assert "Creative samples." in got.sections["What went wrong"]
    if name.endswith(".docx"):  # Word marks headings by style; in a PDF "Appendix" is just a short line
        assert got.unmapped == ("Appendix",)
    else:
        assert "Appendix" in got.sections["What went wrong"]


def test_markdown_front_matter_fills_the_fields() -> None:
    text = (
        "---\ntitle: Burger tweet\nbrand: BK\nyear: 2021\nchannels: [organic-social]\n"
        "failure_modes: [creative-tone-deaf]\nsources: [https://example.com/a]\n---\n"
        "## Goal\n\nAwareness.\n\n## Lessons\n\nRead it aloud first.\n"
    )
    got = extract("bk.md", text.encode())
    assert (got.kind, got.title, got.fields["year"], got.fields["sources"]) == (
        "markdown",
        "Burger tweet",
        2021,
        ["https://example.com/a"],
    )
    assert got.sections == {"Goal": "Awareness.", "Lessons": "Read it aloud first."}


def test_plain_text_without_headings_goes_to_what_happened_and_keeps_html_as_text() -> None:
    got = extract("notes.txt", b"A short title\n\nWe sent <script>alert(1)</script> to everyone.\n")
    assert got.title == "A short title"
    assert got.sections == {"What happened": "We sent <script>alert(1)</script> to everyone."}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", make_scanned_pdf(), "holds no text"),
        ("renamed.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not a PDF"),
        ("renamed.docx", b"%PDF-1.4 not really a word file", "not a Word .docx document"),
        ("broken.pdf", b"%PDF-1.7\n" + b"garbage " * 50, "could not be read|holds no text"),
        ("binary.txt", b"abc\x00def", "not a text file"),
        ("latin.md", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("empty.md", b"   \n", "empty"),
        ("big.txt", b"a" * (MAX_BYTES + 1), "over the 5 MB limit"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_the_file(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message) as caught:
        extract(name, data)
    assert str(caught.value).startswith(f"{name}: ")


def test_headings_are_recognised_with_numbering_and_synonyms() -> None:
    assert section_for("3. Root cause:") == "What went wrong"
    assert section_for("## Key takeaways") is None
    assert section_for("Takeaways") == "Lessons"
    assert section_for("RESULTS") == "Impact"
