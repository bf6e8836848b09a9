"""The optional LLM endpoint: structured replies, bounded retries, and failures as one typed error."""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from coach.config import Settings
from coach.errors import CoachError
from coach.llm.prompts import Prompt

if TYPE_CHECKING:
    from openai import DefaultAsyncHttpxClient

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

FailureCode = Literal["timeout", "connection", "rate_limited", "server_error", "http_error", "invalid_output"]
BACKOFF_SECONDS = 0.5  # first wait after a 5xx or a 429 without Retry-After; doubles each retry
RAW_REPLY_CHARS = 8000  # how much of an unparseable reply goes back to the model in the repair turn
NO_KEY = "not-needed"  # local servers ignore the key, but the OpenAI client insists on one


class LLMFailure(CoachError):
    """The endpoint gave no usable reply; `message` is what the user is shown beside the built-in score."""

    def __init__(self, code: FailureCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Structured(Generic[M]):
    """A validated reply, and whether it took the one repair turn to get it."""

    value: M
    repaired: bool


@runtime_checkable
class ChatClient(Protocol):
    """What the judge, the rewriter and the follow-up need from an LLM: one validated structured reply."""

    model: str

    async def ask(self, prompt: Prompt, schema: type[M]) -> Structured[M]: ...


def llm_status(settings: Settings) -> str:
    """One short line for a settings view; never shows the key."""
    if not settings.llm_model:
        return "LLM: off"
    if not settings.llm_enabled:
        return "LLM: off (COACH_LLM_MODEL is set; OpenAI also needs COACH_LLM_API_KEY or COACH_LLM_BASE_URL)"
    host = urlsplit(settings.llm_base_url).netloc if settings.llm_base_url else "api.openai.com"
    return f"LLM: on ({settings.llm_model} at {host})"


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema as OpenAI's strict structured output wants it (and local servers accept)."""

    def tidy(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: tidy(v) for k, v in node.items() if k not in ("title", "default")}
            if out.get("type") == "object" and "properties" in out:
                out["additionalProperties"] = False
                out["required"] = list(out["properties"])
            return out
        if isinstance(node, list):
            return [tidy(v) for v in node]
        return node

    return {"name": model.__name__, "strict": True, "schema": tidy(model.model_json_schema())}


def retry_after(headers: Any) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, or Retry-After in seconds or as an HTTP date."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if email.utils.parsedate_tz(value) else None
        return None if when is None else max(0.0, when.timestamp() - time.time())


def _failure(exc: Exception, settings: Settings, where: str) -> tuple[LLMFailure, bool, float | None]:
    """(what to tell the user, whether a retry may help, how long the server asked us to wait)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        # Not retried: the user has already waited the whole timeout once.
        return LLMFailure("timeout", f"the LLM did not answer within {settings.llm_timeout:g} s"), False, None
    if isinstance(exc, openai.APIConnectionError):
        return LLMFailure("connection", f"could not connect to the LLM at {where}"), False, None
    if isinstance(exc, openai.RateLimitError):
        wait = retry_after(exc.response.headers)
        return LLMFailure("rate_limited", "the LLM endpoint is rate-limiting requests (HTTP 429)"), True, wait
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        wait = retry_after(exc.response.headers)
        return LLMFailure("server_error", f"the LLM endpoint failed (HTTP {exc.status_code})"), True, wait
    if isinstance(exc, openai.APIStatusError):
        return (
            LLMFailure("http_error", f"the LLM endpoint refused the request (HTTP {exc.status_code})"),
            False,
            None,
        )
    raise exc


async def call_with_retries(
    call: Callable[[], Awaitable[T]],
    settings: Settings,
    *,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Run `call`, retrying a 429 or a 5xx at most `llm_max_retries` times; honour Retry-After, else back off."""
    where = settings.llm_base_url or "api.openai.com"
    for attempt in range(settings.llm_max_retries + 1):
        try:
            return await call()
        except Exception as exc:
            failure, retryable, wait = _failure(exc, settings, where)
            if not retryable:
                raise failure from exc
            if attempt == settings.llm_max_retries:
                raise LLMFailure(
                    failure.code, f"{failure.message}, still after {settings.llm_max_retries} retries"
                ) from exc
            if wait is not None and wait > settings.llm_timeout:
                # Waiting longer than one request may take is not worth it: fall back now.
                raise LLMFailure(failure.code, f"{failure.message} and asks to wait {wait:g} s") from exc
            if wait is None:
                wait = BACKOFF_SECONDS * 2**attempt * (1 + random.random() / 4)
            await sleep(wait)
    raise AssertionError("unreachable")


def _raw_text(reply: dict[str, Any]) -> str:
    raw = reply.get("raw")
    content = getattr(raw, "content", "")
    return content if isinstance(content, str) else str(content)


_FENCED = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


def _problem(reply: dict[str, Any], schema: type[M]) -> tuple[M | None, str | None]:
    # Parsed strictly from the raw text: LangChain's own parser quietly completes truncated JSON.
    text = _raw_text(reply)
    fenced = _FENCED.match(text)
    try:
        data = json.loads(fenced.group(1) if fenced else text)
    except json.JSONDecodeError as exc:
        return None, f"the reply was not valid JSON ({exc.msg} at character {exc.pos})"
    try:
        return schema.model_validate(data), None
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in exc.errors()[:5]
        )
        return None, f"the JSON did not match the schema ({errors})"


