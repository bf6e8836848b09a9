"""Embedding, indexing and search work with the network switched off."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.config import Settings

COACH = str(Path(sys.executable).parent / "coach")


def _offline_prefix() -> list[str]:
    """A new network namespace with no interfaces but a down loopback: no route anywhere."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    pytest.skip("unshare -n is not permitted here, so the network cannot be switched off")


def test_ingest_and_search_with_no_network(settings: Settings, tmp_path: Path) -> None:
    prefix = _offline_prefix()
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(tmp_path / "offline-data"),
        "COACH_MODEL_PATH": str(tmp_path / "offline-model"),  # built from scratch, offline
        "HF_HUB_OFFLINE": "0",  # nothing may rely on the hub being switched off by a flag
    }
    probe = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('1.1.1.1', 443), timeout=2)",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert probe.returncode != 0, "the network was not switched off"
    for args in (["model", "prepare"], ["ingest"]):
        done = subprocess.run([*prefix, COACH, *args], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*prefix, COACH, "search", "a soft drink ad that borrowed the look of a protest", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["id"] == "pepsi-live-for-now-2017"
