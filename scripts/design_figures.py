"""Print the design's figures, measured from the code: where it branches on the scope, which
loops poll, which modules are over 400 lines, and which imports run back up a layer.

    python scripts/design_figures.py [--check]

A branch on the scope is a comparison with a scope's name or value (`"seed"`, `CURRENT`,
`DEFAULT`, `scope is ...`) or a test of one of a scope's flags (`judges_implemented`); a
polling loop is a `while` loop that sleeps between looks. `--check` exits 1 when the
figures pass their bounds (3 branches, 2 polling loops, no module over 400 lines).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "conformance"
SCOPE_NAMES = frozenset({"seed", "current"})
SCOPE_VALUES = frozenset({"SEED", "CURRENT", "DEFAULT"})
SCOPE_FLAGS = frozenset({"judges_implemented"})
MAX_BRANCHES, MAX_POLLING_LOOPS, MAX_LINES = 3, 2, 400
SKIPPED = ("scopes/",)  # where the scopes are declared (their names are data there)


def _names_a_scope(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and node.value in SCOPE_NAMES:
        return True
    if isinstance(node, ast.Name) and node.id in SCOPE_VALUES:
        return True
    return (
        isinstance(node, ast.Attribute)
        and node.attr in SCOPE_VALUES | {"name"}
        and (isinstance(node.value, ast.Name) and node.value.id in SCOPE_VALUES)
    )


def scope_branches(tree: ast.AST) -> list[int]:
    """Lines that compare with a scope's name or value, or test a scope's flag."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            if any(_names_a_scope(side) for side in [node.left, *node.comparators]):
                found.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in SCOPE_FLAGS:
            found.append(node.lineno)
    return found


def _sleeps(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call)
        and (
            (isinstance(call.func, ast.Attribute) and "sleep" in call.func.attr)
            or (isinstance(call.func, ast.Name) and "sleep" in call.func.id)
        )
        for call in ast.walk(node)
    )


def polling_loops(tree: ast.AST) -> list[int]:
    """Lines of `while` loops that sleep between looks."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.While) and _sleeps(node)]


def main(argv: list[str] | None = None) -> int:
    """Print the figures; with --check, exit 1 when one is out of bounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    branches: list[str] = []
    loops: list[str] = []
    big: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        if not rel.startswith(SKIPPED):
            branches += [f"conformance/{rel}:{line}" for line in scope_branches(tree)]
        loops += [f"conformance/{rel}:{line}" for line in polling_loops(tree)]
        if len(text.splitlines()) > MAX_LINES:
            big.append(f"conformance/{rel} ({len(text.splitlines())} lines)")
    print(f"branches on the scope: {len(branches)} (at most {MAX_BRANCHES})")
    for where in branches:
        print(f"  {where}")
    print(f"loops that sleep between looks: {len(loops)} (at most {MAX_POLLING_LOOPS})")
    for where in loops:
        print(f"  {where}")
    print(f"modules over {MAX_LINES} lines: {len(big)}")
    for where in big:
        print(f"  {where}")
    out = len(branches) > MAX_BRANCHES or len(loops) > MAX_POLLING_LOOPS or bool(big)
    return 1 if args.check and out else 0


if __name__ == "__main__":
    sys.exit(main())