class OpenAIChat:
    """ChatOpenAI with structured output into a pydantic model, one repair turn, and our own retry policy.

    `sleep` is how the retries wait; tests pass one that records the delays instead of taking them.
    """

    def __init__(
        self, settings: Settings, http: DefaultAsyncHttpxClient, *, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.settings = settings
        self.model = settings.llm_model or ""
        self._chat = make_chat_model(settings, http)
        self._sleep = sleep

    async def ask(self, prompt: Prompt, schema: type[M]) -> Structured[M]:
        from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

        runnable = self._chat.with_structured_output(
            strict_schema(schema), method="json_schema", include_raw=True
        )
        messages: list[BaseMessage] = [SystemMessage(prompt.system), HumanMessage(prompt.user)]
        reply = await call_with_retries(lambda: runnable.ainvoke(messages), self.settings, sleep=self._sleep)
        value, problem = _problem(reply, schema)
        if value is not None:
            return Structured(value, repaired=False)
        # One repair turn: show the model its own reply and what was wrong with it.
        repair = [
            *messages,
            AIMessage(_raw_text(reply)[:RAW_REPLY_CHARS]),
            HumanMessage(
                f"That reply cannot be used: {problem}. Reply again with only the JSON object, "
                "exactly matching the schema. Your earlier instructions are unchanged."
            ),
        ]
        reply = await call_with_retries(lambda: runnable.ainvoke(repair), self.settings, sleep=self._sleep)
        value, problem = _problem(reply, schema)
        if value is None:
            raise LLMFailure(
                "invalid_output", f"the LLM's reply was unusable after one repair attempt: {problem}"
            )
        return Structured(value, repaired=True)


def make_chat_model(settings: Settings, http: DefaultAsyncHttpxClient) -> Any:
    """ChatOpenAI for the configured endpoint, with retries left to `call_with_retries`."""
    from langchain_openai import ChatOpenAI

    class OfflineChatOpenAI(ChatOpenAI):
        """Never counts tokens with tiktoken, whose encodings download on first use."""

        def get_token_ids(self, text: str) -> list[int]:
            raise NotImplementedError("token ids need tiktoken encodings, which download at run time")

        def get_num_tokens(self, text: str) -> int:
            return len(text) // 4 + 1  # a rough count is all anything here could need

        def get_num_tokens_from_messages(
            self, messages: Sequence[Any], tools: Sequence[Any] | None = None, **_: Any
        ) -> int:
            return sum(self.get_num_tokens(str(m.content)) + 4 for m in messages)

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else NO_KEY
    return OfflineChatOpenAI(
        model=settings.llm_model or "",
        base_url=settings.llm_base_url,
        api_key=key,  # type: ignore[arg-type]
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0,
        use_responses_api=False,  # local servers speak /v1/chat/completions only
        http_async_client=http,
    )


def make_openai_client(settings: Settings, http: DefaultAsyncHttpxClient) -> Any:
    """The plain OpenAI client, for endpoints LangChain does not cover (audio transcription)."""
    import openai

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else NO_KEY
    return openai.AsyncOpenAI(
        api_key=key,
        base_url=settings.llm_base_url,
        timeout=settings.llm_timeout,
        max_retries=0,
        http_client=http,
    )


@asynccontextmanager
async def make_http(settings: Settings) -> AsyncIterator[DefaultAsyncHttpxClient]:
    """A connection pool of our own, closed on exit. LangChain's shared default pool outlives the event
    loop it was made in, and Streamlit runs each call under a new one."""
    from openai import DefaultAsyncHttpxClient

    async with DefaultAsyncHttpxClient(timeout=settings.llm_timeout) as http:
        yield http


@asynccontextmanager
async def make_chat(settings: Settings, *, sleep: Sleep = asyncio.sleep) -> AsyncIterator[OpenAIChat]:
    """The chat client for the configured endpoint; one per event loop (or per batch)."""
    if not settings.llm_enabled:
        raise CoachError("no LLM is configured (see docs/llm.md)")
    async with make_http(settings) as http:
        yield OpenAIChat(settings, http, sleep=sleep)
