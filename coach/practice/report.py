"""The PDF report of one attempt: its scorecard, coaching and transcript, made with fpdf2 (pure Python)."""

from __future__ import annotations

import re

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from coach.practice.workflow import transcript_lines
from coach.rubric import COMPONENT_NAMES, COMPONENTS, explain_flag
from coach.scorecard import Scorecard
from coach.storage.records import AttemptRecord

ENCODING = "windows-1252"  # the built-in PDF fonts' widest code page: curly quotes and dashes survive
INK, MUTED, ACCENT, TRACK = (15, 23, 42), (71, 85, 105), (37, 99, 235), (226, 232, 240)


def printable(text: str) -> str:
    """Text the built-in fonts can set; a character outside Windows-1252 becomes '?'."""
    return text.encode(ENCODING, "replace").decode(ENCODING)


def plain(markdown: str) -> str:
    """Corpus Markdown as plain text: the emphasis markers dropped (the PDF sets no inline styles)."""
    return re.sub(r"(\*\*|__|`)", "", markdown)


class ReportPDF(FPDF):
    """A4 with the coach's type and colours; the hiring report (coach.review.report) prints on it too."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"CMO interview coach - page {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.set_text_color(*INK)
        self.cell(0, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(
        self, text: str, *, size: float = 10, style: str = "", colour: tuple[int, int, int] = INK
    ) -> None:
        self.set_font("Helvetica", style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def level_row(self, name: str, level: int) -> None:
        self.set_font("Helvetica", "B", 10)
        self.set_text_color(*INK)
        self.cell(32, 7, name)
        x, y = self.get_x(), self.get_y() + 1.5
        for i in range(4):
            self.set_fill_color(*(ACCENT if i < level else TRACK))
            self.rect(x + i * 13, y, 12, 4, style="F")
        self.set_x(x + 4 * 13 + 4)
        self.set_font("Helvetica", "", 10)
        self.cell(0, 7, f"level {level} of 4", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def attempt_pdf(attempt: AttemptRecord, card: Scorecard | None) -> bytes:
    """One attempt as a printable report: scores, flags, coaching per component, evidence, the transcript."""
    pdf = ReportPDF()
    pdf.set_title(f"Practice report, attempt {attempt.id}")
    pdf.add_page()
    pdf.para("Practice report", size=18, style="B")
    pdf.para(
        f"Attempt {attempt.id} - {attempt.created_at.strftime('%d %b %Y, %H:%M UTC')}"
        + (f" - scored by {card.scorer}" if card else ""),
        size=9,
        colour=MUTED,
    )
    pdf.heading("Question")
    pdf.para(attempt.question_text)

    if card is None:
        pdf.heading("Not scored yet")
        pdf.para("The answer is stored; score it again from the Practice or History page.")
    elif card.refused:
        pdf.heading("Not scored")
        pdf.para(card.refused)
    else:
        pdf.heading(f"Overall {card.overall} / 100")
        for c in COMPONENTS:
            pdf.level_row(COMPONENT_NAMES[c], card.components[c].level)
        if card.flags:
            pdf.heading("Flags")
            for flag in card.flags:
                pdf.para(f"- {flag}: {explain_flag(flag)}")
        pdf.heading("Coaching")
        for c in COMPONENTS:
            score = card.components[c]
            pdf.para(f"{COMPONENT_NAMES[c]} (level {score.level})", style="B")
            if score.feedback:
                pdf.para(score.feedback)
            for sentence in score.evidence:
                pdf.para(f'Evidence: "{sentence}"', size=9, style="I", colour=MUTED)
            pdf.ln(1)
        if card.follow_up:
            pdf.heading("The interviewer's follow-up")
            pdf.para(card.follow_up)
        if card.related:
            pdf.heading("Related cases")
            for related in card.related:
                pdf.para(related.title, style="B")
                pdf.para(plain(related.why), size=9, colour=MUTED)
        for note in card.all_notes:
            pdf.para(note, size=9, colour=MUTED)

    pdf.heading("Transcript")
    for speaker, text in transcript_lines(attempt):
        pdf.para(speaker, size=9, style="B", colour=MUTED)
        pdf.para(text)
        pdf.ln(1)
    return bytes(pdf.output())
