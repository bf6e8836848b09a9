"""Our numpy TF-IDF reproduces scikit-learn's TfidfVectorizer, so training and scoring agree."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from coach.scoring.training import fit_tfidf

TEXTS = [
    "The email campaign missed its target.",
    "The paid social campaign burned the budget.",
    "Our email list was stale and the send missed.",
    "I learned to test the landing page first.",
]


def test_matches_scikit_learn() -> None:
    ours = fit_tfidf(TEXTS, min_df=1)
    theirs = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit(TEXTS)
    assert ours.vocabulary == theirs.vocabulary_
    assert np.allclose(ours.transform(TEXTS), theirs.transform(TEXTS).toarray(), atol=1e-6)
