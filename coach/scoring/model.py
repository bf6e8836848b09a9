"""The trained scorer's parts as plain arrays: sentence classifier, level models, and how features are made."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.rubric import COMPONENTS
from coach.scoring.context import CONTEXT_FEATURES, section_context
from coach.scoring.lexicon import SENTENCE_FEATURE_NAMES, is_injection, isolate_injections, sentence_features
from coach.scoring.segmenter import split_sentences
from coach.scoring.textvec import Tfidf

# What a sentence can serve: one of the components, or none of them (filler, asides).
SENTENCE_CLASSES = (*COMPONENTS, "none")
FORMAT = 1
# Weights of the feature blocks after standardisation: TF-IDF, static embedding, position, lexicon,
# section labels.
DENSE_WEIGHT = 0.3
LEXICON_WEIGHT = 3.0
CONTEXT_WEIGHT = 2.0

_LEX = {name: i for i, name in enumerate(SENTENCE_FEATURE_NAMES)}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression on standardised inputs."""

    weights: np.ndarray  # (classes, features)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # (features,)
    scale: np.ndarray  # (features,)

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.weights.T + self.bias
        if self.weights.shape[0] == 1:  # binary: scikit-learn keeps one row
            p = 1 / (1 + np.exp(-z))
            return np.hstack([1 - p, p])
        return _softmax(z)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Linear output, for the regression models (one column per target)."""
        return ((x - self.mean) / self.scale) @ self.weights.T + self.bias


@dataclass(frozen=True)
class SentenceInputs:
    """What the sentence classifier and the level models read from one answer's sentences."""

    texts: tuple[str, ...]
    lexical: np.ndarray  # (n, len(SENTENCE_FEATURE_NAMES)), raw counts
    position: np.ndarray  # (n, 4)
    context: np.ndarray  # (n, CONTEXT_FEATURES): the section label in force (coach.scoring.context)

    def take(self, rows: list[int]) -> SentenceInputs:
        """The inputs of some of the sentences, each still read in its place in the whole answer."""
        return SentenceInputs(
            tuple(self.texts[i] for i in rows), self.lexical[rows], self.position[rows], self.context[rows]
        )


def concat_inputs(parts: list[SentenceInputs]) -> SentenceInputs:
    """Several answers' inputs stacked: each answer's positions and labels were read within that answer."""
    return SentenceInputs(
        tuple(t for p in parts for t in p.texts),
        np.vstack([p.lexical for p in parts]),
        np.vstack([p.position for p in parts]),
        np.vstack([p.context for p in parts]),
    )


def prepare_sentences(answer: str) -> tuple[list[str], list[str]]:
    """The sentences the scorer reads, and those it sets aside as instructions to the scorer.

    Training and serving both read an answer through this: split as the segmenter splits it, after each
    instruction to the grader has been put on a line of its own.
    """
    told: list[str] = []
    injected: list[str] = []
    for sentence in split_sentences(isolate_injections(answer)):
        (injected if is_injection(sentence.text) else told).append(sentence.text)
    return unique(told), injected


_PUNCTUATION = re.compile(r"[^\w\s]|_")


def _key(sentence: str) -> str:
    return " ".join(_PUNCTUATION.sub("", sentence.lower()).split())


def unique(sentences: list[str]) -> list[str]:
    """Each sentence once: an answer pasted twice, or a line repeated, says no more than it did once."""
    seen: set[str] = set()
    out = []
    for sentence in sentences:
        key = _key(sentence)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(sentence)
    return out


def sentence_inputs(texts: list[str]) -> SentenceInputs:
    n = len(texts)
    lexical = np.array([sentence_features(t) for t in texts], dtype=np.float32).reshape(
        n, len(SENTENCE_FEATURE_NAMES)
    )
    # Absolute positions only: appending a sentence must not change how the earlier ones are read.
    index = np.arange(n, dtype=np.float32)
    position = (
        np.stack([index == 0, index == 1, np.minimum(index, 12) / 12, (index >= 3)], axis=1).astype(
            np.float32
        )
        if n
        else np.zeros((0, 4), np.float32)
    )
    return SentenceInputs(tuple(texts), lexical, position, section_context(texts))


