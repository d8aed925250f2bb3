"""Where scenarios are and how their files are read: the shipped folder, references between
files (``extends``, ``from_scenario``) kept inside the scenario's folder tree, TOML read in the
one text form with a size limit, and ``extends`` resolved into one set of settings.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from fiscal.dotted import default_names, merge
from fiscal.errors import ScenarioError
from fiscal.prose.messages import Message
from fiscal.textform import clean_data, path_forms

__all__ = [
    "MAX_SCENARIO_BYTES",
    "bundled_scenarios_dir",
    "list_scenarios",
    "one_text_form",
    "parse_toml_bytes",
    "read_toml",
    "resolve_extends",
    "resolve_reference",
    "shipped_scenario",
]

MAX_SCENARIO_BYTES = 1_000_000  # a scenario file is a few kB; uploads and files alike


def bundled_scenarios_dir() -> Path:
    """The shipped scenarios: ``fiscal/scenarios/``, package data installed with fiscal."""
    return Path(str(resources.files("fiscal") / "scenarios")).resolve()


def list_scenarios(folder: Path | None = None) -> list[Path]:
    """The shipped scenario files, sorted by name."""
    folder = folder or bundled_scenarios_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def shipped_scenario(name: str) -> Path | None:
    """The shipped scenario ``name`` (``national-2026-baseline``, ``.toml`` optional), else None."""
    if not name or Path(name).name != name or name.startswith("."):
        return None  # a name, not a path: no folders, no '..'
    path = bundled_scenarios_dir() / (name if name.endswith(".toml") else f"{name}.toml")
    return path if path.is_file() else None


def _allowed_roots(base: Path) -> list[Path]:
    return [base.resolve(), bundled_scenarios_dir().resolve()]


def resolve_reference(ref: str, base: Path, what: str, source: str) -> Path:
    """Resolve a path named in a scenario; it may not leave the scenario's folder tree."""
    if "\x00" in ref:
        raise ScenarioError(Message("scenario.bad_path", source=source, what=what, ref=ref))
    candidates = [
        c
        for p in path_forms(ref)
        for c in ([p] if p.is_absolute() else [base / p, bundled_scenarios_dir() / p])
    ]
    roots = _allowed_roots(base)
    for cand in candidates:
        cand = cand.resolve()
        inside = any(cand == r or r in cand.parents for r in roots)
        if not inside:
            raise ScenarioError(
                Message("scenario.outside", source=source, what=what, ref=ref, base=str(base))
            )
        if cand.is_file():
            return cand
    raise ScenarioError(
        Message("scenario.not_found", source=source, what=what, ref=ref, base=str(base))
    )


def read_toml(path: Path) -> dict[str, Any]:
    """A scenario file's settings (at most :data:`MAX_SCENARIO_BYTES`), in the one text form."""
    try:
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError(_too_large(str(path), size))
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            Message("scenario.unreadable", path=str(path), reason=str(exc.strerror))
        ) from None
    return parse_toml_bytes(raw, str(path))


def _too_large(source: str, size: int) -> Message:
    return Message("scenario.too_large", source=source, size=size, limit=MAX_SCENARIO_BYTES)


def parse_toml_bytes(raw: bytes, source: str) -> dict[str, Any]:
    """Parse TOML bytes (at most MAX_SCENARIO_BYTES) with messages that name the source."""
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ScenarioError(_too_large(source, len(raw)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            Message("scenario.not_utf8", source=source, byte=raw[exc.start], position=exc.start)
        ) from None
    try:
        return one_text_form(tomllib.loads(text), source)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(Message("scenario.not_toml", source=source, detail=str(exc))) from None
    except RecursionError:
        raise ScenarioError(Message("scenario.too_deep", source=source)) from None


def one_text_form(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Every key and string of ``data`` in the one text form (fiscal.textform): NFC, no controls."""
    try:
        return clean_data(data, source)
    except ValueError as exc:  # two keys that are one text in two Unicode forms
        raise ScenarioError(exc.args[0]) from None


def resolve_extends(
    data: dict[str, Any], path: Path | None, seen: tuple[Path, ...], source: str
) -> dict[str, Any]:
    """``data`` merged over the file it ``extends`` (and that file over its own parent)."""
    meta = data.get("scenario")
    ref = meta.get("extends") if isinstance(meta, dict) else None
    if ref is None:
        return data
    if not isinstance(ref, str):
        raise ScenarioError(Message("scenario.extends_type", source=source, ref=ref))
    base = path.resolve().parent if path else bundled_scenarios_dir()
    parent_path = resolve_reference(ref, base, "scenario.extends", source)
    if parent_path in seen:
        chain = " → ".join(p.name for p in (*seen, parent_path))
        raise ScenarioError(Message("scenario.extends_cycle", source=source, chain=chain))
    if len(seen) > 20:
        raise ScenarioError(Message("scenario.extends_deep", source=source))
    parent = read_toml(parent_path)
    parent = resolve_extends(parent, parent_path, (*seen, parent_path), str(parent_path))
    default_names(parent)
    default_names(data)
    merged = merge(parent, data)
    merged["scenario"] = {k: v for k, v in merged["scenario"].items() if k != "extends"}
    # descriptions describe one file; an extending file without one should not inherit it,
    # and a name or description of its own does not inherit the parent's Vietnamese one
    own = data.get("scenario", {})
    if "description" not in own:
        merged["scenario"].pop("description", None)
    for key in ("name", "description"):
        if f"{key}_vi" not in own:
            if key in own or key == "description":
                merged["scenario"].pop(f"{key}_vi", None)
    return merged
