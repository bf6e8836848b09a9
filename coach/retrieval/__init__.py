"""The case library: corpus format, indexing, vector stores and hybrid search.

corpus (Markdown + YAML front matter, `coach corpus check`, the question bank), indexing (chunks by
section, idempotent by content hash), vectorstore (Chroma, embedded or server), search (dense + BM25,
reciprocal rank fusion; an organisation sees the shipped corpus and its own cases, filtered inside the vector
store query and on the keyword side), library (the corpus plus its index, one-case indexing, and the
related-case finder the scorer takes), extraction (uploaded Markdown, text, PDF and Word files as case sections).

May import: coach.embeddings, coach.scorecard, coach.rubric, coach.config and coach.errors. Never scoring,
storage, llm, practice or cli.
"""
