"""One-off (2026-12): add the metadata fields register, failure_kind and domain to every labelled row.

Metadata, not labels: it describes how an answer reads, what kind of failure it tells and which field
the story comes from, so it is derived here rather than recorded as decisions in 2026-12.jsonl.
Run from the repository root: python corpus/rulings/add_metadata.py (idempotent; other fields untouched).

- register: from "style" (written -> polished, the others as they are), or "star" when the answer is
  laid out as Situation / Task / Action / Result. No row in the 2026-12 corpus is STAR.
- failure_kind: from "failure_mode" (table below), with the overrides listed in OVERRIDES after
  reading the answer; "none" when the answer tells no real failure (rants, rubric keywords only).
- domain: "marketing", except work-project stories (product or other) and off-topic stories (other).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

FILES = [
    *(f"corpus/labelled/answers-{x}.jsonl" for x in "abcde"),
    "corpus/staging/answers-g.jsonl",
    "corpus/staging/answers-i.jsonl",
    "corpus/holdout/answers-h.jsonl",
    "corpus/holdout/answers-f.jsonl",
]
REGISTERS = ("star", "quoted", "terse", "spoken", "rambling", "non_native", "polished", "bullets")
FAILURE_KINDS = (
    "missed_metric",
    "missed_deadline",
    "wrong_send",
    "budget_overrun",
    "creative_backlash",
    "tracking_error",
    "demand_misread",
    "launch_slipped",
    "other",
    "none",
)
DOMAINS = ("marketing", "product", "other")
STYLE_TO_REGISTER = {"written": "polished"}
MODE_TO_KIND = {
    "wrong-channel": "missed_metric",
    "audience-mismatch": "missed_metric",
    "timing": "missed_metric",
    "weak-offer": "missed_metric",
    "tracking-attribution": "tracking_error",
    "creative-tone-deaf": "creative_backlash",
    "promotion-abuse": "budget_overrun",
    "rebrand-backlash": "creative_backlash",
    "hashtag-hijack": "creative_backlash",
    "influencer-misfit": "missed_metric",
    "launch-demand-misread": "demand_misread",
    "list-quality": "wrong_send",
    "landing-page-conversion": "missed_metric",
    "budget-too-thin": "missed_metric",
    "cannibalization": "missed_metric",
    "misread-research": "demand_misread",
    "operational-readiness": "demand_misread",
    "execution-error": "wrong_send",
    "privacy-backlash": "creative_backlash",
    "pricing-misstep": "missed_metric",
    "brand-values-conflict": "creative_backlash",
}
# Read by hand: (failure_kind, domain) where the table above or the defaults do not fit.
OVERRIDES = {
    # work-project stories (scope ruling, 2026-12)
    "a-047": ("other", "product"),  # database migration took the hosted API down
    "c-031": ("other", "product"),  # app release crashed on older phones
    "d-048": ("other", "other"),  # appointment-system migration lost 1,200 appointments
    "h-036": ("other", "other"),  # CRM migration duplicated contacts
    "e-026": ("other", "other"),  # supplier consolidation caused delays
    "g-012": ("launch_slipped", "other"),  # site opening slipped
    "b-047": ("missed_deadline", "other"),  # catering order not ready on the day
    "c-008": ("other", "other"),  # wedding cake collapsed
    "f-008": ("other", "other"),  # failed stock audit
    # timing failures that are a late launch
    "f-044": ("launch_slipped", "marketing"),  # "we only went live four days before Mother's Day"
}
OFF_TOPIC_STORY = "other"
RANT = re.compile(r"\b(trap|rather talk|rather not dwell|rather have a conversation)\b", re.I)
BACKLASH = re.compile(r"\b(backlash|angry|complain|outrage|furious|hypocritic|tone-deaf|mocking)", re.I)
STAR = re.compile(r"(^|\n)\s*(?:[-*•]\s*)?(situation|task|action|results?)\s*[:\-–]", re.I)


def register(row: dict) -> str:
    if len({m.group(2).lower().rstrip("s") for m in STAR.finditer(row["answer"])}) >= 3:
        return "star"
    style = row.get("style") or ""
    return STYLE_TO_REGISTER.get(style, style)


def failure_kind_and_domain(row: dict) -> tuple[str, str]:
    if row["id"] in OVERRIDES:
        return OVERRIDES[row["id"]]
    kind, mode = row.get("kind"), row.get("failure_mode")
    if kind == "off_topic":
        return ("none" if RANT.search(row["answer"]) else OFF_TOPIC_STORY), "other"
    if kind == "keyword_stuffed":
        return "none", "marketing"
    if mode is None:
        return ("none" if kind == "disguised_success" else "missed_metric"), "marketing"
    fk = MODE_TO_KIND[mode]
    if mode == "pricing-misstep" and BACKLASH.search(row["answer"]):
        fk = "creative_backlash"
    return fk, "marketing"


def main() -> None:
    for name in FILES:
        path = Path(name)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows:
            fk, domain = failure_kind_and_domain(row)
            row["register"], row["failure_kind"], row["domain"] = register(row), fk, domain
            assert row["register"] in REGISTERS and fk in FAILURE_KINDS and domain in DOMAINS, row["id"]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
