"""The hiring team's review of shared attempts: the queue, blind review, agreement, exports and the report.

queue (the page's filtered, sorted, paginated view of shared attempts over storage, and one attempt as a
reviewer may see it), agreement (kappa, exact and within-one agreement, Krippendorff's alpha; by month; each
reviewer's lean), exports (CSV and JSON of the filtered queue), report (the PDF of one attempt for the hiring
file).

May import: coach.storage, coach.practice, coach.scorecard, coach.rubric, coach.config and coach.errors.
Never scoring, retrieval, llm or cli; nothing but pages and the cli imports it.
"""