_SIGNALS = [i for name, i in _LEX.items() if name not in ("words", "i", "we", "they")]
FILLER_WORDS = 8


def content_free(inputs: SentenceInputs) -> np.ndarray:
    """Short sentences with none of the rubric's signals ("Thanks for asking."): never evidence of anything."""
    if not inputs.texts:
        return np.zeros(0, bool)
    return (inputs.lexical[:, _SIGNALS].sum(axis=1) == 0) & (inputs.lexical[:, _LEX["words"]] <= FILLER_WORDS)


# A sentence the classifier calls "none" still counts as evidence when it is less likely than this to be
# "none": real answers tell their set-up and lessons in narrative sentences that read as part "none", part
# describe or learn, and dropping them under-read those parts (real-dev, issue 12).
NONE_KEEP_BELOW = 0.7


def kept(probs: np.ndarray, filler: np.ndarray) -> np.ndarray:
    """Which sentences the level models read: not filler, and not confidently "none"."""
    if not len(probs):
        return np.zeros(0, bool)
    none = len(SENTENCE_CLASSES) - 1
    return ~filler & ((probs.argmax(axis=1) != none) | (probs[:, none] < NONE_KEEP_BELOW))


def block_weights(vocabulary: int) -> np.ndarray:
    return np.concatenate(
        [
            np.ones(vocabulary, np.float32),
            np.full(384, DENSE_WEIGHT, np.float32),
            np.ones(4, np.float32),
            np.full(len(SENTENCE_FEATURE_NAMES), LEXICON_WEIGHT, np.float32),
            np.full(CONTEXT_FEATURES, CONTEXT_WEIGHT, np.float32),
        ]
    )


def sentence_matrix(inputs: SentenceInputs, tfidf: Tfidf, dense: np.ndarray) -> np.ndarray:
    """Rows of [TF-IDF | static embedding | position | log lexical counts | section label] for the sentence
    classifier."""
    return np.hstack(
        [tfidf.transform(inputs.texts), dense, inputs.position, np.log1p(inputs.lexical), inputs.context]
    ).astype(np.float32)


