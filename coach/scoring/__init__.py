"""The built-in scorer: an answer in, a `Scorecard` out, offline and in milliseconds.

segmenter (sentences, words), lexicon (the rubric's observable signals), textvec (TF-IDF in numpy),
model (the trained arrays and the features they read), training (fit, cross-validation), lifecycle
(train, fingerprint, load, "is it fresh"), scorer (checks, levels, flags, caps, evidence), coaching
(feedback, follow-up), labelled (the team's labelled answers), evaluation (agreement figures).

May import: coach.rubric, coach.scorecard, coach.config, coach.errors and coach.embeddings. Never
storage, retrieval, llm, practice or cli: related cases reach the scorer as a plain callable.
"""
