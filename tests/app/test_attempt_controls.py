"""Sharing, unsharing and deleting one's own attempt from History (issue 16), through AppTest."""

from __future__ import annotations

import pytest

from coach.storage.permissions import Actor, NotFound
from coach.storage.store import Storage
from tests.app.conftest import actor_of, ok, open_app, seed_attempt

HISTORY = "pages/history.py"


@pytest.fixture
def actor(candidate: str, app_storage: Storage) -> Actor:
    return actor_of(app_storage, candidate)


def test_an_earlier_attempt_is_shared_then_unshared_then_deleted(
    candidate: str, actor: Actor, app_storage: Storage
) -> None:
    attempt = seed_attempt(app_storage, actor, "failed-campaign", "I led a campaign.", (2, 2, 2, 2, 2))
    assert not app_storage.transcripts.get_attempt(actor, attempt).shared
    at = open_app(candidate, page=HISTORY)
    toggle = next(t for t in at.toggle if t.label == "Shared with your organisation's reviewers")
    assert toggle.value is False
    ok(toggle.set_value(True).run())
    assert app_storage.transcripts.get_attempt(actor, attempt).shared
    toggle = next(t for t in at.toggle if t.label == "Shared with your organisation's reviewers")
    ok(toggle.set_value(False).run())
    assert not app_storage.transcripts.get_attempt(actor, attempt).shared

    ok(next(b for b in at.button if b.label == "Delete it").click().run())
    with pytest.raises(NotFound):
        app_storage.transcripts.get_attempt(actor, attempt)
    assert at.info[0].value.startswith("No attempts yet")
