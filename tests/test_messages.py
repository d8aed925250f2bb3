"""Messages as codes (issue 13, point 2): every error of the library carries a code whose
templates exist in both languages, the Vietnamese ones read as Vietnamese, and a message is its
English text while writing Vietnamese numbers in Vietnamese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from english import english_in

from fiscal.errors import FiscalError, InfeasibleError, ModelError
from fiscal.prose.catalog import CATALOG
from fiscal.prose.messages import Message, Term

ROOT = Path(__file__).resolve().parent.parent

#: modules whose errors only the command line meets (its flags, `fiscal sweep`'s Monte Carlo,
#: Dask and process pools): the CLI stays English by design (docs/architecture.md)
CLI_ONLY = {"fiscal/cli.py", "fiscal/executors.py", "fiscal/montecarlo.py"}

#: names of settings and their values, written in a Vietnamese message as a user types them in
#: a scenario file (``province = 'all'``, ``soft = false``)
KEYS = {
    "province",
    "commune",
    "all",
    "total",
    "totals",
    "growth",
    "where",
    "units",
    "true",
    "false",
    "formula",
    "transfer",
    "resources",
    "predecessors",
}


def _plain(node: ast.expr) -> bool:
    """A message written as plain text: a string, an f-string, or text joined with '+' or '%'."""
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    ):
        return True
    return isinstance(node, ast.BinOp) and (_plain(node.left) or _plain(node.right))


def _validators(tree: ast.AST) -> set[ast.AST]:
    """The raise statements inside pydantic validators: their ValueError becomes the message of
    a ScenarioError (fiscal.scenario_errors)."""
    out: set[ast.AST] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and any(
            "validator" in ast.unparse(d) for d in fn.decorator_list
        ):
            out |= {n for n in ast.walk(fn) if isinstance(n, ast.Raise)}
    return out


def _library_errors(root: Path = ROOT / "fiscal", base: Path = ROOT) -> list[tuple[str, int, str]]:
    """(file, line, text) of each FiscalError raised with plain text in ``root``: by its class,
    as ``type(exc)(...)`` (re-raising a FiscalError with more words), or as a pydantic
    validator's ValueError."""
    names = {c.__name__ for c in (FiscalError, *_subclasses(FiscalError))}
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = str(path.relative_to(base))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        validators = _validators(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            rethrown = isinstance(func, ast.Call) and ast.unparse(func.func) == "type"
            in_validator = name == "ValueError" and node in validators
            args = node.exc.args
            if (name in names or rethrown or in_validator) and args and _plain(args[0]):
                out.append((rel, node.lineno, ast.unparse(args[0])[:60]))
    return out


def _subclasses(cls: type) -> list[type]:
    return [s for c in cls.__subclasses__() for s in (c, *_subclasses(c))]


def test_every_error_of_the_library_carries_a_code():
    plain = [e for e in _library_errors() if e[0] not in CLI_ONLY]
    assert not plain, f"raise these with a Message (fiscal/prose/catalog/): {plain}"
    assert any(e[0] in CLI_ONLY for e in _library_errors())  # the scan finds plain strings


PLAIN = """
from pydantic import BaseModel, field_validator
from fiscal.errors import ModelError, ScenarioError

def a(where):
    raise ModelError(f"{where}: the known amounts exceed the envelope")

def b(exc):
    raise type(exc)(f"lines.x (rule = 'optimise'): {exc}") from None

def c(path):
    raise ScenarioError(str(path) + ": unknown format")

class Line(BaseModel):
    units: list[str] = []

    @field_validator("units")
    @classmethod
    def _unique(cls, v):
        raise ValueError("units are listed twice")

def d(where):
    raise ModelError(Message("lines.known_above", where=where))
"""


def test_the_scan_finds_each_way_of_raising_plain_text(tmp_path):
    """The check above can fail: a module that raises plain text in each way the library once
    did (issue 14's modules before their codes) is found, line by line, and a Message is not."""
    (tmp_path / "fiscal").mkdir()
    (tmp_path / "fiscal" / "probe.py").write_text(PLAIN, encoding="utf-8")
    found = _library_errors(tmp_path / "fiscal", tmp_path)
    assert [(f, line) for f, line, _ in found] == [("fiscal/probe.py", n) for n in (6, 9, 12, 20)]


def _english_parameters(root: Path = ROOT / "fiscal") -> list[tuple[str, int, str]]:
    """(file, line, text) of each Message parameter written as an English phrase (words with a
    space between them, in a string or an f-string): it would stay English in Vietnamese."""
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Message"):
                continue
            for value in (k.value for k in node.keywords):
                parts = value.values if isinstance(value, ast.JoinedStr) else [value]
                text = " ".join(
                    p.value
                    for p in parts
                    if isinstance(p, ast.Constant) and isinstance(p.value, str)
                )
                if " " in text.strip() and english_in(text):
                    out.append((path.name, node.lineno, text))
    return out


def test_no_message_is_given_english_words_as_a_parameter(tmp_path):
    """A phrase passed to a message (' and 2 more', 'the rate model') is a Term or a Message of
    its own, so that it reads in Vietnamese too (a setting's or a column's name may be a word)."""
    assert not _english_parameters()
    probe = 'Message("a.b", units=f"{u} and {n} more", what="the rate model", column="name")\n'
    (tmp_path / "probe.py").write_text(probe, encoding="utf-8")
    assert [t for _, _, t in _english_parameters(tmp_path)] == [" and   more", "the rate model"]


def test_every_code_written_has_templates_in_both_languages():
    used = set()
    for path in [*(ROOT / "fiscal").rglob("*.py"), *(ROOT / "fiscal_app").rglob("*.py")]:
        used |= set(re.findall(r'Message\(\s*"([a-z_]+\.[a-z0-9_.]+)"', path.read_text("utf-8")))
    assert len(used) > 200
    assert not sorted(used - set(CATALOG))
    empty = [c for c, t in CATALOG.items() if not (t["en"].strip() and t["vi"].strip())]
    assert not empty


def english_left(text: str) -> list[str]:
    """The English words of a Vietnamese message, setting names, commands and quoted names
    aside."""
    text = re.sub(r"`[^`]*`|'[^']*'", " ", text)
    words = [w for w in text.split() if w.strip(".,;:()[]").lower() not in KEYS]
    return english_in(" ".join(words))


def test_the_vietnamese_templates_read_as_vietnamese():
    english = {}
    for code, templates in CATALOG.items():
        found = english_left(re.sub(r"\{[^{}]*\}", " ", templates["vi"]))  # parameters aside
        if found:
            english[code] = found
    assert not english, english


def test_a_message_is_its_english_text_and_writes_vietnamese_numbers():
    m = Message(
        "infeasible.short",
        year=2026,
        rule=Term("hold-harmless", "Không thấp hơn năm gốc"),
        kind="floor",
        need=242_554_063.0,
        envelope=238_421_000.0,
        short=4_133_063.0,
    )
    assert m == (
        "2026: hold-harmless need 242,554 bn VND but the envelope is 238,421 bn VND "
        "(short by 4,133 bn VND)"
    )
    vi = m.text("vi")
    assert "Không thấp hơn năm gốc" in vi and "4.133 tỷ đồng" in vi and "242.554 tỷ đồng" in vi
    assert "4,133" not in vi and not english_left(vi)


def test_the_mechanisms_errors_are_said_in_vietnamese():
    import fiscal

    base = fiscal.load_scenario("national-2027-optimised-rates.toml")
    soft = base.with_value("constraints.merged-hold-harmless.soft", True)
    try:
        fiscal.run(soft)
    except ModelError as err:
        assert "keeps every rule hard" in str(err)
        assert "quy tắc mềm" in err.text("vi") and not english_left(err.text("vi"))
    else:  # pragma: no cover - the rate model refuses soft rules
        raise AssertionError("a soft rule was accepted by the rate model")
    assert issubclass(InfeasibleError, FiscalError)


def test_the_rate_model_without_the_mechanism_is_named_in_vietnamese():
    from handmade import problem as hand_problem
    from handmade import scenario, units

    from fiscal.rate_model import rate_model

    problem = hand_problem(units(need_units=[10, 20], population=[1, 1]), scenario(30))
    try:
        rate_model(problem)
    except ModelError as err:
        assert str(err) == "the rate model needs a scenario with [sharing]"
        assert err.text("vi") == "mô hình chọn tỷ lệ cần một kịch bản có [sharing]"
    else:  # pragma: no cover
        raise AssertionError("the rate model ran without [sharing]")
