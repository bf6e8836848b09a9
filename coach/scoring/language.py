"""Which language an answer is in: the coach scores English and refuses other languages by name.

The identifier is py3langid (langid.py's model, shipped inside the PyPI package: no download). It loads in
about half a second, so it is only consulted when an answer does not plainly read as English by its
function words; most answers never pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# The languages the identifier chooses among. Restricting the set keeps short or mixed answers from being
# read as a rare language; every language here is refused by name.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "pl": "Polish",
    "ro": "Romanian",
    "ca": "Catalan",
    "tr": "Turkish",
    "id": "Indonesian",
    "cs": "Czech",
    "fi": "Finnish",
}

# Common English function words: an answer where they are frequent is English, however it is spelled.
_ENGLISH = frozenset(
    # Words that are also common in the refused languages ("a", "as", "do", "no", "in", "on") are left out.
    """the an and or but of to at for with from by is was were are be been it its this that these those
    we i my our me us you he she they them their what which who because so not did does had have has
    would could will can after before when then than there""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
PLAINLY_ENGLISH = 0.25
# Share of an answer's words that must sit in sentences read as English. An English answer that carries a
# note in another language (an instruction to the scorer, a quoted slogan) stays English.
ENGLISH_SHARE = 0.5


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGE_NAMES))
    return identifier


def english_share(text: str) -> float:
    """The share of words that are common English function words."""
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in _ENGLISH for w in words) / len(words) if words else 0.0


def detect_language(text: str, sentences: list[str] | None = None) -> str:
    """The answer's language as an ISO 639-1 code from LANGUAGE_NAMES ("en" when in doubt)."""
    if english_share(text) >= PLAINLY_ENGLISH:
        return "en"
    identifier = _identifier()
    code = str(identifier.classify(text)[0])
    if code == "en":
        return "en"
    # Mixed answers: count the words of the sentences that read as English.
    parts = sentences or [text]
    words = [len(_WORD.findall(s)) for s in parts]
    english = sum(n for s, n in zip(parts, words, strict=True) if identifier.classify(s)[0] == "en")
    return "en" if sum(words) and english / sum(words) >= ENGLISH_SHARE else code


def language_refusal(text: str, sentences: list[str] | None = None) -> str | None:
    """A clear message for an answer that is not in English, naming its language; None for English."""
    code = detect_language(text, sentences)
    if code == "en":
        return None
    name = LANGUAGE_NAMES.get(code, "another language")
    return (
        f"This answer reads as {name}. The coach scores answers in English only, so it was not scored: "
        "please answer in English (interviewers for this question expect it)."
    )
