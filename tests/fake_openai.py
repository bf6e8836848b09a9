"""A scripted OpenAI-compatible server on 127.0.0.1: /v1/chat/completions and /v1/audio/transcriptions."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[dict[str, Any]], "Reply"]


@dataclass(frozen=True)
class Reply:
    """One scripted response: a chat message's content, or a status with headers, optionally late."""

    status: int = 200
    content: str | None = None  # the assistant message's text (valid JSON or not)
    body: dict[str, Any] | None = None  # a whole JSON body instead (errors, transcriptions)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @staticmethod
    def json(obj: Any, delay: float = 0.0) -> Reply:
        return Reply(content=json.dumps(obj), delay=delay)

    @staticmethod
    def text(content: str) -> Reply:
        return Reply(content=content)

    @staticmethod
    def error(status: int, headers: dict[str, str] | None = None) -> Reply:
        return Reply(
            status=status,
            body={"error": {"message": f"scripted {status}", "type": "server_error", "code": None}},
            headers=headers or {},
        )


Script = Reply | Handler


def chat_completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeOpenAI:
    """Replies per kind of request (the JSON schema's name, or "transcription"); the last one repeats."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.scripts: dict[str, list[Script]] = {}
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.scripts.clear()
            self.requests.clear()
            self.in_flight = self.max_in_flight = 0

    def script(self, kind: str, *replies: Script) -> None:
        with self._lock:
            self.scripts[kind] = list(replies)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["kind"] == kind]

    def _next(self, kind: str) -> Script:
        with self._lock:
            queue = self.scripts.get(kind)
            if not queue:
                return Reply.error(404)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path.endswith("/audio/transcriptions"):
                    request = {"kind": "transcription", "path": self.path, **_multipart(raw)}
                else:
                    body = json.loads(raw)
                    schema = (body.get("response_format") or {}).get("json_schema") or {}
                    request = {"kind": schema.get("name", "chat"), "path": self.path, "body": body}
                request["authorization"] = self.headers.get("Authorization", "")
                with fake._lock:
                    fake.requests.append(request)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    script = fake._next(request["kind"])
                    reply = script if isinstance(script, Reply) else script(request)
                    if reply.delay:
                        time.sleep(reply.delay)
                    self._send(reply, request)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _send(self, reply: Reply, request: dict[str, Any]) -> None:
                if reply.body is not None:
                    payload = reply.body
                else:
                    model = request.get("body", {}).get("model", "scripted")
                    payload = chat_completion(model, reply.content or "")
                data = json.dumps(payload).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _multipart(raw: bytes) -> dict[str, Any]:
    """The form fields and the file's size from a multipart body: enough to assert on."""
    fields: dict[str, Any] = {}
    for part in raw.split(b"\r\n--"):
        head, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head)
        if not name:
            continue
        value = value.removesuffix(b"\r\n")
        if b"filename=" in head:
            fields["file_bytes"] = value.rstrip(b"-\r\n") if value.endswith(b"--") else value
        else:
            fields[name.group(1).decode()] = value.decode(errors="replace")
    return fields


COMPONENTS = ("describe", "acknowledge", "analyze", "learn", "apply")


def judge_reply(
    levels: dict[str, int],
    answer: str,
    *,
    flags: list[str] | None = None,
    follow_up: str = "What did the post-mortem show was the main cause?",
    feedback: str = "A clear story; like the influencer reach trap case, name the number you missed.",
) -> dict[str, Any]:
    """A schema-valid verdict whose quotes are the answer's own words (its first sentence)."""
    first = re.split(r"(?<=[.!?])\s+", answer.strip())[0]
    return {
        **{
            c: {
                "level": levels[c],
                "quote": first if levels[c] else "",
                "rationale": f'The answer says "{first[:60]}", which is level {levels[c]}. A second sentence.',
            }
            for c in COMPONENTS
        },
        "flags": flags or [],
        "follow_up": follow_up,
        "feedback": feedback,
    }


def rewrite_reply(text: str, missing: list[str] | None = None) -> dict[str, Any]:
    return {"rewrite": text, "missing": missing or []}


def answer_in(request: dict[str, Any]) -> str:
    """The text between the random fence markers of a judge or rewrite request."""
    user = request["body"]["messages"][-1]["content"]
    for message in request["body"]["messages"]:
        if message["role"] == "user":
            user = message["content"]
            break
    match = re.search(r"<<<ANSWER (\w+)>>>\n(.*)\n<<<END OF ANSWER \1>>>", user, re.S)
    assert match, "the answer is not fenced"
    return match.group(2)
