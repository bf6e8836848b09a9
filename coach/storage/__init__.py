"""Everything kept in the database: accounts, transcripts, reviews, organisation questions, audit.

database (an engine per URL, migrations/ run on start), tables (SQLAlchemy models), permissions (roles and
the acting user every call is checked against), passwords (argon2id), accounts (the facade over sign_in:
first admin, sign-in with throttling, sessions, sign-up, invitations; and administration: users, roles,
cohorts, organisation policies), transcripts, question_bank, audit, personal_data (export and erasure),
case_studies (an organisation's cases, every version kept), cohorts and assignments (as trainers run them),
trainer_labels (calibration), store (all of the above over one migrated database).

May import: coach.scorecard, coach.rubric, coach.config and coach.errors. Never scoring, embeddings,
retrieval, llm, practice or cli: it stores scorecards as the JSON they give, whoever made them.
"""
