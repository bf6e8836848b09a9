"""The optional LLM on any OpenAI-compatible endpoint.

client (ChatOpenAI with a strict JSON schema, retries, one repair turn, LLMFailure), prompts (the
templates in templates/*.md, shipped as package data; random answer fences), judge (the verdict and its
cross-check), rewrite, follow_up, transcription, and
reviewer (the built-in score always, the judge and rewrite on top, or a marked fallback).

May import: coach.scoring, coach.retrieval, coach.embeddings, coach.scorecard, coach.rubric, coach.config
and coach.errors. Never storage, practice or cli.
"""
