"""A replica picks up a retrained scorer without a restart: the app keys its scorer on when the model was saved.

`coach train` (or a copy of a trained data/scorer from elsewhere) rewrites meta.json last; here its mtime is
moved on as a save would, and the app's next request for the scorer loads the model again, once.
"""

from __future__ import annotations

import os
from pathlib import Path

from pages import _resources


def test_a_model_saved_again_is_loaded_on_the_next_use(app_scorer: Path) -> None:
    first = _resources.scorer()
    assert _resources.scorer() is first  # unchanged on disk: the same object, nothing reloaded

    meta = app_scorer / "scorer" / "meta.json"
    saved = meta.stat().st_mtime_ns + 1_000_000_000
    os.utime(meta, ns=(saved, saved))
    second = _resources.scorer()
    assert second is not first
    assert _resources.scorer() is second
    assert second.version == first.version  # the same code and data: the same version, a fresh load
