"""The hiring file's PDF of one attempt: the question, the whole transcript, the coach's scorecard with its
evidence, and every review with its comment, reasons and history, as the reviewer printing it may see them."""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from coach.practice.report import INK, MUTED, ReportPDF, printable
from coach.practice.workflow import transcript_lines
from coach.review.queue import coach_card, reviewer_name
from coach.rubric import COMPONENT_NAMES, COMPONENTS, explain_flag
from coach.storage.records import ReviewRecord
from coach.storage.reviews import GAP, ReviewSheet

LINE = (203, 213, 225)
MARK = (180, 83, 9)  # the amber of a gap that needed a reason; printed with a text mark as well


class _HiringPDF(ReportPDF):
    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 45:  # nor a heading at the foot of a page
            self.add_page()
        super().heading(text)

    def ruled_table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A ruled table; cells that start with "!" are a gap of two or more, set bold in amber."""
        self.set_draw_color(*LINE)
        self.set_font("Helvetica", "B", 9)
        self.set_text_color(*INK)
        for text, width in zip(header, widths, strict=True):
            self.cell(width, 6, printable(text), border="B")
        self.ln(6)
        for row in rows:
            for text, width in zip(row, widths, strict=True):
                gap = text.startswith("!")
                self.set_font("Helvetica", "B" if gap else "", 9)
                self.set_text_color(*(MARK if gap else INK))
                self.cell(width, 6, printable(text.lstrip("!")), border="B")
            self.ln(6)
        self.set_text_color(*INK)
        self.ln(2)


def _coach_rows(sheet: ReviewSheet, names: dict[int, str]) -> tuple[list[str], list[list[str]]]:
    card = coach_card(sheet)
    coach = card.levels if card is not None and not card.refused else None
    reviews = list(sheet.attempt.reviews)
    header = ["Component", "Coach", *(reviewer_name(r, names) for r in reviews)]
    rows = []
    for c in COMPONENTS:
        row = [COMPONENT_NAMES[c], str(coach[c]) if coach else "-"]
        for review in reviews:
            level = review.levels.model_dump()[c]
            gap = coach is not None and abs(level - coach[c]) >= GAP
            row.append(f"!{level} (gap {level - coach[c]:+d})" if gap and coach else str(level))
        rows.append(row)
    overall = ["Overall", str(card.overall) if coach and card else "-", *(str(r.overall) for r in reviews)]
    return header, [*rows, overall]


def _review(
    pdf: _HiringPDF, review: ReviewRecord, names: dict[int, str], history: list[ReviewRecord]
) -> None:
    who = reviewer_name(review, names)
    blind = (
        "entered blind, before the coach's levels were shown"
        if review.blind
        else "entered with the coach's levels shown"
    )
    pdf.para(who, style="B")
    pdf.para(
        f"{review.created_at:%d %b %Y, %H:%M UTC} - revision {review.revision} - {blind} - overall {review.overall}/100",
        size=9,
        colour=MUTED,
    )
    levels = review.levels.model_dump()
    pdf.para(" - ".join(f"{COMPONENT_NAMES[c]} {levels[c]}/4" for c in COMPONENTS), size=9)
    pdf.para(review.comment or "(no comment)")
    for component, why in review.reasons.items():
        pdf.para(f"Why {COMPONENT_NAMES[component]} differs from the coach: {why}", size=9, style="I")
    for earlier in history:
        old = earlier.levels.model_dump()
        pdf.para(
            f"Earlier, revision {earlier.revision} ({earlier.created_at:%d %b %Y}): "
            + ", ".join(f"{COMPONENT_NAMES[c]} {old[c]}" for c in COMPONENTS)
            + (f'. "{earlier.comment}"' if earlier.comment else ""),
            size=8,
            colour=MUTED,
        )
    pdf.ln(2)


def review_pdf(sheet: ReviewSheet, candidate: str, names: dict[int, str]) -> bytes:
    """`names`: reviewer id -> email. Everything the reviewer may not see (blind review) is left out, and the
    report says so."""
    attempt = sheet.attempt
    card = coach_card(sheet)
    pdf = _HiringPDF()
    pdf.set_title(f"Hiring review, attempt {attempt.id}")
    pdf.add_page()
    pdf.para("Hiring review", size=18, style="B")
    pdf.para(
        f"Candidate {candidate} - attempt {attempt.id} - answered {attempt.created_at:%d %b %Y, %H:%M UTC}",
        size=9,
        colour=MUTED,
    )
    pdf.heading("Question")
    pdf.para(attempt.question_text)

    pdf.heading("Scores side by side")
    if sheet.coach_hidden:
        pdf.para("Blind review: the coach's scorecard and other reviews appear once your own review is in.")
    header, rows = _coach_rows(sheet, names)
    widths = [30.0, 18.0, *([(174 - 48) / max(1, len(header) - 2)] * (len(header) - 2))]
    pdf.ruled_table(header, rows, widths)
    pdf.para(
        f"Amber and bold: a reviewer's level {GAP} or more from the coach's (the reason is below).",
        size=8,
        colour=MUTED,
    )

    pdf.heading("Reviews")
    if not attempt.reviews:
        pdf.para("No review yet." if not sheet.others_hidden else "Hidden until your own review is in.")
    for review in attempt.reviews:
        _review(pdf, review, names, [h for h in sheet.history if h.reviewer_id == review.reviewer_id])

    pdf.heading("The coach's scorecard")
    if sheet.coach_hidden:
        pdf.para("Hidden until your own review is in (blind review).")
    elif card is None:
        pdf.para("Not scored for the transcript as it stands.")
    elif card.refused:
        pdf.para(f"Not scored: {card.refused}")
    else:
        pdf.para(f"Overall {card.overall}/100 - scored by {card.scorer}", style="B")
        for flag in card.flags:
            pdf.para(f"Flag {flag}: {explain_flag(flag)}", size=9)
        for c in COMPONENTS:
            score = card.components[c]
            pdf.level_row(COMPONENT_NAMES[c], score.level)
            if score.feedback:
                pdf.para(score.feedback, size=9)
            for sentence in score.evidence:
                pdf.para(f'Evidence: "{sentence}"', size=9, style="I", colour=MUTED)

    pdf.heading("Transcript")
    for speaker, text in transcript_lines(attempt):
        if pdf.get_y() > pdf.h - 40:  # a speaker's name never sits alone at the foot of a page
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 5, speaker, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.para(text)
        pdf.ln(1)
    return bytes(pdf.output())
