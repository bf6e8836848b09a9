"""The PDF report of one attempt: a real PDF holding the scores, coaching and transcript."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime

from coach.practice.report import attempt_pdf, printable
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Exemplar, FallbackReview, Related, Scorecard, refused_card
from coach.storage.records import AttemptRecord, TurnRecord

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _attempt(answer: str = "I led a campaign – it “failed” by 40% 🚀.") -> AttemptRecord:
    return AttemptRecord(
        id=7,
        user_id=1,
        organisation_id=1,
        question_id="failed-campaign",
        question_text="Explain a digital marketing campaign you led that failed.",
        answer=answer,
        shared=False,
        status="scored",
        created_at=WHEN,
        updated_at=WHEN,
        turns=(TurnRecord(1, "What did the data show?", "Sign-ups were 40% short.", WHEN),),
    )


def _card() -> Scorecard:
    return Scorecard(
        overall=65,
        components={
            c: ComponentScore(i % 5, (f"Evidence for {c}.",), f"Coaching for {c}.")
            for i, c in enumerate(COMPONENTS)
        },
        flags=("no_metrics",),
        follow_up="Which number moved?",
        scorer="builtin-test",
        related=(Related("pepsi", "Pepsi Live for Now", "case", "**A protest ad.** It flopped."),),
        exemplar=Exemplar("e-1", "A strong answer.", None, 100),
    )


def _text(pdf: bytes) -> str:
    """The text drawn on the pages: every content stream inflated."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream).decode("cp1252"))
        except zlib.error:
            out.append(stream.decode("cp1252", "replace"))
    return "\n".join(out)


def test_a_scored_attempt_makes_a_pdf_with_its_scorecard_and_transcript() -> None:
    pdf = attempt_pdf(_attempt(), _card())
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = _text(pdf)
    for expected in (
        "Practice report",
        "Overall 65 / 100",
        "Describe",
        "Apply",
        "level 4 of 4",
        "no_metrics: No number, percentage or measured result",
        "Coaching for analyze.",
        "Evidence for learn.",
        "Which number moved?",
        "Pepsi Live for Now",
        "A protest ad. It flopped.",
        "Sign-ups were 40% short.",
        "Interviewer",
        "Candidate",
    ):
        assert expected in text, expected
    assert "I led a campaign – it “failed” by 40% ?." in text  # curly quotes kept; the emoji cannot be set


def test_unscored_and_refused_attempts_still_make_a_report() -> None:
    assert "Not scored yet" in _text(attempt_pdf(_attempt(), None))
    refused = refused_card("Too short.", "builtin-test")
    text = _text(attempt_pdf(_attempt("<script>alert(1)</script>"), refused))
    assert "Too short." in text and "<script>alert\\(1\\)</script>" in text


def test_the_llm_review_s_notes_are_printed_with_the_scorer_s() -> None:
    card = _card().revised(
        notes=("Only the first 5,000 words were scored.",),
        llm=FallbackReview(reason="timeout", message="the LLM did not answer within 30 s"),
    )
    text = _text(attempt_pdf(_attempt(), card))
    assert "Only the first 5,000 words were scored." in text
    assert "LLM judge unavailable: the LLM did not answer within 30 s. This is the built-in score." in text


def test_printable_keeps_windows_1252_and_replaces_the_rest() -> None:
    assert printable("“Quotes” – dash … €5") == "“Quotes” – dash … €5"
    assert printable("日本 🚀") == "?? ?"
