"""The trained model's life: train it, fingerprint what it was trained from, load it, tell whether it is fresh.

The one place that decides "is the saved model stale?": `coach train --if-stale`, the app's warm-up, the
test fixtures and `load_model` all ask `is_fresh`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from coach.config import Settings, get_settings
from coach.embeddings import encoder
from coach.embeddings.embedders import load_static_embedder
from coach.errors import CoachError
from coach.scoring.labelled import LabelledAnswer, load_labelled, training_files
from coach.scoring.model import ScorerModel, data_fingerprint
from coach.scoring.scorer import RelatedFinder, Scorer

# The code a trained model depends on: a change to any of these retrains it (files next to this one).
MODEL_CODE = ("model.py", "training.py", "lexicon.py", "textvec.py", "segmenter.py", "context.py")


def scorer_dir(settings: Settings) -> Path:
    """Where the trained model is saved."""
    return settings.data_dir / "scorer"


def training_fingerprint(settings: Settings) -> str:
    """Changes whenever the labelled data or the scorer's code changes, so a stale model is retrained."""
    code = [Path(__file__).parent / name for name in MODEL_CODE]
    return data_fingerprint(training_files(settings.corpus_dir) + code)


def saved_version(folder: Path) -> str | None:
    """The version (fingerprint) of the model saved in `folder`, or None when there is none."""
    meta = folder / "meta.json"
    if not meta.exists():
        return None
    version = json.loads(meta.read_text()).get("version")
    return str(version) if version is not None else None


def saved_stamp(folder: Path) -> int | None:
    """When a model was last saved in `folder` (meta.json, written last, in ns), or None when there is none.

    A retrain of the same code and data keeps the version but changes this: a running app compares it on each
    use (one stat) and loads the new model, so replicas pick up a model copied or retrained in place.
    """
    try:
        return (folder / "meta.json").stat().st_mtime_ns
    except FileNotFoundError:
        return None


def is_fresh(settings: Settings, folder: Path | None = None) -> bool:
    """Whether the model saved in `folder` (default: the data dir's) was trained from today's data and code."""
    return saved_version(folder or scorer_dir(settings)) == training_fingerprint(settings)


def train_and_save(
    settings: Settings | None = None,
    log: Callable[[str], None] | None = None,
    *,
    extra: Sequence[LabelledAnswer] = (),
    folder: Path | None = None,
    version_tag: str = "",
) -> ScorerModel:
    """`coach train`: fit on corpus/labelled/ with fixed seeds and save into the data dir.

    `extra` rows are trained on beside corpus/labelled (an organisation's trainer labels), the model saved
    in `folder` with `version_tag` after the fingerprint; the built-in model is then left as it is.
    """
    # Here, not at the top: training brings scikit-learn and SciPy (about 150 MB resident), which a server
    # that only scores never needs.
    from coach.scoring import training

    settings = settings or get_settings()
    files = training_files(settings.corpus_dir)
    if not files:
        raise CoachError(f"no labelled answers in {settings.corpus_dir / 'labelled'}")
    model = training.fit(
        load_labelled(files) + list(extra),
        load_static_embedder(settings.model_dir),
        version=training_fingerprint(settings) + version_tag,
        log=log,
    )
    model.save(folder or scorer_dir(settings))
    return model


def load_model(
    settings: Settings | None = None, *, train_if_missing: bool = True, folder: Path | None = None
) -> ScorerModel:
    """The saved model when it is fresh; otherwise trained now (or an error, with train_if_missing off).

    With `folder` (a model trained with extra rows), that model, if it was trained on today's data and code.
    """
    settings = settings or get_settings()
    if folder is not None:
        version = saved_version(folder)
        if version is None or not version.startswith(training_fingerprint(settings)):
            raise CoachError(f"the model in {folder} is missing or out of date: train it again")
        return ScorerModel.load(folder)
    if is_fresh(settings):
        return ScorerModel.load(scorer_dir(settings))
    if not train_if_missing:
        raise CoachError("the scorer is not trained: run `coach train`")
    return train_and_save(settings)


def vocabulary_words(tokenizer_file: Path) -> frozenset[str]:
    """Whole words in the encoder's vocabulary: a cheap English word list for the gibberish check."""
    vocab = json.loads(tokenizer_file.read_text())["model"]["vocab"]
    return frozenset(w for w in vocab if re.fullmatch(r"[a-z]+", w))


def make_scorer(
    settings: Settings | None = None, *, related: RelatedFinder | None = None, folder: Path | None = None
) -> Scorer:
    """The scorer with its model (the one in `folder` when given), embedder, word list and exemplars;
    retrieval is plugged in by the caller."""
    settings = settings or get_settings()
    return Scorer(
        load_model(settings, folder=folder),
        load_static_embedder(settings.model_dir),
        vocabulary=vocabulary_words(encoder.tokenizer_path()),
        exemplars=load_labelled(training_files(settings.corpus_dir)),
        related=related,
    )
