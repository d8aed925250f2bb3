"""A scenario's validation errors in words: the dotted key, the keys allowed there, the value
that was given (``scenarios/a.toml: constraints[2].ratio: ... (got 95)``).

pydantic reports locations with union-branch and validator tags; :func:`describe_errors` turns
them into the keys a person wrote, using the scenario's :class:`Schema` (the root model, the
model of each table, the model of each constraint kind), which :mod:`fiscal.scenario` passes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from fiscal.prose.catalog import CATALOG
from fiscal.prose.messages import Message

__all__ = ["Schema", "describe_errors"]


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    return sorted(model.model_fields) if model is not None else []


@dataclass(frozen=True)
class Schema:
    """The models a scenario's settings are validated with: the root, the model of each table
    by key, the model of each constraint kind by its tag. Under ``lines``, a key that names no
    table is a line (the model ``line``), whose ``criteria`` are ``criteria_of_line``."""

    root: type[BaseModel]
    tables: Mapping[str, type[BaseModel]]
    kinds: Mapping[str, type[BaseModel]]


_BRANCH_TAGS = (
    "function-after",
    "function-before",
    "function-plain",
    "str",
    "int",
    "float",
    "bool",
)


def _union_branch(loc: Sequence[Any]) -> int | None:
    """Index of the union-branch tag in an error location ('str', 'list[str]', ...), if any."""
    for k, item in enumerate(loc):
        if isinstance(item, str) and (
            item in _BRANCH_TAGS[3:] or "[" in item or item.startswith("constrained-")
        ):
            return k
    return None


def _loc_text(
    loc: Sequence[Any], data: Mapping[str, Any], schema: Schema
) -> tuple[str, type[BaseModel] | None]:
    parts: list[str] = []
    model: type[BaseModel] | None = schema.root
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            parts[-1] = f"{parts[-1]}[{item}]" if parts else f"[{item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
            continue
        if item in schema.kinds:  # discriminated-union tag
            model = schema.kinds[item]
            continue
        if item in _BRANCH_TAGS or "[" in str(item) or str(item).startswith("constrained-"):
            continue  # validator and union-branch tags, not keys
        parts.append(str(item))
        if isinstance(node, Mapping):
            node = node.get(item)
        parent = model
        model = schema.tables.get(str(item), model if item not in schema.tables else None)
        lines, line = schema.tables.get("lines"), schema.tables.get("line")
        if parent is not None and parent is lines and str(item) not in schema.tables:
            model = line  # a [lines.<name>] table: its key is the line's name
        elif parent is not None and parent is line and str(item) == "criteria":
            model = schema.tables.get("criteria_of_line", model)
        if str(item) == "constraints":
            model = None
    return ".".join(parts), model


def _detail(err: Mapping[str, Any]) -> Message:
    """What is wrong with a value: our own check's message (a validator's ValueError carries a
    Message), else pydantic's, by its error type (pydantic writes the English)."""
    ctx = dict(err.get("ctx") or {})
    cause = ctx.pop("error", None)
    if isinstance(cause, Exception) and cause.args and isinstance(cause.args[0], Message):
        return cause.args[0]
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    code = f"pydantic.{err.get('type', '')}"
    params = {k: v if isinstance(v, int | float | str) else str(v) for k, v in ctx.items()}
    if "expected" in params:  # pydantic lists the choices in English: 'a', 'b' or 'c'
        params["expected_vi"] = str(params["expected"]).replace(" or ", " hoặc ")
    return Message(code if code in CATALOG else "pydantic.other", **params, msg=msg)


def _format_error(
    err: Mapping[str, Any], data: Mapping[str, Any], source: str, schema: Schema
) -> Message:
    loc = tuple(err.get("loc", ()))
    etype = err.get("type", "")
    if etype == "extra_forbidden":
        where, model = _loc_text(loc[:-1], data, schema)
        key = loc[-1]
        if model is None and where.startswith("constraints"):
            node: Any = data
            try:
                for part in loc[:-1]:
                    if part in schema.kinds:
                        continue
                    node = node[part]
                model = (
                    schema.kinds.get(str(node.get("kind"))) if isinstance(node, Mapping) else None
                )
            except (KeyError, IndexError, TypeError):
                model = None
        allowed = [k for k in _allowed_keys(model) if k != "path"]
        path = f"{where}.{key}" if where else str(key)
        return Message("scenario.unknown_key", source=source, path=path, allowed=", ".join(allowed))
    where, _ = _loc_text(loc, data, schema)
    value = err.get("input")
    got: Message | str = ""
    if etype not in ("missing",) and not isinstance(value, dict | list) and value is not None:
        got = Message("scenario.got", value=value)
    kinds = ", ".join(schema.kinds)
    if etype == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag")
        return Message("scenario.unknown_kind", source=source, where=where, tag=tag, kinds=kinds)
    if etype == "union_tag_not_found":
        return Message("scenario.no_kind", source=source, where=where, kinds=kinds)
    if etype == "missing":
        return Message("scenario.missing", source=source, where=where)
    if etype in ("finite_number",) or (isinstance(value, float) and not math.isfinite(value)):
        return Message("scenario.not_finite", source=source, where=where, got=got)
    return Message(
        "scenario.value",
        source=source,
        where=where or Message("scenario.top_level"),
        detail=_detail(err),
        got=got,
    )


def describe_errors(
    errors: list[Any], data: Mapping[str, Any], source: str, schema: Schema
) -> Message:
    """pydantic's errors of ``data`` (from ``source``) in words, at most ten of them."""
    # a value that fits no branch of a union (a number or a list of numbers) fails once
    # per branch: report the branch of its shape (the list branch for a list)
    kept = []
    for e in errors:
        loc = tuple(e.get("loc", ()))
        branch = _union_branch(loc)
        if branch is not None:
            list_branch = str(loc[branch]).startswith("list[")
            if list_branch and e.get("type") == "list_type":
                continue
            if not list_branch and isinstance(e.get("input"), list):
                continue
        kept.append(e)
    errors = kept or errors
    lines = [_format_error(e, data, source, schema) for e in errors[:10]]
    if len(errors) > 10:
        lines.append(Message("scenario.invalid_more", n=len(errors) - 10))
    return Message("scenario.invalid", lines=lines)
