"""The design's figures, measured from the code (`scripts/design_figures.py`): few places
branch on the scope, one loop polls Batch state, no module of the product or of its tests is
too long."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parent.parent


def _figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "design_figures", ROOT / "scripts/design_figures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIGURES = _figures()


def _trees() -> dict[str, ast.AST]:
    return {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "conformance").rglob("*.py"))
        if not path.relative_to(ROOT / "conformance").as_posix().startswith(FIGURES.SKIPPED)
    }


def test_at_most_three_places_branch_on_the_scope() -> None:
    """Comparisons with a scope's name or value, and tests of its flags: at most 3."""
    found = [(rel, line) for rel, tree in _trees().items() for line in FIGURES.scope_branches(tree)]
    assert len(found) <= FIGURES.MAX_BRANCHES, found


def test_one_loop_polls_batch_state() -> None:
    """Loops that sleep between looks: `waiting.poll`, and the throttling retry of one call."""
    found = {
        rel
        for path in sorted((ROOT / "conformance").rglob("*.py"))
        for rel in [path.relative_to(ROOT).as_posix()]
        if FIGURES.polling_loops(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found <= {"conformance/waiting.py", "conformance/calls.py"}, found


def test_the_figures_catch_what_they_count() -> None:
    """A string comparison with a scope's name and a sleeping loop are both found."""
    tree = ast.parse('if scope == "seed":\n    pass\nwhile x:\n    time.sleep(1)\n')
    assert FIGURES.scope_branches(tree) == [1]
    assert FIGURES.polling_loops(tree) == [3]


def test_no_module_of_the_product_or_its_tests_is_over_400_lines() -> None:
    """Small modules with one job each."""
    long = {
        path.relative_to(ROOT).as_posix(): n
        for folder in ("conformance", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > FIGURES.MAX_LINES
    }
    assert long == {}
