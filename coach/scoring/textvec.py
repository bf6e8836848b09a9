"""TF-IDF word and bigram vectors in plain numpy, so scoring needs no scikit-learn import.

The vocabulary and IDF weights are fitted by scikit-learn's TfidfVectorizer at training time
(`training.fit_tfidf`); serving applies them here, token for token as TfidfVectorizer would.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def ngrams(text: str) -> list[str]:
    """Unigrams and bigrams as scikit-learn's TfidfVectorizer(ngram_range=(1, 2)) makes them."""
    toks = _TOKEN.findall(text.lower())
    return toks + [f"{a} {b}" for a, b in pairwise(toks)]


@dataclass(frozen=True)
class Tfidf:
    """Sublinear TF-IDF with L2 normalisation over a fixed vocabulary."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(g for g in ngrams(text) if g in self.vocabulary)
            for term, count in counts.items():
                col = self.vocabulary[term]
                out[row, col] = (1 + math.log(count)) * self.idf[col]
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out
