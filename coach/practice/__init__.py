"""The workflows the pages drive, over storage and a scorer.

workflow (save the answer, then score it; follow-ups, score again, the change per component), progress
(history, chart series), export (JSON, CSV), report (the PDF of one attempt), annotation (the answer with
its evidence as escaped HTML); for trainers, casebook (the shipped library and an organisation's own cases:
save then index, delete, restore, shell import), calibration (the scorer against trainer labels),
org_scorer (`coach train --include-org`), assignment_progress. The hiring team's review lives in coach.review.

May import anything in coach except coach.cli.
"""