def level_features(inputs: SentenceInputs, probs: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """One feature row per component, from the sentences' component probabilities and their signals.

    `quality` (sentences x components) is each sentence's predicted level for each component:
    how good a sentence of that kind it is, learned from the labelled answers.
    """
    n = len(inputs.texts)
    lex = np.log1p(inputs.lexical)
    words = float(inputs.lexical[:, _LEX["words"]].sum()) if n else 0.0
    totals = inputs.lexical.sum(axis=0) if n else np.zeros(len(SENTENCE_FEATURE_NAMES), np.float32)
    soft_all = probs.sum(axis=0) if n else np.zeros(len(SENTENCE_CLASSES), np.float32)
    glob = np.concatenate(
        [
            [np.log1p(words), np.log1p(n), soft_all[-1] / max(n, 1)],
            np.log1p(totals) - np.log1p(words) * 0.0,
            np.log1p(soft_all[: len(COMPONENTS)]),
        ]
    )
    rows = []
    for c in range(len(COMPONENTS)):
        w = probs[:, c] if n else np.zeros(0, np.float32)
        soft = float(w.sum())
        top = float(w.max()) if n else 0.0
        arg = float((probs.argmax(axis=1) == c).sum()) if n else 0.0
        weighted = np.log1p((w[:, None] * inputs.lexical).sum(axis=0)) if n else np.zeros(lex.shape[1])
        best = lex[int(w.argmax())] * top if n else np.zeros(lex.shape[1])
        mine = probs.argmax(axis=1) == c if n else np.zeros(0, bool)
        q_mean = float((w * quality[:, c]).sum() / soft) if soft > 1e-6 else 0.0
        q_max = float(quality[mine, c].max()) if mine.any() else 0.0
        head = [np.log1p(soft), top, np.log1p(arg), soft / max(n, 1), q_mean, q_max, q_max * top]
        rows.append(np.concatenate([head, weighted, best, glob]))
    return np.array(rows, dtype=np.float32)


def topic_features(
    inputs: SentenceInputs, probs: np.ndarray, dense: np.ndarray, centroid: np.ndarray
) -> np.ndarray:
    """Is this a story about a marketing campaign? Vocabulary, sentence roles, and closeness to real answers."""
    n = len(inputs.texts)
    if n == 0:
        return np.zeros((1, 10 + len(SENTENCE_CLASSES)), np.float32)
    totals = inputs.lexical.sum(axis=0)
    words = max(float(totals[_LEX["words"]]), 1.0)
    mean = dense.mean(axis=0)
    cosine = float(mean @ centroid / max(float(np.linalg.norm(mean) * np.linalg.norm(centroid)), 1e-9))
    picked = [totals[_LEX[k]] for k in ("marketing", "channel", "metric", "audience", "role", "evasion")]
    row = [
        np.log1p(totals[_LEX["marketing"]]) - np.log1p(words),
        *np.log1p(picked),
        cosine,
        np.log1p(words),
        np.log1p(n),
        *probs.mean(axis=0),
    ]
    return np.array([row], dtype=np.float32)


@dataclass(frozen=True)
class ScorerModel:
    """Everything `coach train` fits, loadable without scikit-learn."""

    tfidf: Tfidf
    sentence: LinearModel
    levels: tuple[LinearModel, ...]  # one per component, classes 0..4
    quality: LinearModel  # sentence matrix -> predicted level per component (regression)
    off_topic: LinearModel  # binary: on topic, off topic
    centroid: np.ndarray  # mean static embedding of on-topic training answers
    version: str
    meta: dict

    def off_topic_proba(self, inputs: SentenceInputs, probs: np.ndarray, dense: np.ndarray) -> float:
        return float(self.off_topic.proba(topic_features(inputs, probs, dense, self.centroid))[0, 1])

    def sentence_scores(self, inputs: SentenceInputs, dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence: the probability of each class, and its predicted quality for each component."""
        if not inputs.texts:
            return np.zeros((0, len(SENTENCE_CLASSES)), np.float32), np.zeros(
                (0, len(COMPONENTS)), np.float32
            )
        x = sentence_matrix(inputs, self.tfidf, dense)
        return self.sentence.proba(x), self.quality.predict(x)

    def level_proba(self, inputs: SentenceInputs, probs: np.ndarray, quality: np.ndarray) -> np.ndarray:
        """(component, level) probabilities."""
        feats = level_features(inputs, probs, quality)
        return np.vstack([m.proba(feats[c : c + 1]) for c, m in enumerate(self.levels)])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"idf": self.tfidf.idf, "centroid": self.centroid}
        named = [("sentence", self.sentence), ("off_topic", self.off_topic), ("quality", self.quality)]
        named += [(f"level_{c}", m) for c, m in zip(COMPONENTS, self.levels, strict=True)]
        for name, model in named:
            for part in ("weights", "bias", "mean", "scale"):
                arrays[f"{name}.{part}"] = getattr(model, part)
        tmp = folder / "model.tmp.npz"
        np.savez_compressed(tmp, allow_pickle=False, **arrays)
        tmp.replace(folder / "model.npz")
        meta = {**self.meta, "format": FORMAT, "version": self.version}
        vocab = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        (folder / "vocabulary.json").write_text(json.dumps(vocab))
        (folder / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True))

    @classmethod
    def load(cls, folder: Path) -> ScorerModel:
        meta = json.loads((folder / "meta.json").read_text())
        vocab = json.loads((folder / "vocabulary.json").read_text())
        with np.load(folder / "model.npz") as data:
            arrays = {k: data[k] for k in data.files}

        def linear(name: str) -> LinearModel:
            return LinearModel(*(arrays[f"{name}.{p}"] for p in ("weights", "bias", "mean", "scale")))

        return cls(
            tfidf=Tfidf({t: i for i, t in enumerate(vocab)}, arrays["idf"]),
            sentence=linear("sentence"),
            levels=tuple(linear(f"level_{c}") for c in COMPONENTS),
            quality=linear("quality"),
            off_topic=linear("off_topic"),
            centroid=arrays["centroid"],
            version=str(meta["version"]),
            meta=meta,
        )


def data_fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
