"""Practice: pick a question, answer it, read the scorecard, answer the follow-up, try again."""

from __future__ import annotations

import hashlib
import time

import streamlit as st

from coach.errors import CoachError
from coach.llm.transcription import transcribe
from coach.practice.annotation import text_html
from coach.practice.interview import MAX_FOLLOW_UPS
from coach.practice.workflow import (
    Outcome,
    format_elapsed,
    question_choices,
    surprise,
    voice_available,
)
from coach.storage.permissions import NotFound, Permission
from pages._answer_box import answer_box
from pages._assignments_block import assignments_block
from pages._auth import signed_in
from pages._case_view import show_scenario
from pages._draft_hooks import restore_draft, save_draft
from pages._resources import casebook, practice, storage, warm_scorer
from pages._scorecard import INTERVIEWER, show_details, show_summary, show_transcript

# Session keys. A widget's key vanishes when the widget is not drawn (the result view), so the choices that
# must survive it are mirrored in plain keys and restored from there.
QID, CASE, REHEARSING = "practice_qid", "practice_case", "practice_rehearsing"
QUESTION_W, CASE_W, REHEARSE_W = "practice_question", "practice_case_widget", "practice_rehearse"
ANSWER, STARTED, ELAPSED = "practice_answer", "practice_started", "practice_elapsed"
ATTEMPT, RETRY_OF, HEARD = "practice_attempt", "practice_retry_of", "practice_heard"
OUTCOME = "practice_outcome"  # the Outcome an action just returned, rendered once without a re-read

actor = signed_in(Permission.PRACTISE)
state = st.session_state
questions = question_choices(storage().questions, actor)
by_id = {q.id: q for q in questions}


def _restore(widget: str, mirror: str, default: object) -> None:
    if widget not in state:
        state[widget] = state.get(mirror, default)


def _surprise() -> None:
    state[QUESTION_W] = surprise(questions, state.get(QUESTION_W)).id
    state[STARTED] = time.time()


def _restart_timer() -> None:
    state[STARTED] = time.time()


def _restart(*, same_question: bool) -> None:
    """Back to the answer box; the attempt just shown stays in the history."""
    shown = state.pop(ATTEMPT, None)
    state[RETRY_OF] = shown if same_question else None
    state.pop(OUTCOME, None)
    state[ANSWER] = ""
    state[STARTED] = time.time()


def _practise_assigned(question_id: str, case_id: str | None) -> None:
    """An assignment's item picked: its question, and its case to rehearse with when it has one."""
    state[QUESTION_W] = state[QID] = question_id
    state[REHEARSE_W] = state[REHEARSING] = case_id is not None
    if case_id is not None:
        state[CASE_W] = state[CASE] = case_id
    state[STARTED] = time.time()


def answer_view() -> None:
    st.title("Practice")
    assignments_block(actor, _practise_assigned)
    if state.get(QID) not in by_id:
        state[QID] = questions[0].id
    _restore(QUESTION_W, QID, state[QID])
    pick, dice = st.columns([5, 1], vertical_alignment="bottom")
    question_id = pick.selectbox(
        "Question", list(by_id), format_func=lambda i: by_id[i].text, key=QUESTION_W, on_change=_restart_timer
    )
    dice.button("🎲 Surprise me", on_click=_surprise, width="stretch")
    state[QID] = question_id
    question = by_id[question_id]
    if question.hint:
        with st.expander("What a strong answer does"):
            st.html(text_html(question.hint))  # an organisation's hint is a trainer's text: escaped

    _restore(REHEARSE_W, REHEARSING, False)
    state[REHEARSING] = st.toggle(
        "Rehearse with a case",
        key=REHEARSE_W,
        help="Answer as if you had led one of the library's failed campaigns",
    )
    if state[REHEARSING]:
        # The shipped cases and the organisation's own (trainer workspace, issue 13).
        documents = {d.id: d for d in casebook().case_documents(actor)}
        if state.get(CASE_W) not in documents:
            state.pop(CASE_W, None)
        if state.get(CASE) not in documents:
            state.pop(CASE, None)
        _restore(CASE_W, CASE, next(iter(documents)))
        case_id = st.selectbox("Case", list(documents), format_func=lambda i: documents[i].title, key=CASE_W)
        state[CASE] = case_id
        show_scenario(documents[case_id])

    earlier = opened(RETRY_OF)
    if earlier is not None:
        with st.expander("Your previous answer to this question"):
            score = f"{earlier.card.overall}/100" if earlier.card else "not scored"
            st.caption(f"Scored {score}")
            st.html(text_html(earlier.attempt.answer))

    state.setdefault(STARTED, time.time())

    if voice_available():
        audio = st.audio_input("Answer by voice (optional): the transcript appears below for editing")
        if audio is not None:
            digest = hashlib.sha256(audio.getvalue()).hexdigest()
            if state.get(HEARD) != digest:
                try:
                    with st.spinner("Transcribing..."):
                        state[ANSWER] = transcribe(audio.getvalue(), audio.name or "answer.wav")
                except CoachError as exc:
                    st.error(str(exc))
                state[HEARD] = digest
    # Without a transcription backend the voice input stays hidden: typing is the way in.

    warm_scorer()
    restore_draft(actor, question.id, ANSWER)
    # The box counts words and time as the candidate types, and its text arrives here when typing pauses.
    answer = answer_box(
        "Your answer",
        key=ANSWER,
        band=question.words,
        elapsed=time.time() - state[STARTED],
        placeholder="Tell the story: the campaign, what missed, why, what you learned, where you applied it.",
    )
    save_draft(actor, question.id, answer)

    # An answer a database outage kept in this session is saved first, once the database is back.
    from pages._pending import save_kept, show_kept, submit_or_keep

    retried = earlier.attempt.id if earlier and earlier.attempt.question_id == question.id else None
    saved = save_kept(actor)
    outcome = saved[-1] if saved else None
    if st.button("Score my answer", type="primary"):
        if not answer.strip():
            st.error("Type (or record) your answer first.")
        else:
            state[ELAPSED] = time.time() - state[STARTED]
            with st.spinner("Saving and scoring..."):
                outcome = submit_or_keep(actor, question, answer, retried, saved) or outcome
    if outcome is None:
        show_kept()  # what is still held, why, and "Save now"
        return
    show(outcome)
    state.pop(RETRY_OF, None)
    st.rerun()


