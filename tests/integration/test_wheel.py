"""An installed (non-editable) coach finds what it ships: the prompt templates and the migrations.

Builds the wheel from this checkout (offline: no build isolation), installs it into a fresh virtual
environment that sees this environment's dependencies but not its editable coach, and loads a prompt there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy, so the checkout gets no build/ folder (whose leftovers would leak into later wheels).
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    shutil.copytree(PROJECT_ROOT / "coach", source / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    build = ["pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), "."]
    subprocess.run(
        [sys.executable, "-m", *build],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("cmo_interview_coach-*.whl")
    return built


def test_the_wheel_carries_the_templates_and_the_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"coach/llm/templates/{n}.md" for n in ("judge", "rewrite", "follow_up", "rubric")} <= names
    assert "coach/storage/migrations/script.py.mako" in names
    assert "coach/storage/migrations/versions/0001_accounts_transcripts_audit.py" in names


def test_an_installed_coach_loads_its_prompts(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from this environment, as a plain path: its .pth files (the editable coach among
    # them) are not processed; and the probe runs with -I (no PYTHONPATH, no current directory), so
    # `import coach` can only find the wheel.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import coach.llm.prompts as p, coach.storage.database as d; "
        "t = p.load_template('judge'); "
        "print(p.__file__); print(t.version); print(len(p.rubric_text())); print(d.MIGRATIONS.is_dir())"
    )
    done = subprocess.run(
        [str(python), "-I", "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    where, version, rubric_chars, migrations = done.stdout.split()
    assert Path(where).is_relative_to(site)  # the installed copy, not the checkout
    assert version == "judge-1"
    assert int(rubric_chars) > 1000
    assert migrations == "True"
