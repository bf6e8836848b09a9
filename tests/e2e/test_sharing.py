"""Per-attempt sharing seen from both sides (issue 16), in Chromium: a candidate shares an earlier attempt from
History and a reviewer's session finds it; the candidate unshares it and the reviewer's queue loses it."""

from __future__ import annotations

from typing import Any

import pytest

from coach.config import Settings
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.e2e.conftest import EMAIL, PASSWORD, Server, Tab
from tests.e2e.test_practice_flow import heading, shot

pytestmark = pytest.mark.e2e

# Its own reviewer: the e2e server is shared by the package, and the review flow makes reviewer@acme.example.
REVIEWER = "sharing-reviewer@acme.example"
ANSWER = "Our spring email campaign missed its sign-up target by 60%, and the list choice was mine."


def sign_in_as(page: Any, server: Server, email: str, lands_on: str) -> None:
    page.goto(server.url)
    heading(page, "Sign in").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    heading(page, lands_on).wait_for()


def test_a_reviewer_sees_an_attempt_while_it_is_shared_and_not_after(
    tab: Tab, server: Server, browser: Any
) -> None:
    settings = Settings(
        data_dir=server.data_dir, corpus_dir=CORPUS, argon2_time_cost=1, argon2_memory_kib=8192
    )
    storage = make_storage(settings)
    try:
        storage.accounts.create_user_from_shell("Acme", REVIEWER, "reviewer", PASSWORD)
        member = next(m for m in storage.accounts.list_members(_admin(storage)) if m.email == EMAIL)
        candidate = Actor(member.id, member.organisation_id, member.role, member.email)
        storage.transcripts.save_attempt(
            candidate, question_id="failed-campaign", question_text="A campaign that failed?", answer=ANSWER,
            shared=False,
        )  # fmt: skip
    finally:
        storage.close()

    page = tab.page
    sign_in_as(page, server, EMAIL, "Practice")
    page.get_by_role("link", name="History").click()
    heading(page, "History").wait_for()
    switch = page.get_by_role("switch", name="Shared with your organisation")
    page.get_by_text(
        "Shared with your organisation's reviewers"
    ).click()  # the label: the input sits under it
    page.wait_for_function("(el) => el.checked", arg=switch.element_handle())
    page.wait_for_timeout(1500)

    reviewer_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    reviewer = reviewer_context.new_page()
    reviewer.set_default_timeout(60_000)
    try:
        sign_in_as(reviewer, server, REVIEWER, "Review")
        reviewer.get_by_text(EMAIL).first.wait_for(state="attached")  # a cell of the queue's table
        shot(reviewer, "sharing-reviewer-sees-shared")

        page.get_by_text("Shared with your organisation's reviewers").click()
        page.wait_for_function("(el) => !el.checked", arg=switch.element_handle())
        page.wait_for_timeout(1500)
        reviewer.reload()
        heading(reviewer, "Review").wait_for()
        # Other tests of the package share attempts in the same organisation: this candidate's row must go.
        reviewer.wait_for_function(
            "(email) => !document.body.innerText.includes(email)", arg=EMAIL, timeout=60_000
        )
        assert ANSWER not in reviewer.inner_text("body")
        shot(reviewer, "sharing-reviewer-after-unshare")
    finally:
        reviewer_context.close()


def _admin(storage: Any) -> Actor:
    member = storage.accounts.create_user_from_shell("Acme", "admin-e2e@acme.example", "admin", PASSWORD)
    return Actor(member.id, member.organisation_id, member.role, member.email)
