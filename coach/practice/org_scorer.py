"""An organisation's own scorer: the built-in training data plus its trainers' labels (`coach train --include-org`).

A quarter of the labelled attempts (chosen by attempt id, so the split is stable between runs) is held back
from training; the built-in scorer and the new one are both scored on them, and the figures are saved beside
the model (calibration.json) for the Calibration page. The model is used only for that organisation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.config import Settings
from coach.errors import CoachError
from coach.practice.calibration import Agreement, agreement
from coach.practice.workflow import transcript_text
from coach.rubric import COMPONENTS
from coach.scoring.labelled import LabelledAnswer
from coach.scoring.lifecycle import make_scorer, saved_version, train_and_save, training_fingerprint
from coach.storage.trainer_labels import LabelledAttempt

MIN_TRAINING = 4  # attempts; fewer cannot move a model trained on hundreds of answers, only confuse it
REPORT = "calibration.json"


def org_scorer_dir(settings: Settings, organisation_id: int) -> Path:
    return settings.data_dir / f"scorer-org-{organisation_id}"


def has_org_scorer(settings: Settings, organisation_id: int) -> bool:
    """True when the organisation has a model trained on today's built-in data and code."""
    version = saved_version(org_scorer_dir(settings, organisation_id))
    return version is not None and version.startswith(training_fingerprint(settings))


def held_back(attempt_id: int) -> bool:
    return attempt_id % 4 == 0


def answers_from_labels(labels: Sequence[LabelledAttempt]) -> list[LabelledAnswer]:
    """One labelled answer per attempt: where several trainers labelled it, the rounded mean level, and the
    flags a majority gave."""
    by_attempt: dict[int, list[LabelledAttempt]] = defaultdict(list)
    for item in labels:
        by_attempt[item.attempt.id].append(item)
    answers = []
    for attempt_id, items in sorted(by_attempt.items()):
        attempt = items[0].attempt
        levels = {c: round(sum(i.label.levels[c] for i in items) / len(items)) for c in COMPONENTS}
        votes: dict[str, int] = defaultdict(int)
        for item in items:
            for flag in item.label.flags:
                votes[flag] += 1
        answers.append(
            LabelledAnswer(
                id=f"attempt-{attempt_id}",
                answer=transcript_text(attempt),
                labels=levels,
                flags=frozenset(f for f, n in votes.items() if n * 2 > len(items)),
                question=attempt.question_text,
            )
        )
    return answers


@dataclass(frozen=True)
class OrgTraining:
    organisation_id: int
    trained_on: int
    held_back: int
    before: Agreement
    after: Agreement
    version: str
    trained_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "trained_on": self.trained_on,
            "held_back": self.held_back,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "version": self.version,
            "trained_at": self.trained_at,
        }


def train_org_scorer(
    settings: Settings,
    organisation_id: int,
    labels: Sequence[LabelledAttempt],
    log: Callable[[str], None] | None = None,
) -> OrgTraining:
    answers = answers_from_labels(labels)
    train = [a for a in answers if not held_back(int(a.id.split("-")[1]))]
    test = [a for a in answers if held_back(int(a.id.split("-")[1]))]
    if len(train) < MIN_TRAINING:
        raise CoachError(
            f"the organisation has {len(answers)} labelled attempt(s), {len(train)} to train on; "
            f"label at least {MIN_TRAINING} (a quarter more are held back to measure agreement)"
        )
    folder = org_scorer_dir(settings, organisation_id)
    model = train_and_save(settings, log, extra=train, folder=folder, version_tag=f"-org{organisation_id}")
    builtin, own = make_scorer(settings), make_scorer(settings, folder=folder)
    gold = [a.labels for a in test]
    before = [builtin.score(a.answer, question=a.question, with_related=False).levels for a in test]
    after = [own.score(a.answer, question=a.question, with_related=False).levels for a in test]
    result = OrgTraining(
        organisation_id,
        len(train),
        len(test),
        agreement(gold, before),
        agreement(gold, after),
        model.version,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )
    (folder / REPORT).write_text(json.dumps(result.as_dict(), indent=2) + "\n")
    return result


def saved_training(settings: Settings, organisation_id: int) -> dict[str, Any] | None:
    """The figures of the organisation's last training, as saved beside its model."""
    path = org_scorer_dir(settings, organisation_id) / REPORT
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data
