"""The Hypothesis profiles in tests/conftest.py: CI=true runs the same examples on every machine, every time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import hypothesis_profile


def test_the_environment_picks_the_profile() -> None:
    assert hypothesis_profile({}) == "dev"
    assert hypothesis_profile({"CI": "true"}) == "ci"
    assert hypothesis_profile({"CI": "1"}) == "ci"
    assert hypothesis_profile({"CI": "false"}) == "dev"
    assert hypothesis_profile({"CI": "true", "HYPOTHESIS_PROFILE": "fuzz"}) == "fuzz"


def test_this_run_loaded_the_profile_its_environment_picks() -> None:
    assert settings.get_current_profile_name() == hypothesis_profile()


def test_ci_has_a_fixed_seed_and_no_example_database_and_fuzz_explores() -> None:
    ci, fuzz, dev = (settings.get_profile(name) for name in ("ci", "fuzz", "dev"))
    assert ci.derandomize and ci.database is None and ci.print_blob
    assert not fuzz.derandomize and fuzz.deadline is None and fuzz.max_examples >= 1000
    assert not dev.derandomize and dev.max_examples < fuzz.max_examples


def test_under_the_ci_profile_two_runs_draw_the_same_examples() -> None:
    def draws() -> list[str]:
        seen: list[str] = []

        @settings(settings.get_profile("ci"), max_examples=30)
        @given(st.text(min_size=1))
        def record(text: str) -> None:
            seen.append(text)

        record()
        return seen

    first = draws()
    assert len(set(first)) > 10  # real variety, not one example repeated
    assert draws() == first
