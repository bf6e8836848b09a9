"""Fitting the scorer from labelled answers, and measuring it by cross-validation."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.embeddings.embedders import StaticEmbedder
from coach.rubric import COMPONENTS, LEVELS, Flag
from coach.scoring.evaluation import agreement_report
from coach.scoring.labelled import LabelledAnswer
from coach.scoring.model import (
    SENTENCE_CLASSES,
    LinearModel,
    ScorerModel,
    SentenceInputs,
    block_weights,
    concat_inputs,
    content_free,
    kept,
    level_features,
    prepare_sentences,
    sentence_inputs,
    sentence_matrix,
    topic_features,
)
from coach.scoring.scorer import Scorer
from coach.scoring.textvec import Tfidf

SEED = 20261122
SENTENCE_C = 8.0
LEVEL_C = 0.15
OFF_TOPIC_C = 0.3
QUALITY_ALPHA = 300.0
INNER_FOLDS = 5

Log = Callable[[str], None]


def folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def _fit_linear(
    x: np.ndarray, y: np.ndarray, classes: tuple, c: float, seed: int, weights_of: np.ndarray | None = None
) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    if weights_of is not None:  # a block weight after standardisation, folded into the scale
        scale = scale / weights_of
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = LogisticRegression(C=c, max_iter=3000, tol=1e-3, random_state=seed)
        clf.fit((x - mean) / scale, y)
    # Expand to every class, so a class missing from a training fold is simply never predicted.
    weights = np.zeros((len(classes), x.shape[1]), dtype=np.float32)
    bias = np.full(len(classes), -30.0, dtype=np.float32)
    seen = list(clf.classes_)
    if len(seen) == 1:
        bias[classes.index(seen[0])] = 0.0
    elif len(seen) == 2 and clf.coef_.shape[0] == 1:
        a, b = classes.index(seen[0]), classes.index(seen[1])
        weights[b], bias[b], bias[a] = clf.coef_[0], clf.intercept_[0], 0.0
    else:
        for row, cls in enumerate(seen):
            weights[classes.index(cls)] = clf.coef_[row]
            bias[classes.index(cls)] = clf.intercept_[row]
    return LinearModel(weights, bias, mean.astype(np.float32), scale.astype(np.float32))


def fit_tfidf(texts: list[str], min_df: int = 2) -> Tfidf:
    """The TF-IDF vocabulary and IDF weights of the training sentences, fitted by scikit-learn.

    Word unigrams and bigrams, sublinear term frequency, smoothed IDF, L2 norm: what `Tfidf.transform`
    applies at scoring time without importing scikit-learn.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True).fit(texts)
    vocabulary = {str(term): int(i) for term, i in vectorizer.vocabulary_.items()}
    return Tfidf(vocabulary, vectorizer.idf_.astype(np.float32))


@dataclass
class SentenceModel:
    tfidf: Tfidf
    linear: LinearModel
    quality: LinearModel

    def scores(self, texts: list[str], embedder: StaticEmbedder) -> tuple[np.ndarray, np.ndarray]:
        if not texts:
            return np.zeros((0, len(SENTENCE_CLASSES)), np.float32), np.zeros(
                (0, len(COMPONENTS)), np.float32
            )
        x = sentence_matrix(sentence_inputs(texts), self.tfidf, embedder.embed(texts))
        return self.linear.proba(x), self.quality.predict(x)


