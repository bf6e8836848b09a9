"""`coach score --llm`, `coach score --jsonl --llm --concurrency N` and `coach eval --scorer llm` end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from coach.cli import main as cli
from coach.cli import scoring as cli_scoring
from coach.config import Settings, get_settings
from coach.scoring.scorer import Scorer
from tests.fake_openai import FakeOpenAI, Reply, answer_in, judge_reply, rewrite_reply
from tests.integration.test_llm_review import STRONG


@pytest.fixture
def llm_env(
    llm_settings: Settings, builtin_scorer: Scorer, fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> FakeOpenAI:
    """The CLI reads settings from the environment, like a user's shell; the scorer is the session's."""
    env = {
        "COACH_DATA_DIR": str(llm_settings.data_dir),
        "COACH_MODEL_PATH": str(llm_settings.model_dir),
        "COACH_LLM_MODEL": "scripted-judge",
        "COACH_LLM_BASE_URL": fake_llm.url,
        "COACH_LLM_API_KEY": "sk-test-not-real",
        "COACH_LLM_TIMEOUT": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cli_scoring, "_scorer", lambda with_related: builtin_scorer)
    get_settings.cache_clear()
    yield fake_llm
    get_settings.cache_clear()


def echo_judge(builtin_scorer: Scorer) -> Any:
    def reply(request: dict[str, Any]) -> Reply:
        answer = answer_in(request)
        n = re.search(r"number (\d+)", answer)
        delay = 0.2 if n and int(n.group(1)) == 0 else 0.0  # the first answer finishes last
        return Reply.json(
            judge_reply(builtin_scorer.score(answer).levels, answer, follow_up=f"About {n and n.group(1)}?"),
            delay=delay,
        )

    return reply


def test_score_one_answer_with_llm_prints_judge_and_rewrite(
    llm_env: FakeOpenAI, builtin_scorer: Scorer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(STRONG)
    llm_env.script("JudgeVerdict", echo_judge(builtin_scorer))
    llm_env.script("RewrittenAnswer", Reply.json(rewrite_reply("I led it; engagement missed by 30%.")))

    assert cli.main(["score", str(path), "--llm"]) == 0

    out = capsys.readouterr().out
    assert "LLM judge (scripted-judge):" in out
    assert "stronger version of your answer:" in out
    assert "I led it; engagement missed by [by how much?]." in out


def test_score_one_answer_prints_the_fallback(
    llm_env: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(STRONG)
    llm_env.script("JudgeVerdict", Reply.error(500))
    llm_env.script("RewrittenAnswer", Reply.error(500))

    assert cli.main(["score", str(path), "--llm", "--json"]) == 0

    card = json.loads(capsys.readouterr().out)
    assert card["fallback"].startswith("LLM judge unavailable: the LLM endpoint failed (HTTP 500)")
    assert card["overall"] >= 0 and set(card["components"]) == {
        "describe",
        "acknowledge",
        "analyze",
        "learn",
        "apply",
    }


def test_batch_with_llm_keeps_order_and_shows_progress(
    llm_env: FakeOpenAI, builtin_scorer: Scorer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"id": f"r{n}", "answer": f"{STRONG} This was campaign number {n}."} for n in range(5)]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    llm_env.script("JudgeVerdict", echo_judge(builtin_scorer))

    assert cli.main(["score", "--jsonl", str(src), "--out", str(out), "--llm", "--concurrency", "2"]) == 0

    cards = [json.loads(line) for line in out.read_text().splitlines()]
    assert [c["id"] for c in cards] == [r["id"] for r in rows]
    assert [c["follow_up"] for c in cards] == [f"About {n}?" for n in range(5)]
    assert all(c["llm"]["status"] == "ok" for c in cards)
    assert llm_env.max_in_flight <= 2
    err = capsys.readouterr().err
    assert "] 5/5" in err and "\r[" in err
    assert "scored 5 answers" in err


def test_llm_flag_without_an_llm_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COACH_LLM_MODEL", raising=False)
    get_settings.cache_clear()
    path = tmp_path / "answer.txt"
    path.write_text(STRONG)
    assert cli.main(["score", str(path), "--llm"]) == 1
    assert "--llm needs an LLM" in capsys.readouterr().err
    get_settings.cache_clear()


def test_eval_with_llm_scorer_reports_judge_agreement(
    llm_env: FakeOpenAI, builtin_scorer: Scorer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labelled = [
        json.loads(line) for line in Path("corpus/labelled/answers-a.jsonl").read_text().splitlines()[:4]
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in labelled) + "\n")

    def from_labels(request: dict[str, Any]) -> Reply:
        answer = answer_in(request)
        row = next(r for r in labelled if r["answer"] == answer)
        return Reply.json(judge_reply(row["labels"], answer))

    llm_env.script("JudgeVerdict", from_labels)

    assert cli.main(["eval", str(path), "--scorer", "llm", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["judge"]["judged"] == 4 and report["judge"]["fallbacks"] == {}
    # A judge that returns the labels agrees with them exactly.
    assert all(c["exact"] == 1.0 for c in report["judge"]["judge_alone"]["components"].values())
    assert "+llm-judge-1" in report["mode"]