def show(outcome: Outcome) -> None:
    """Hold what the workflow returned: the next run renders it as it is, without reading it back."""
    state[ATTEMPT] = outcome.attempt.id
    state[OUTCOME] = outcome


def opened(key: str) -> Outcome | None:
    """The attempt whose id this browser session holds under `key`, if the signed-in user may read it.

    Right after an action the outcome it returned is rendered as it is; on later runs the attempt is read
    again (another page, History's "Score again", may have changed it since). The id outlives a sign-out in
    the session state; after another user signs in here it is simply dropped.
    """
    attempt_id = state.get(key)
    if attempt_id is None:
        return None
    held = state.pop(OUTCOME, None) if key == ATTEMPT else None
    if isinstance(held, Outcome) and held.attempt.id == attempt_id and held.attempt.user_id == actor.user_id:
        return held
    try:
        return practice().open(actor, int(attempt_id))
    except NotFound:
        state.pop(key, None)
        return None


def result_view(outcome: Outcome) -> None:
    attempt, card = outcome.attempt, outcome.card
    st.title("Practice")
    if ELAPSED in state:
        st.caption(f"Answered in {format_elapsed(state[ELAPSED])}")
    if outcome.error:
        show_transcript(attempt, card)
        st.error(outcome.error)
        if st.button("Score again", type="primary"):
            with st.spinner("Scoring..."):
                show(practice().score_again(actor, attempt.id))
            st.rerun()
    elif card is not None:
        # The score first, however long the answer: the transcript and the detail follow it.
        st.header("Scorecard")
        show_summary(card, outcome.changes)
        st.subheader("Your answer")
        show_transcript(attempt, card)
        if outcome.unanswered:
            st.warning(outcome.unanswered, icon=":material/reply:")
        asked = outcome.follow_up
        if asked is not None:
            st.header("Follow-up")
            st.caption(f"Question {len(attempt.turns) + 1} of up to {MAX_FOLLOW_UPS} from the interviewer")
            with st.chat_message("assistant", avatar=INTERVIEWER):
                st.html(text_html(asked.question))
            reply = st.text_area(
                "Your reply to the interviewer", key=f"practice_reply_{attempt.id}_{len(attempt.turns)}"
            )
            if st.button("Send reply and score the whole exchange", type="primary"):
                if not reply.strip():
                    st.error("Type your reply first.")
                else:
                    with st.spinner("Saving and scoring the exchange..."):
                        show(practice().answer_follow_up(actor, attempt.id, asked, reply))
                    st.rerun()
        elif attempt.turns and not card.refused:
            st.caption("That is the end of the interview: try again to answer the question afresh.")
        show_details(card)

    st.divider()
    again, other = st.columns(2)
    again.button(
        "↻ Try again",
        on_click=_restart,
        kwargs={"same_question": True},
        width="stretch",
        help="A new attempt at the same question; this one stays in your history",
    )
    other.button("New question", on_click=_restart, kwargs={"same_question": False}, width="stretch")


current = opened(ATTEMPT)
if current is None:
    answer_view()
else:
    result_view(current)