def _fit_quality(x: np.ndarray, tags: np.ndarray, targets: np.ndarray) -> LinearModel:
    """Per component, ridge regression from a sentence of that kind to its answer's level."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    weights = np.zeros((len(COMPONENTS), x.shape[1]), np.float32)
    bias = np.zeros(len(COMPONENTS), np.float32)
    for c, name in enumerate(COMPONENTS):
        rows = tags == name
        if rows.sum() < 2:
            continue
        zc, yc = z[rows], targets[rows, c].astype(np.float64)
        y_mean = float(yc.mean())
        # Dual form: far fewer sentences than features.
        gram = zc @ zc.T + QUALITY_ALPHA * np.eye(len(zc))
        alpha = np.linalg.solve(gram, yc - y_mean)
        weights[c] = zc.T @ alpha
        bias[c] = y_mean
    return LinearModel(weights, bias, mean.astype(np.float32), scale.astype(np.float32))


def fit_sentence_model(answers: list[LabelledAnswer], embedder: StaticEmbedder, seed: int) -> SentenceModel:
    texts = [s for a in answers for s, _ in a.sentences]
    tags = np.array([t for a in answers for _, t in a.sentences])
    targets = np.array([[a.labels[c] for c in COMPONENTS] for a in answers for _ in a.sentences])
    tfidf = fit_tfidf(texts)
    # Each answer's sentences are read within that answer (positions, section labels), as at scoring time.
    inputs = concat_inputs([sentence_inputs([s for s, _ in a.sentences]) for a in answers])
    x = sentence_matrix(inputs, tfidf, embedder.embed(texts))
    linear = _fit_linear(x, tags, SENTENCE_CLASSES, SENTENCE_C, seed, block_weights(len(tfidf.vocabulary)))
    return SentenceModel(tfidf, linear, _fit_quality(x, tags, targets))


def fit(
    answers: list[LabelledAnswer],
    embedder: StaticEmbedder,
    *,
    seed: int = SEED,
    version: str = "dev",
    log: Log | None = None,
) -> ScorerModel:
    """Sentence classifier on tagged sentences; level models on out-of-fold sentence probabilities."""
    start = time.perf_counter()
    feats: list[np.ndarray | None] = [None] * len(answers)
    topic: list[tuple[SentenceInputs, np.ndarray, np.ndarray]] = [None] * len(answers)  # type: ignore[list-item]
    for fold in folds(len(answers), INNER_FOLDS, seed):
        held = set(fold.tolist())
        inner = fit_sentence_model([a for i, a in enumerate(answers) if i not in held], embedder, seed)
        for i in fold:
            texts, _ = prepare_sentences(answers[i].answer)
            probs, quality = inner.scores(texts, embedder)
            filler = content_free(sentence_inputs(texts)) if texts else np.zeros(0, bool)
            real = [t for t, f in zip(texts, filler, strict=True) if not f]
            topic[i] = (sentence_inputs(real), probs[~filler], embedder.embed(real))
            keep = kept(probs, filler) if len(texts) else np.zeros(0, bool)
            kept_texts = [t for t, k in zip(texts, keep, strict=True) if k]
            feats[i] = level_features(sentence_inputs(kept_texts), probs[keep], quality[keep])
    if log:
        log(f"out-of-fold sentence probabilities: {time.perf_counter() - start:.1f} s")
    matrix = np.stack([f for f in feats if f is not None])  # (answers, components, features)
    levels = []
    for c, name in enumerate(COMPONENTS):
        y = np.array([a.labels[name] for a in answers])
        levels.append(_fit_linear(matrix[:, c, :], y, LEVELS, LEVEL_C, seed))
    on_topic = [
        t[2].mean(axis=0)
        for t, a in zip(topic, answers, strict=True)
        if len(t[2]) and Flag.OFF_TOPIC not in a.flags
    ]
    centroid = np.mean(on_topic, axis=0).astype(np.float32)
    tx = np.vstack([topic_features(t[0], t[1], t[2], centroid) for t in topic])
    ty = np.array([int(Flag.OFF_TOPIC in a.flags) for a in answers])
    off_topic = _fit_linear(tx, ty, (0, 1), OFF_TOPIC_C, seed)
    final = fit_sentence_model(answers, embedder, seed)
    if log:
        log(f"trained on {len(answers)} answers in {time.perf_counter() - start:.1f} s")
    return ScorerModel(
        tfidf=final.tfidf,
        sentence=final.linear,
        levels=tuple(levels),
        quality=final.quality,
        off_topic=off_topic,
        centroid=centroid,
        version=version,
        meta={
            "seed": seed,
            "answers": len(answers),
            "sentences": sum(len(a.sentences) for a in answers),
            "sentence_c": SENTENCE_C,
            "level_c": LEVEL_C,
        },
    )


def cross_validate(
    answers: list[LabelledAnswer],
    embedder: StaticEmbedder,
    k: int = 5,
    *,
    seed: int = SEED,
    vocabulary: frozenset[str] = frozenset(),
    log: Log | None = None,
) -> dict:
    """Train on k-1 folds, score the held-out fold with the full scorer (caps and flags included)."""
    predicted: list[dict[str, int] | None] = [None] * len(answers)
    pred_flags: list[set[str]] = [set() for _ in answers]
    for n, fold in enumerate(folds(len(answers), k, seed), start=1):
        held = set(fold.tolist())
        model = fit(
            [a for i, a in enumerate(answers) if i not in held], embedder, seed=seed, version=f"cv{n}"
        )
        scorer = Scorer(model, embedder, vocabulary=vocabulary)
        for i in fold:
            card = scorer.score(answers[i].answer, with_related=False)
            predicted[i] = card.levels
            pred_flags[i] = set(card.flags)
        if log:
            log(f"fold {n}/{k} done")
    return agreement_report(
        [a.labels for a in answers],
        [p or {} for p in predicted],
        [set(a.flags) for a in answers],
        pred_flags,
    )
