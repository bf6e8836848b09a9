"""The `coach` command: main (corpus, model, ingest, search, and the parser), accounts (`coach db`,
`coach users`), scoring (`coach train`, `coach score`, `coach eval`), cases (`coach cases import`,
`coach train --include-org`, the organisation half of `coach search --org`).

May import anything in coach.
"""
