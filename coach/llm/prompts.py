"""Prompt templates for the optional LLM, read from coach/llm/templates/*.md, each with its version line.

The templates ship inside the package (package data), so an installed coach finds them as well as a checkout.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coach.errors import CoachError

PROMPTS_DIR = Path(__file__).resolve().parent / "templates"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_SECTION = re.compile(r"^--- (system|user) ---$", re.M)


@dataclass(frozen=True)
class Prompt:
    """One rendered prompt: what the model is sent, and which template version made it."""

    name: str
    version: str
    system: str
    user: str


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    system: str
    user: str

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.system + self.user))

    def render(self, **values: str) -> Prompt:
        """Fill every {{name}} in one pass, so text inside a value (an answer) is never expanded."""
        missing = self.placeholders - values.keys()
        if missing:
            raise CoachError(f"prompt {self.name}: no value for {', '.join(sorted(missing))}")

        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)

        return Prompt(self.name, self.version, fill(self.system), fill(self.user))


def parse_template(name: str, text: str) -> Template:
    first, _, rest = text.partition("\n")
    if not first.startswith("version:"):
        raise CoachError(f"prompt {name}: the first line must be 'version: ...'")
    parts = _SECTION.split(rest)
    # split() gives [preamble, "system", body, "user", body]
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise CoachError(f"prompt {name}: needs a '--- system ---' and a '--- user ---' section")
    return Template(
        name, first.removeprefix("version:").strip(), sections["system"].strip(), sections["user"].strip()
    )


@lru_cache(maxsize=8)
def load_template(name: str, folder: Path = PROMPTS_DIR) -> Template:
    path = folder / f"{name}.md"
    try:
        return parse_template(name, path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CoachError(f"no prompt template {path}") from exc


@lru_cache(maxsize=1)
def rubric_text(folder: Path = PROMPTS_DIR) -> str:
    """The rubric's components, levels and flags as the prompts quote them (templates/rubric.md)."""
    text = (folder / "rubric.md").read_text(encoding="utf-8")
    return text.partition("\n")[2].strip()  # the version line is for people, not for the model


@dataclass(frozen=True)
class Fence:
    """Per-call random markers around untrusted text: an answer cannot guess them to close the fence early."""

    open: str
    close: str

    def wrap(self, text: str) -> str:
        return f"{self.open}\n{text}\n{self.close}"


def make_fence(text: str) -> Fence:
    while True:
        tag = secrets.token_hex(8)
        fence = Fence(f"<<<ANSWER {tag}>>>", f"<<<END OF ANSWER {tag}>>>")
        if tag not in text:
            return fence
