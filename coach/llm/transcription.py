"""Voice answers to text through an OpenAI-compatible /v1/audio/transcriptions endpoint."""

from __future__ import annotations

import asyncio

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.llm.client import LLMFailure, call_with_retries, make_http, make_openai_client

MAX_AUDIO_BYTES = 25 * 1024 * 1024  # OpenAI's limit for one file


async def atranscribe(audio: bytes, filename: str = "answer.wav", settings: Settings | None = None) -> str:
    """The spoken answer as text; raises CoachError with a message for the user when it cannot."""
    settings = settings or get_settings()
    if not (settings.llm_enabled or settings.llm_transcription_base_url):
        raise CoachError("Voice answers need an LLM endpoint with transcription (see docs/llm.md).")
    if not audio:
        raise CoachError("The recording is empty.")
    if len(audio) > MAX_AUDIO_BYTES:
        raise CoachError("The recording is too long to transcribe; keep it to a few minutes.")
    target = settings.model_copy(
        update={"llm_base_url": settings.llm_transcription_base_url or settings.llm_base_url}
    )
    async with make_http(target) as http:
        client = make_openai_client(target, http)
        try:
            result = await call_with_retries(
                lambda: client.audio.transcriptions.create(
                    model=settings.llm_transcription_model, file=(filename, audio)
                ),
                target,
            )
        except LLMFailure as exc:
            raise CoachError(f"Transcription failed: {exc.message}.") from exc
    text = " ".join(str(getattr(result, "text", "")).split())
    if not text:
        raise CoachError("No speech was recognised in the recording.")
    return text


def transcribe(audio: bytes, filename: str = "answer.wav", settings: Settings | None = None) -> str:
    """Blocking form of atranscribe, for a Streamlit page (which runs outside any event loop)."""
    return asyncio.run(atranscribe(audio, filename, settings))
