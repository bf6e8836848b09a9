"""The writes of the disk-full test, run in a process whose files may not grow past a size limit.

Usage: python full_disk_writer.py DATA_DIR MODEL_DIR CORPUS_DIR LIMIT_BYTES ACTORS_JSON (a candidate and a
trainer, as lists of Actor fields). Prints one JSON object per write tried: {"write": ..., "error": type name
or null, "message": ...}. LIMIT_BYTES 0: no limit, the space is back; then it also prints what searches find:
{"search": query, "ids": [...]}, in this fresh process (Chroma keeps a client per path per process).

RLIMIT_FSIZE makes the kernel refuse any write past LIMIT_BYTES in any file with EFBIG, as a full disk
refuses one with ENOSPC; SIGXFSZ, which would kill the process instead, is ignored so the write returns the
error to the code that made it.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from coach.config import Settings
from coach.practice.casebook import Casebook, org_document
from coach.retrieval.library import make_library
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.integration.test_casebook import DRAFT

# The organisation's case indexed before the disk filled, and a shipped case.
SEARCHES = (
    "a zorblax coupon leaked to a deals forum",
    "pizza brand tweeted into a domestic violence hashtag",
)
LONG_ANSWER = "I led a spring email campaign that reached 40% of its sign-up target. " * 300


def attempt(write: str, action: Callable[[], object]) -> None:
    try:
        action()
    except BaseException as exc:  # a panic in a native extension is a BaseException; report it too
        print(json.dumps({"write": write, "error": type(exc).__name__, "message": str(exc)}), flush=True)
    else:
        print(json.dumps({"write": write, "error": None, "message": ""}), flush=True)


def main() -> None:
    data, model, corpus, limit = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    settings = Settings(data_dir=data, model_path=model, corpus_dir=corpus)
    storage = make_storage(settings)
    library = make_library(settings)
    candidate, trainer = (Actor(*fields) for fields in json.loads(sys.argv[5]))
    casebook = Casebook(storage.cases, library)
    earlier = storage.cases.list_cases(trainer)[0]

    if limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    else:
        for query in SEARCHES:
            ids = [h.id for h in casebook.search(candidate, query, k=5)]
            print(json.dumps({"search": query, "ids": ids}), flush=True)
    attempt(
        "attempt",
        lambda: storage.transcripts.save_attempt(
            candidate,
            question_id="failed-campaign",
            question_text="Explain a failed campaign.",
            answer=LONG_ANSWER,
        ),
    )
    attempt("case", lambda: casebook.save(trainer, replace(DRAFT, title="Blorptastic banners")))
    doc = replace(org_document(earlier), id=earlier.doc_id + "-copy", title="Blorptastic banners")
    attempt("index", lambda: library.index_case(doc, trainer.organisation_id))


if __name__ == "__main__":
    main()
