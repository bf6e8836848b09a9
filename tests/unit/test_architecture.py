"""The layout is the architecture: which part of coach/ may import which, no cycles, no module over 450 lines.

Every module under coach/ is parsed (not imported) with `ast`; every import counts, including those inside
functions and under TYPE_CHECKING. The rules are the ones each subpackage's docstring states.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2] / "coach"
MAX_LINES = 450

# The part a module belongs to -> the other parts it may import. A part may always import itself.
BASE = {"coach.config", "coach.errors", "coach.rubric"}
ALLOWED: dict[str, set[str]] = {
    "coach.config": set(),
    "coach.errors": set(),
    "coach.process": set(),
    "coach.rubric": set(),
    "coach.scorecard": {"coach.rubric"},
    "coach.embeddings": {"coach.config", "coach.errors"},
    "coach.scoring": BASE | {"coach.scorecard", "coach.embeddings"},
    "coach.retrieval": BASE | {"coach.scorecard", "coach.embeddings"},
    "coach.llm": BASE | {"coach.scorecard", "coach.embeddings", "coach.scoring", "coach.retrieval"},
    "coach.storage": BASE | {"coach.scorecard"},
    "coach.practice": BASE
    | {
        "coach.scorecard",
        "coach.embeddings",
        "coach.scoring",
        "coach.retrieval",
        "coach.llm",
        "coach.storage",
    },
    "coach.cli": BASE
    | {
        "coach",
        "coach.scorecard",
        "coach.embeddings",
        "coach.scoring",
        "coach.retrieval",
        "coach.llm",
        "coach.storage",
        "coach.practice",
        "coach.review",
    },
    # The hiring team's review of shared attempts (its docstring): over storage and the practice workflow.
    "coach.review": BASE | {"coach.scorecard", "coach.storage", "coach.practice"},
    # The public API (coach/__init__.py): scoring with or without the LLM, nothing about storage or pages.
    "coach": BASE | {"coach.scorecard", "coach.embeddings", "coach.scoring", "coach.retrieval", "coach.llm"},
}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def part(self) -> str:
        """coach.scoring for coach.scoring.scorer; coach.rubric for coach.rubric; coach for coach/__init__."""
        return ".".join(self.name.split(".")[:2])


def load_modules(root: Path) -> dict[str, Module]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return modules


def _package_of(module: Module) -> str:
    return module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]


def imported_names(module: Module) -> Iterator[tuple[str, int]]:
    """Every absolute module name the module imports (a `from x import y` gives x.y and x), with its line."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module).split(".")
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno
            yield base, node.lineno


def import_graph(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    """Module -> the coach modules it imports (the deepest existing module each import names) -> a line."""
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, module in modules.items():
        for target, line in imported_names(module):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # "from coach.storage import tables" names the module coach.storage.tables; the bare package
            # `coach` (the public API) counts only when a name is taken from it directly.
            if target and target != name:
                graph[name].setdefault(target, line)
    # `from coach.x import y` also yields coach.x; drop a package edge when a module inside it was named.
    for edges in graph.values():
        for target in list(edges):
            if (
                any(other.startswith(target + ".") for other in edges)
                and modules[target].path.name == "__init__.py"
            ):
                del edges[target]
    return graph


def rule_violations(modules: dict[str, Module], graph: dict[str, dict[str, int]]) -> list[str]:
    problems = []
    for name, edges in graph.items():
        part = modules[name].part
        allowed = ALLOWED.get(part)
        if allowed is None:
            problems.append(f"{name}: belongs to no known part of coach ({part}); add it to the rules")
            continue
        for target, line in edges.items():
            other = modules[target].part
            if other != part and other not in allowed:
                problems.append(f"{modules[name].path.name}:{line}: {part} may not import {target}")
    return problems


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def reads_environment(module: Module) -> list[int]:
    """Lines that read the process environment: os.environ, os.getenv, or either imported by name."""
    lines = []
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb", "getenvb")
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb", "getenvb") for a in node.names)
        ):
            lines.append(node.lineno)
    return lines


MODULES = load_modules(ROOT)
GRAPH = import_graph(MODULES)


def test_every_part_imports_only_what_its_docstring_allows() -> None:
    assert rule_violations(MODULES, GRAPH) == []


def test_there_are_no_import_cycles() -> None:
    assert find_cycles(GRAPH) == []


def test_no_module_is_over_450_lines() -> None:
    long = {
        name: n
        for name, m in MODULES.items()
        if (n := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_nothing_in_coach_imports_streamlit() -> None:
    found = [
        f"{name}:{line}"
        for name, m in MODULES.items()
        for target, line in imported_names(m)
        if target.split(".")[0] == "streamlit"
    ]
    assert found == []


def test_only_config_reads_the_environment() -> None:
    readers = {
        name: lines
        for name, m in MODULES.items()
        if name != "coach.config" and (lines := reads_environment(m))
    }
    assert readers == {}


# A change that authorises in its own transaction instead of through storage.audit.acting: the pattern that
# lets a new write path forget the audit entry or audit under the wrong organisation.
HAND_AUTHORISED = re.compile(r"transaction\(\) as session:\n\s+\w+ = authorise\(")


def hand_authorised(source: str) -> int:
    return len(HAND_AUTHORISED.findall(source))


def test_storage_changes_authorise_act_and_audit_through_acting() -> None:
    found = {
        name: n
        for name, m in MODULES.items()
        if name.startswith("coach.storage.") and (n := hand_authorised(m.path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert hand_authorised("with db.transaction() as session:\n    fresh = authorise(session, actor)\n") == 1


def test_each_subpackage_says_what_lives_there_and_what_it_may_import() -> None:
    for name, module in MODULES.items():
        if module.path.name == "__init__.py" and name.count(".") == 1 and "migrations" not in name:
            doc = ast.get_docstring(module.tree) or ""
            assert "import" in doc, f"{name}'s docstring does not say what it may import"


# -- the checks themselves can fail ---------------------------------------------------------------------


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    root = tmp_path / "coach"
    for package in ("", "scoring", "storage", "llm"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text('"""Docstring: may import nothing."""\n')
    (root / "rubric.py").write_text("")
    # storage reaches into the LLM: forbidden.
    (root / "storage" / "tables.py").write_text("from coach.llm import client\n")
    (root / "llm" / "client.py").write_text("import os\nKEY = os.environ['KEY']\n")
    # scorer and training import each other, one of them inside a function.
    (root / "scoring" / "scorer.py").write_text("from coach.scoring import training\n" + "x = 1\n" * 451)
    (root / "scoring" / "training.py").write_text(
        "def cv():\n    from coach.scoring.scorer import x\n    import streamlit\n    return x\n"
    )
    return root


def test_the_checks_catch_a_broken_layout(broken_tree: Path) -> None:
    modules = load_modules(broken_tree)
    graph = import_graph(modules)
    assert rule_violations(modules, graph) == ["tables.py:1: coach.storage may not import coach.llm.client"]
    assert find_cycles(graph) == [["coach.scoring.scorer", "coach.scoring.training"]]
    assert reads_environment(modules["coach.llm.client"]) == [2]
    assert any(t == "streamlit" for t, _ in imported_names(modules["coach.scoring.training"]))
    assert len(modules["coach.scoring.scorer"].path.read_text().splitlines()) > MAX_LINES
