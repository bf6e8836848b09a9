"""Ingest and search against a real Chroma server started on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import Settings
from coach.retrieval.library import make_library, sync_index

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    if not CHROMA.exists() and not shutil.which("chroma"):
        pytest.fail("the chroma CLI is missing from the environment")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(CHROMA if CHROMA.exists() else "chroma"),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("the chroma server did not start")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_search_through_a_chroma_server(settings: Settings, chroma_server: int) -> None:
    remote = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": chroma_server})
    report = sync_index(remote)
    assert len(report.added) >= 60
    assert sync_index(remote).added == ()  # idempotent against the server too
    hits = make_library(remote).search("pizza brand tweeted into a domestic violence hashtag", k=3)
    assert "digiorno-whyistayed-2014" in [h.id for h in hits]
    assert not (settings.data_dir / "chroma").exists()  # nothing went to the embedded store


def test_unreachable_server_is_one_clear_error(settings: Settings) -> None:
    from coach.errors import CoachError

    remote = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": _free_port()})
    with pytest.raises(CoachError, match=r"cannot open the case index at 127\.0\.0\.1"):
        sync_index(remote)
