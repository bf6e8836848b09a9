"""The `coach` command: main (corpus, model, ingest, search, and the parser), accounts (`coach db`,
`coach users`), scoring (`coach train`, `coach score`, `coach eval`).

May import anything in coach.
"""
