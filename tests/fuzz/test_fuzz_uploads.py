"""Bad input (issue 15) for uploads: `extract(name, data)`, what the trainer's Cases page calls on every file
dropped on it. Random bytes under each extension, real PDF and Word files truncated and mutated byte by byte,
huge text, and content under the wrong extension.

Every input gives an Extracted case or an ExtractionError whose message names the file and says why; nothing
else escapes, and no input takes longer than HANG_SECONDS (the slowest is printed in the session summary).
"""

from __future__ import annotations

import time
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.retrieval.corpus import CASE_SECTIONS
from coach.retrieval.extraction import KINDS, MAX_BYTES, Extracted, ExtractionError, extract
from tests.fuzz.conftest import Examples
from tests.fuzz.inputs import NASTY, binary, short_texts, texts
from tests.unit.test_extraction import CASE_TEXT, make_docx, make_pdf, make_scanned_pdf

# A parser stuck on a crafted file would hang a trainer's page; 2 s is the goal, the margin is for a loaded
# 2-core machine. Anything over 2 s shows as the slowest input in the summary, to look at.
HANG_SECONDS = 10.0
EXTENSIONS = [*KINDS, ".pptx", ".exe", "", ".PDF", ".Docx", ".md.exe", ".txt "]
FUZZ_SETTINGS = settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    deadline=None,
)


@cache
def real_files() -> dict[str, bytes]:
    """Small valid files of each kind, made the way the unit tests make them."""
    nasty_case = [("title", "A <script> title"), ("heading", "Root cause"), ("text", NASTY[2])]
    return {
        "pdf": make_pdf(CASE_TEXT),
        "scan.pdf": make_scanned_pdf(),
        "docx": make_docx(CASE_TEXT),
        "nasty.docx": make_docx([*nasty_case, ("text", "\u202e\ufeff<img src=x onerror=alert(1)>")]),
        "md": b"# Title\n\n## Goal\n\nGrow.\n\n## What went wrong\n\nThe offer.\n",
    }


file_names = st.tuples(short_texts, st.sampled_from(EXTENSIONS)).map(
    lambda parts: parts[0].replace("/", "_").replace("\x00", "")[:80] + parts[1]
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file, truncated, with bytes flipped, inserted or deleted: what a damaged download looks like."""
    data = bytearray(real_files()[draw(st.sampled_from(sorted(real_files())))])
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "splice"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:  # a chunk of nasty text where a PDF object or a zip entry was
            data[at:at] = draw(st.sampled_from(NASTY)).encode("utf-8", "surrogatepass")[:256]
    return bytes(data)


# Big text: a repeated line (nasty, or a heading) up to past the 5 MB limit, exercising the section splitter's
# regular expressions at scale.
huge_text = st.tuples(
    st.sampled_from(["## Goal\n", "Brand: x\n", "a" * 120 + "\n", "# \n", "\n", *NASTY[:4], "<p>" * 50]),
    st.sampled_from([1_000, 50_000, 200_000]),
).map(lambda parts: (parts[0] * parts[1]).encode("utf-8")[: MAX_BYTES + 10])

contents = st.one_of(
    binary,
    mutated(),
    texts.map(lambda s: s.encode("utf-8")),
    huge_text,
    st.sampled_from([b"a" * MAX_BYTES, b"a" * (MAX_BYTES + 1), b"%PDF-", b"%PDF-1.7\n%%EOF", b"PK\x03\x04"]),
)


def check(name: str, data: bytes, examples: Examples) -> None:
    examples.hit()
    start = time.monotonic()
    try:
        got = extract(name, data)
    except ExtractionError as exc:
        message = str(exc)
        assert message.strip() and message.startswith(f"{name}: "), message
        assert "\n" not in message.removeprefix(f"{name}: "), message  # one line, shown as is
        return
    except CoachError as exc:  # any other refusal must still say why
        assert str(exc).strip()
        return
    finally:
        examples.took(time.monotonic() - start, f"{name!r}, {len(data):,} bytes")
    assert time.monotonic() - start < HANG_SECONDS
    assert isinstance(got, Extracted)
    examples.ok()
    assert got.kind == KINDS[got.name[got.name.rfind(".") :].lower()]
    assert got.sections and set(got.sections) <= set(CASE_SECTIONS)
    assert all(text.strip() for text in got.sections.values())
    assert isinstance(got.title, str)


@FUZZ_SETTINGS
@given(name=file_names, data=contents)
def test_any_file_under_any_name_gives_a_case_or_a_clear_refusal(
    examples: Examples, name: str, data: bytes
) -> None:
    check(name, data, examples)


@FUZZ_SETTINGS
@given(kind=st.sampled_from(list(KINDS)), data=mutated())
def test_damaged_pdf_and_word_files_give_a_case_or_a_clear_refusal(
    examples: Examples, kind: str, data: bytes
) -> None:
    """Real files damaged, under every extension: the right one (the parser's error paths) and a wrong one."""
    check(f"upload{kind}", data, examples)
