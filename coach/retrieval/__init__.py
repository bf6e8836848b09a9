"""The case library: corpus format, indexing, vector stores and hybrid search.

corpus (Markdown + YAML front matter, `coach corpus check`, the question bank), indexing (chunks by
section, idempotent by content hash), vectorstore (Chroma, embedded or server), search (dense + BM25,
reciprocal rank fusion), library (the corpus plus its index, and the related-case finder the scorer takes).

May import: coach.embeddings, coach.scorecard, coach.rubric, coach.config and coach.errors. Never scoring,
storage, llm, practice or cli.
"""
