"""Dotted paths into a scenario's plain settings, and how a child's settings merge over its
parent's (``extends``).

``constraints.hold-harmless.ratio`` names the ``ratio`` of the constraint named
``hold-harmless``; a list entry is found by its name (or ``indicator``) or by its index.
:func:`set_path` and :func:`get_path` serve ``Scenario.with_value``, the sweeps and the app;
:func:`merge` serves ``extends``: tables merge key by key, the keyed lists of
:data:`KEYED_LISTS` entry by entry.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from fiscal.errors import ScenarioError
from fiscal.prose.messages import Message

__all__ = [
    "EXCLUSIVE",
    "KEYED_LISTS",
    "default_names",
    "get_path",
    "merge",
    "set_path",
    "without_empty_vi",
]

KEYED_LISTS = {
    ("constraints",): "name",
    ("need", "criteria"): "indicator",
    ("sectors",): "name",
    ("budget_rules",): "name",
}


def default_names(data: dict[str, Any]) -> None:
    """Name each constraint and budget rule without a name after its kind (in place)."""
    for key in ("constraints", "budget_rules"):
        entries = data.get(key)
        if not isinstance(entries, list):
            continue  # absent, or not a list: validation says so
        for c in entries:
            if isinstance(c, dict) and not c.get("name") and isinstance(c.get("kind"), str):
                c["name"] = c["kind"]


# keys of which a table holds only one: a child that sets one replaces the parent's other
EXCLUSIVE: dict[tuple[str, ...], tuple[str, ...]] = {
    ("envelope",): ("total", "totals", "baseline_factor", "from_scenario", "from_sharing")
}


def merge(parent: Any, child: Any, path: tuple[str, ...] = ()) -> Any:
    """``child`` over ``parent``: tables key by key, keyed lists entry by entry (``drop = true``
    removes a parent's entry), anything else replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        group = EXCLUSIVE.get(path, ())
        if any(k in child for k in group):
            for k in group:
                out.pop(k, None)
        for k, v in child.items():
            out[k] = merge(parent[k], v, (*path, k)) if k in parent else v
        return out
    key = KEYED_LISTS.get(path)
    if key and isinstance(parent, list) and isinstance(child, list):
        out_list = [copy.deepcopy(p) for p in parent]
        index = {p.get(key): i for i, p in enumerate(out_list) if isinstance(p, dict)}
        for entry in child:
            if not isinstance(entry, dict) or entry.get(key) not in index:
                out_list.append(entry)
                continue
            i = index[entry[key]]
            if entry.get("drop") is True:
                out_list[i] = None
            else:
                out_list[i] = merge(out_list[i], entry, ())
        return [
            {k: v for k, v in e.items() if k != "drop"} if isinstance(e, dict) else e
            for e in out_list
            if e is not None and not (isinstance(e, dict) and e.get("drop") is True)
        ]
    return child


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at dotted ``path`` in plain scenario data (lists by index or by name)."""
    parts = path.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            idx = _list_index(node, part, where)
            if last:
                node[idx] = value
            else:
                node = node[idx]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(Message("setting.not_table", path=path, where=where))
        if last:
            node[part] = value
        else:
            if part not in node:
                node[part] = {}
            node = node[part]


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path`` in plain scenario data."""
    node: Any = data
    for depth, part in enumerate(path.split(".")):
        where = ".".join(path.split(".")[: depth + 1])
        if isinstance(node, list):
            node = node[_list_index(node, part, where)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            raise ScenarioError(Message("setting.missing", path=path, where=where))
    return node


def _list_index(node: list[Any], part: str, where: str) -> int:
    if part.lstrip("-").isdigit():
        idx = int(part)
        if -len(node) <= idx < len(node):
            return idx
        raise ScenarioError(Message("setting.index", where=where, index=idx, n=len(node)))
    for i, item in enumerate(node):
        if isinstance(item, dict) and part in (item.get("name"), item.get("indicator")):
            return i
    names = [item.get("name") or item.get("indicator") for item in node if isinstance(item, dict)]
    raise ScenarioError(Message("setting.no_entry", where=where, part=part, names=names))


def without_empty_vi(data: Any) -> Any:
    """Plain settings without the Vietnamese texts left empty (``name_vi = ""``): a scenario
    without them reads, writes and hashes as it did before they existed."""
    if isinstance(data, dict):
        return {
            k: without_empty_vi(v)
            for k, v in data.items()
            if not (isinstance(k, str) and k.endswith("_vi") and v == "")
        }
    if isinstance(data, list):
        return [without_empty_vi(v) for v in data]
    return data
