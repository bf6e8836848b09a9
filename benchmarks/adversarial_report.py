"""Pass rate per type of the adversarial evaluation set (tests/data/adversarial), for the docs.

Usage: .venv/bin/python benchmarks/adversarial_report.py [--json]
The checks are the ones tests/integration/test_adversarial.py runs, through the public `coach.score_answer`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.test_adversarial import report


def main() -> None:
    as_json = "--json" in sys.argv[1:]
    result = report(out=(lambda _line: None) if as_json else print)
    if as_json:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
