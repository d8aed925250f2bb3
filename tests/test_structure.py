"""The package's structure: no module imports another's private names, ``__all__`` is true,
no import cycles among fiscal's modules (function-level imports included)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "fiscal"
MODULES = sorted(p.stem for p in ROOT.glob("*.py") if p.stem != "__init__")


def _imports(path: Path, *, typing: bool = True) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every ``from fiscal… import …`` in a file, at any depth
    (``typing=False``: not those under ``if TYPE_CHECKING:``, which never run)."""
    out = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                not typing
                and isinstance(child, ast.If)
                and "TYPE_CHECKING" in ast.unparse(child.test)
            ):
                continue
            if (
                isinstance(child, ast.ImportFrom)
                and child.module
                and child.module.split(".")[0] == "fiscal"
            ):
                out.append((child.module, [a.name for a in child.names], child.lineno))
            walk(child)

    walk(ast.parse(path.read_text(encoding="utf-8")))
    return out


def test_no_module_imports_another_modules_private_names():
    bad = []
    for path in ROOT.glob("*.py"):
        for module, names, line in _imports(path):
            if module == f"fiscal.{path.stem}":
                continue
            bad += [
                f"{path.name}:{line}: {module}.{n}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
    assert not bad, bad


@pytest.mark.parametrize("name", MODULES)
def test_all_is_true(name):
    """Every name in ``__all__`` exists, and every public function or class defined in the
    module (not imported) is listed."""
    module = importlib.import_module(f"fiscal.{name}")
    listed = getattr(module, "__all__", None)
    assert listed is not None, f"fiscal.{name} has no __all__"
    assert len(listed) == len(set(listed))
    missing = [n for n in listed if not hasattr(module, n)]
    assert not missing, missing
    tree = ast.parse((ROOT / f"{name}.py").read_text(encoding="utf-8"))
    defined = [
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")
    ]
    unlisted = sorted(set(defined) - set(listed))
    assert not unlisted, f"fiscal.{name}: public but not in __all__: {unlisted}"


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    for path in ROOT.glob("*.py"):
        deps = set()
        for module, names, _ in _imports(path, typing=False):
            parts = module.split(".")
            if len(parts) == 1:
                deps |= {n for n in names if (ROOT / f"{n}.py").is_file()}
            else:
                deps.add(parts[1])
        graph[path.stem] = deps - {path.stem, "__init__"}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cycles = sorted(m for m in graph if m in reach(m))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_every_rule_kind_has_one_class_and_one_schema():
    from fiscal.rules import RULES, Rule
    from fiscal.scenario import CONSTRAINT_KINDS, Constraint

    assert set(RULES) == set(CONSTRAINT_KINDS)
    schemas = Constraint.__origin__.__args__  # type: ignore[attr-defined]
    for schema in schemas:
        kind = schema.model_fields["kind"].annotation.__args__[0]
        assert issubclass(schema.rule, Rule) and schema.rule is RULES[kind], kind


def test_no_module_but_rules_branches_on_a_rule_kind():
    """A rule kind's behaviour lives in its class: no other module compares with its name
    (``kind == "floor"``, ``kind in ("cap", ...)``)."""
    from fiscal.rules import RULES

    found = []
    for path in ROOT.glob("*.py"):
        if path.stem == "rules":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and part.value in RULES:
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not found, found
