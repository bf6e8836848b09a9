"""LLM settings, status line, strict schema and the retry policy, without a server."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import openai
import pytest
from pydantic import SecretStr

from coach.config import Settings, export_secrets
from coach.llm.client import LLMFailure, call_with_retries, llm_status, retry_after, strict_schema
from coach.llm.judge import JudgeVerdict


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "COACH_LLM_MODEL",
        "COACH_LLM_BASE_URL",
        "COACH_LLM_API_KEY",
        "OPENAI_API_KEY",
        "COACH_LLM_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)


def test_off_by_default_even_with_an_openai_key_in_the_shell(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-shell")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert not settings.llm_enabled
    assert llm_status(settings) == "LLM: off"
    assert settings.llm_timeout == 30.0


def test_key_falls_back_to_openai_api_key(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-shell")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.llm_enabled and settings.llm_api_key == SecretStr("sk-from-the-shell")
    assert llm_status(settings) == "LLM: on (gpt-4o-mini at api.openai.com)"
    assert "sk-from" not in repr(settings)
    monkeypatch.setenv("COACH_LLM_API_KEY", "sk-coach")
    assert Settings(_env_file=None).llm_api_key == SecretStr("sk-coach")  # type: ignore[call-arg]


def test_local_server_needs_no_key(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_LLM_MODEL", "llama3.1:8b")
    monkeypatch.setenv("COACH_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("COACH_LLM_TIMEOUT", "60")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.llm_enabled and settings.llm_timeout == 60
    assert llm_status(settings) == "LLM: on (llama3.1:8b at 127.0.0.1:11434)"


def test_model_without_key_or_server_is_off_with_a_hint(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_LLM_MODEL", "gpt-4o-mini")
    status = llm_status(Settings(_env_file=None))  # type: ignore[call-arg]
    assert status.startswith("LLM: off (") and "COACH_LLM_API_KEY" in status


def test_streamlit_secrets_reach_the_environment() -> None:
    environ = {"COACH_LLM_TIMEOUT": "5"}
    secrets = {
        "COACH_LLM_MODEL": "gpt-4o-mini",
        "COACH_LLM_TIMEOUT": 10,
        "OPENAI_API_KEY": "sk-secret",
        "OTHER": "x",
        "connections": {"db": {"url": "x"}},
    }
    assert export_secrets(secrets, environ) == ["COACH_LLM_MODEL", "OPENAI_API_KEY"]
    assert environ == {
        "COACH_LLM_TIMEOUT": "5",
        "COACH_LLM_MODEL": "gpt-4o-mini",
        "OPENAI_API_KEY": "sk-secret",
    }


def test_strict_schema_closes_every_object() -> None:
    schema = strict_schema(JudgeVerdict)
    assert schema["name"] == "JudgeVerdict" and schema["strict"] is True
    body = schema["schema"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {
        "describe",
        "acknowledge",
        "analyze",
        "learn",
        "apply",
        "flags",
        "follow_up",
        "feedback",
    }
    component = body["$defs"]["ComponentJudgement"]
    assert component["additionalProperties"] is False and component["required"] == [
        "level",
        "quote",
        "rationale",
    ]
    assert component["properties"]["level"]["enum"] == [0, 1, 2, 3, 4]
    assert "title" not in str(schema)


def test_retry_after_forms() -> None:
    assert retry_after(httpx.Headers({"retry-after": "2"})) == 2
    assert retry_after(httpx.Headers({"retry-after-ms": "250", "retry-after": "9"})) == 0.25
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= (retry_after(httpx.Headers({"retry-after": soon})) or 0) <= 30
    assert retry_after(httpx.Headers({"retry-after": "soon"})) is None
    assert retry_after(httpx.Headers({})) is None


def _status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(status, headers=headers, request=request)
    cls = {429: openai.RateLimitError, 500: openai.InternalServerError}.get(status, openai.APIStatusError)
    return cls("scripted", response=response, body=None)


def test_backoff_doubles_and_retry_after_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(llm_max_retries=3, llm_timeout=10)
    waits: list[float] = []
    errors = [_status_error(500), _status_error(500), _status_error(429, {"retry-after": "3"})]

    async def call() -> str:
        if errors:
            raise errors.pop(0)
        return "ok"

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    assert asyncio.run(call_with_retries(call, settings, sleep=sleep)) == "ok"
    assert 0.5 <= waits[0] <= 0.625 and 1.0 <= waits[1] <= 1.25 and waits[2] == 3


def test_unexpected_errors_are_not_swallowed() -> None:
    async def call() -> str:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        asyncio.run(call_with_retries(call, Settings()))
    failure = LLMFailure("timeout", "too slow")
    assert failure.code == "timeout" and str(failure) == "too slow"
