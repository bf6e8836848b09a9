"""The LLM path downloads nothing at run time (tiktoken included): it runs with the network switched off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT, Settings
from coach.llm.client import make_chat_model
from tests.integration.test_llm_review import STRONG
from tests.integration.test_offline import _offline_prefix

# Runs inside a network namespace of its own: loopback is brought up (a scripted server needs it), and
# nothing else exists, so any download, tiktoken's encodings included, fails.
SCRIPT = textwrap.dedent(
    """
    import fcntl, json, socket, struct, sys
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0))[:18])[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=2)
        sys.exit("the network was not switched off")
    except OSError:
        pass

    import os
    from tests.fake_openai import FakeOpenAI, Reply, answer_in, judge_reply, rewrite_reply
    server = FakeOpenAI().start()
    levels = dict.fromkeys(("describe", "acknowledge", "analyze", "learn", "apply"), 2)
    server.script("JudgeVerdict", lambda r: Reply.json(judge_reply(levels, answer_in(r))))
    server.script("RewrittenAnswer", Reply.json(rewrite_reply("I led the campaign.")))
    os.environ["COACH_LLM_BASE_URL"] = server.url

    from coach.cli import main as cli
    code = cli.main(["score", sys.argv[1], "--llm", "--json", "--no-related"])

    import tiktoken
    try:
        tiktoken.get_encoding("cl100k_base")
        sys.exit("tiktoken found its encoding: the test proves nothing")
    except Exception:
        pass
    sys.exit(code)
    """
)


def test_llm_scoring_with_no_network(llm_scorer_settings: Settings, tmp_path: Path) -> None:
    from coach.scoring.lifecycle import make_scorer

    make_scorer(llm_scorer_settings)  # the trained model is in place before the network goes
    prefix = _offline_prefix()
    answer = tmp_path / "answer.txt"
    answer.write_text(STRONG)
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "COACH_DATA_DIR": str(llm_scorer_settings.data_dir),
        "COACH_MODEL_PATH": str(llm_scorer_settings.model_dir),
        "COACH_LLM_MODEL": "gpt-4o-mini",  # a real model name: tiktoken would know its encoding
        "COACH_LLM_API_KEY": "sk-test-not-real",
        "COACH_LLM_TIMEOUT": "5",
        "TIKTOKEN_CACHE_DIR": str(
            tmp_path / "empty-tiktoken-cache"
        ),  # no cached encodings to hide a download
    }
    done = subprocess.run(
        [*prefix, sys.executable, "-c", SCRIPT, str(answer)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    card = json.loads(done.stdout)
    assert card["llm"]["status"] == "ok", card.get("fallback")
    assert card["llm"]["rewrite"]["text"] == "I led the campaign."


def test_chat_model_never_loads_a_tiktoken_encoding(
    llm_scorer_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tiktoken

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tiktoken was asked for an encoding")

    monkeypatch.setattr(tiktoken, "get_encoding", refuse)
    monkeypatch.setattr(tiktoken, "encoding_for_model", refuse)
    settings = llm_scorer_settings.model_copy(
        update={"llm_model": "gpt-4o-mini", "llm_base_url": "http://127.0.0.1:9/v1"}
    )
    model = make_chat_model(settings, http=None)  # type: ignore[arg-type]
    from langchain_core.messages import HumanMessage

    assert model.get_num_tokens_from_messages([HumanMessage("a" * 400)]) > 50
    assert model.get_num_tokens("a" * 400) == 101
    with pytest.raises(NotImplementedError):
        model.get_token_ids("text")
