"""Voice answers through /v1/audio/transcriptions on the scripted server."""

from __future__ import annotations

import pytest

from coach.config import Settings
from coach.errors import CoachError
from coach.llm.transcription import atranscribe, transcribe
from tests.fake_openai import FakeOpenAI, Reply

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(64))


@pytest.mark.asyncio
async def test_transcribes_through_the_endpoint(llm_settings: Settings, fake_llm: FakeOpenAI) -> None:
    fake_llm.script("transcription", Reply(body={"text": "  I led a campaign\n that failed. "}))

    text = await atranscribe(AUDIO, "answer.wav", llm_settings)

    assert text == "I led a campaign that failed."
    (request,) = fake_llm.of_kind("transcription")
    assert request["path"] == "/v1/audio/transcriptions"
    assert request["model"] == "whisper-1"
    assert request["file_bytes"] == AUDIO


def test_blocking_form_and_a_separate_endpoint(llm_settings: Settings, fake_llm: FakeOpenAI) -> None:
    fake_llm.script("transcription", Reply(body={"text": "hello"}))
    settings = llm_settings.model_copy(
        update={
            "llm_base_url": "http://127.0.0.1:9/v1",
            "llm_transcription_base_url": fake_llm.url,
            "llm_transcription_model": "Systran/faster-whisper-small",
        }
    )
    assert transcribe(AUDIO, "a.webm", settings) == "hello"
    assert fake_llm.of_kind("transcription")[0]["model"] == "Systran/faster-whisper-small"


@pytest.mark.asyncio
async def test_failures_are_one_line_for_the_user(llm_settings: Settings, fake_llm: FakeOpenAI) -> None:
    fake_llm.script("transcription", Reply.error(500))
    with pytest.raises(
        CoachError, match=r"^Transcription failed: the LLM endpoint failed \(HTTP 500\), still after 2"
    ):
        await atranscribe(AUDIO, "answer.wav", llm_settings)
    fake_llm.script("transcription", Reply(body={"text": "  "}))
    with pytest.raises(CoachError, match="No speech was recognised"):
        await atranscribe(AUDIO, "answer.wav", llm_settings)
    with pytest.raises(CoachError, match="empty"):
        await atranscribe(b"", "answer.wav", llm_settings)
    with pytest.raises(CoachError, match="need an LLM endpoint"):
        await atranscribe(AUDIO, "answer.wav", llm_settings.model_copy(update={"llm_model": None}))
