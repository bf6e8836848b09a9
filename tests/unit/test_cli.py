"""The `coach` command reports bad input as one line on stderr with a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COACH = str(Path(sys.executable).parent / "coach")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "   "], "coach: error: the search query is empty"),
        (["no-such-command"], "invalid choice"),
    ],
)
def test_errors_are_one_line_without_traceback(args: list[str], expected: str, settings) -> None:
    done = subprocess.run([COACH, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_chroma_path_is_a_clear_error(tmp_path: Path, settings) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    done = subprocess.run(
        [COACH, "search", "anything"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "COACH_DATA_DIR": str(blocker)},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("coach: error: ") and "Traceback" not in done.stderr
