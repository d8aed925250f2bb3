"""The package's structure: no module imports another's private names, ``__all__`` is true,
no import cycles among fiscal's modules (function-level imports included)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "fiscal"
# build-time scripts of the bundled data (they need shapely and topojson, not dependencies),
# and the run store's migrations (scripts that Alembic runs, not modules to import)
SKIP = ("datasets", "scenarios", "migrations")


def _module_name(path: Path) -> str:
    """fiscal/rules/floor.py -> fiscal.rules.floor; fiscal/rules/__init__.py -> fiscal.rules."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FILES = {
    _module_name(p): p
    for p in sorted(ROOT.rglob("*.py"))
    if not any(part in SKIP for part in p.relative_to(ROOT).parts)
}
MODULES = sorted(m for m in FILES if m != "fiscal")


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
                and child.module.split(".")[0] in ("fiscal", "fiscal_app")
            ):
                out.append((child.module, [a.name for a in child.names], child.lineno))
            walk(child)

    walk(ast.parse(path.read_text(encoding="utf-8")))
    return out


APP_FILES = {
    ".".join(p.relative_to(ROOT.parent).with_suffix("").parts): p
    for p in sorted((ROOT.parent / "fiscal_app").rglob("*.py"))
}


def test_no_module_imports_another_modules_private_names():
    """In fiscal and in the app (a page's parts shared with another page are public)."""
    bad = []
    for name, path in {**FILES, **APP_FILES}.items():
        for module, names, line in _imports(path):
            if module == name:
                continue
            bad += [
                f"{path.relative_to(ROOT.parent)}:{line}: {module}.{n}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
    assert not bad, bad


@pytest.mark.parametrize("name", MODULES)
def test_all_is_true(name):
    """Every name in ``__all__`` exists, and every public function or class defined in the
    module (not imported) is listed."""
    module = importlib.import_module(name)
    listed = getattr(module, "__all__", None)
    assert listed is not None, f"{name} has no __all__"
    assert len(listed) == len(set(listed))
    missing = [n for n in listed if not hasattr(module, n)]
    assert not missing, missing
    tree = ast.parse(FILES[name].read_text(encoding="utf-8"))
    defined = [
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")
    ]
    unlisted = sorted(set(defined) - set(listed))
    assert not unlisted, f"{name}: public but not in __all__: {unlisted}"


def test_no_import_cycles():
    """Counting imports inside functions too; a package's ``__init__`` is the package (a module
    of a package does not depend on the package's ``__init__`` by being in it)."""
    graph: dict[str, set[str]] = {}
    for name, path in FILES.items():
        deps = set()
        for module, names, _ in _imports(path, typing=False):
            for n in names:  # ``from fiscal.rules import floor`` imports the module
                deps.add(f"{module}.{n}" if f"{module}.{n}" in FILES else module)
        graph[name] = deps - {name, "fiscal"}

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
    for name, path in FILES.items():
        if name.startswith("fiscal.rules"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and part.value in RULES:
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert not found, found


def test_each_rule_kind_is_one_file_named_after_it():
    """Where does rule kind X live? In fiscal/rules/X.py, and that file holds only it."""
    from fiscal.rules import RULES

    for kind, cls in RULES.items():
        assert cls.__module__ == f"fiscal.rules.{kind}", (kind, cls.__module__)
    kinds = {m.rsplit(".", 1)[1] for m in FILES if m.startswith("fiscal.rules.")}
    assert kinds - {"base", "bounds"} == set(RULES)


@pytest.mark.parametrize(
    ("module", "base", "method"),
    [
        ("fiscal.lines", "LineRule", "allocate"),
        ("fiscal.budget_rules", "BudgetRuleKind", "evaluate"),
    ],
)
def test_a_line_rule_or_budget_rule_kind_without_its_method_cannot_register(module, base, method):
    """The bases are abstract: a kind that forgets its one method is refused when it registers,
    not when a scenario first uses it."""
    mod = importlib.import_module(module)
    cls = getattr(mod, base)
    assert getattr(cls, method).__isabstractmethod__
    incomplete = type("Incomplete", (cls,), {"kind": "incomplete"})
    with pytest.raises(TypeError, match=f"Incomplete must implement {method}"):
        mod.register(incomplete)
    registry = mod.RULES if module == "fiscal.lines" else mod.KINDS
    assert "incomplete" not in registry


def test_no_module_is_over_about_600_lines():
    """Modules by job: a module that grows past ~600 lines is doing more than one (issue 10)."""
    limit = 620
    app = ROOT.parent / "fiscal_app"
    files = [*FILES.values(), *(p for p in app.rglob("*.py"))]
    long = {
        str(p.relative_to(ROOT.parent)): n
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert not long, f"split these by job: {long}"
