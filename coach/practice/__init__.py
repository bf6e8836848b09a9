"""The workflows the pages drive, over storage and a scorer.

workflow (save the answer, then score it; follow-ups, score again, the change per component), progress
(history, chart series), export (JSON, CSV), report (the PDF of one attempt), annotation (the answer with
its evidence as escaped HTML). The hiring team's review lives in coach.review.

May import anything in coach except coach.cli.
"""
