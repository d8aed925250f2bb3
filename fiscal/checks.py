"""Validating a unit table: each rule a small ``check_*`` function that returns its problems.

:func:`validate_units` runs every check of :data:`CHECKS` and refuses a table with all its
problems listed (file, row and unit, column, rule; at most :data:`MAX_PROBLEMS` shown), or
returns it typed, with derived columns filled and sorted by code. The columns are declared in
:mod:`fiscal.schema`.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from fiscal import calibrate, schema
from fiscal.errors import DataError
from fiscal.prose.messages import Message
from fiscal.textform import clean, fold

__all__ = [
    "CHECKS",
    "MAX_PROBLEMS",
    "Level",
    "check_categories",
    "check_merger_columns",
    "check_not_empty",
    "check_numbers",
    "check_parents",
    "check_predecessors",
    "check_required_columns",
    "check_revenue_kinds",
    "check_unique_codes",
    "check_unique_names",
    "problems_message",
    "validate_units",
]

Level = Literal["province", "commune"]
MAX_PROBLEMS = 25


Problem = str
Check = Callable[[pd.DataFrame, "_Ctx"], list[Problem]]


@dataclass
class _Ctx:
    source: str
    level: Level
    first_row: int  # file row number of frame row 0
    row_word: str
    known_parents: set[str] | None
    blanked: set[tuple[int, str]]  # cells already refused by the reader (formulas)

    def where(self, frame: pd.DataFrame, i: int | np.integer) -> Message:
        code = frame["code"].iat[i] if "code" in frame else ""
        row = int(i + self.first_row)
        if str(code).strip():
            return Message(
                "data.where_unit", source=self.source, row_word=self.row_word, row=row, code=code
            )
        return Message("data.where", source=self.source, row_word=self.row_word, row=row)


def _hint(text: str) -> Message | str:
    """'; <hint>' after a range error, or nothing."""
    return Message("data.hint", hint=text) if text else ""


def check_not_empty(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if len(df) == 0:
        return [Message("data.no_units", source=ctx.source)]
    return []


def check_required_columns(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    out: list[Problem] = []
    for c in schema.columns_for(ctx.level):
        if c.required and c.name not in df.columns:
            close = difflib.get_close_matches(c.name, [str(x) for x in df.columns], n=1)
            out.append(
                Message(
                    "data.missing_column_close" if close else "data.missing_column",
                    source=ctx.source,
                    column=c.name,
                    description=c.description,
                    unit=c.unit or "text",
                    close=close[0] if close else "",
                )
            )
    dupes = df.columns[df.columns.duplicated()].tolist()
    if dupes:
        out.append(Message("data.duplicate_columns", source=ctx.source, columns=dupes))
    return out


def check_numbers(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """Text in number columns, missing required values, bounds, NaN/inf, integers."""
    out: list[Problem] = []
    for c in schema.columns_for(ctx.level):
        if c.name not in df.columns:
            continue
        raw = df[c.name].astype(str).str.strip()
        blank = raw.eq("") | raw.str.lower().isin(["nan", "none", "null"])
        if c.required:
            for i in np.flatnonzero(blank.to_numpy()):
                if (int(i), c.name) in ctx.blanked:
                    continue  # the reader said why (a formula)
                out.append(
                    Message(
                        "data.missing_value_said" if raw.iat[i] else "data.missing_value",
                        where=ctx.where(df, i),
                        column=c.name,
                        value=raw.iat[i],
                    )
                )
        if not c.numeric:
            continue
        num = pd.to_numeric(raw.where(~blank), errors="coerce")
        bad = (~blank & num.isna()).to_numpy()
        for i in np.flatnonzero(bad):
            out.append(
                Message(
                    "data.not_number",
                    where=ctx.where(df, i),
                    column=c.name,
                    value=raw.iat[i],
                    unit=c.unit,
                )
            )
        vals = num.to_numpy(dtype=float)
        finite = np.isfinite(vals)
        for i in np.flatnonzero(~finite & ~np.isnan(vals)):
            out.append(
                Message("data.not_finite", where=ctx.where(df, i), column=c.name, value=raw.iat[i])
            )
        ok = finite
        if c.minimum is not None:
            for i in np.flatnonzero(ok & (vals < c.minimum)):
                out.append(
                    Message(
                        "data.below_min",
                        where=ctx.where(df, i),
                        column=c.name,
                        minimum=float(c.minimum),
                        value=float(vals[i]),
                        hint=_hint(c.hint),
                    )
                )
        if c.positive:
            for i in np.flatnonzero(ok & (vals == 0)):
                out.append(
                    Message(
                        "data.not_positive",
                        where=ctx.where(df, i),
                        column=c.name,
                        hint=_hint(c.hint),
                    )
                )
        if c.maximum is not None:
            for i in np.flatnonzero(ok & (vals > c.maximum)):
                out.append(
                    Message(
                        "data.above_max",
                        where=ctx.where(df, i),
                        column=c.name,
                        maximum=float(c.maximum),
                        value=float(vals[i]),
                        hint=_hint(c.hint),
                    )
                )
        if c.kind == "int":
            for i in np.flatnonzero(ok & (vals != np.round(vals))):
                out.append(
                    Message(
                        "data.not_whole",
                        where=ctx.where(df, i),
                        column=c.name,
                        value=float(vals[i]),
                    )
                )
    return out


def check_unique_codes(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if "code" not in df:
        return []
    codes = df["code"].astype(str).str.strip()
    dup = codes[codes.duplicated(keep=False) & codes.ne("")]
    out: list[Problem] = []
    for code, rows in dup.groupby(dup).groups.items():
        lines = ", ".join(str(int(r) + ctx.first_row) for r in rows)
        out.append(
            Message(
                "data.duplicate_code",
                source=ctx.source,
                code=code,
                rows_word=f"{ctx.row_word}s",
                rows=lines,
            )
        )
    return out


def check_parents(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if ctx.level != "commune" or "parent" not in df or ctx.known_parents is None:
        return []
    out: list[Problem] = []
    parents = df["parent"].astype(str).str.strip()
    for i in np.flatnonzero(~parents.isin(ctx.known_parents) & parents.ne("")):
        out.append(
            Message(
                "data.unknown_parent",
                where=ctx.where(df, i),
                column="parent",
                parent=parents.iat[i],
                examples=", ".join(sorted(ctx.known_parents)[:4]),
            )
        )
    return out


def check_predecessors(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if "predecessors" not in df:
        return []
    claimed: dict[str, int] = {}
    out: list[Problem] = []
    for i, cell in enumerate(df["predecessors"].astype(str)):
        for p in (x.strip() for x in cell.split(";")):
            if not p:
                continue
            if p in claimed:
                first = claimed[p]
                out.append(
                    Message(
                        "data.predecessor_twice",
                        where=ctx.where(df, i),
                        column="predecessors",
                        old=p,
                        code=df["code"].iat[first],
                        row_word=ctx.row_word,
                        row=first + ctx.first_row,
                    )
                )
            else:
                claimed[p] = i
    return out


#: text columns whose values are categories that rules, coefficients and groupings look up
CATEGORY_COLUMNS = ("region", "type")


def check_categories(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """One spelling per category: 'North' and 'north' (or 'xã' and 'xa') in one column are refused.

    Coefficients, ``where`` selections and the comparison's groups match a category by its
    exact text, so two spellings of one region would silently split it.
    """
    out: list[Problem] = []
    for column in CATEGORY_COLUMNS:
        if column not in df:
            continue
        values = df[column].astype(str).str.strip()
        spellings: dict[str, list[str]] = {}
        for value in values.unique():
            if value:
                spellings.setdefault(fold(value), []).append(value)
        for variants in spellings.values():
            if len(variants) < 2:
                continue
            common, *others = sorted(variants, key=lambda v: (-(values == v).sum(), v))
            for other in others:
                i = int(np.flatnonzero((values == other).to_numpy())[0])
                out.append(
                    Message(
                        "data.category_spellings",
                        where=ctx.where(df, i),
                        column=column,
                        other=other,
                        common=common,
                    )
                )
    return out


def _name_key(name: str) -> str:
    """Names equal up to case, width and spacing (not diacritics: Văn Lang ≠ Văn Lăng)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_unique_names(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """Two units with one name in one province (or one province table) are refused.

    Communes of different provinces share names (555 of the 3,321 bundled communes: seven are
    'Xã Tân Tiến'), so a commune table is checked within each parent. Names that differ only
    in case, width or spacing count as one; names that differ in a diacritic do not (Thái
    Nguyên has both a 'Xã Văn Lang' and a 'Xã Văn Lăng').
    """
    if "name" not in df or "code" not in df:
        return []
    names = df["name"].astype(str).str.strip()
    keys = names.map(_name_key)
    group = (
        df["parent"].astype(str).str.strip() if ctx.level == "commune" and "parent" in df else None
    )
    frame = pd.DataFrame({"key": keys, "group": "" if group is None else group})
    frame = frame[names.ne("").to_numpy()]
    out: list[Problem] = []
    for (_, _), rows in frame.groupby(["group", "key"], sort=False).groups.items():
        if len(rows) < 2:
            continue
        i, j = int(rows[0]), int(rows[1])
        spelled = sorted(set(names.iloc[list(rows)]))
        what: Message | str = (
            f"'{spelled[0]}'"
            if len(spelled) == 1
            else Message("data.names_alike", names=" and ".join(f"'{n}'" for n in spelled))
        )
        inside = (
            Message("data.duplicate_name_inside", province=group.iat[i])
            if group is not None
            else ""
        )
        others = Message("data.duplicate_name_others", n=len(rows) - 2) if len(rows) > 2 else ""
        out.append(
            Message(
                "data.duplicate_name",
                source=ctx.source,
                rows_word=f"{ctx.row_word}s",
                first=i + ctx.first_row,
                second=j + ctx.first_row,
                others=others,
                column="name",
                code1=df["code"].iat[i],
                code2=df["code"].iat[j],
                inside=inside,
                what=what,
            )
        )
    return out


@functools.cache
def _province_names() -> dict[str, str]:
    """The provinces a predecessor may be, by folded name: {fold(name): name as written}.

    The 63 provinces before 1 July 2025 and the 34 after (a further merger in a what-if), each
    by its short and full name (NQ 202/2025/QH15, as bundled).
    """
    old = calibrate.old_provinces()
    new = calibrate.province_units()
    names = [*old["short_name"], *old["name"], *new["short_name"], *new["name"]]
    return {fold(n): n for n in names}


def check_merger_columns(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """Province tables: predecessors spelt as the provinces they name, and counted consistently.

    A predecessor that differs from a province's name only in case, diacritics, width or
    spacing ('Ha Giang') is refused with the official spelling; other names are the user's own
    units (a what-if) and accepted as written. A row that lists predecessors and gives
    eliminated_provinces must have eliminated_provinces = predecessors − 1 (merger support is
    paid per eliminated province); a blank eliminated_provinces is derived from the list.
    """
    if ctx.level != "province" or "predecessors" not in df:
        return []
    known = _province_names()
    elim = None
    if "eliminated_provinces" in df:
        elim = pd.to_numeric(df["eliminated_provinces"].astype(str).str.strip(), errors="coerce")
    out: list[Problem] = []
    for i, cell in enumerate(df["predecessors"].astype(str)):
        preds = [p.strip() for p in cell.split(";") if p.strip()]
        for p in preds:
            meant = known.get(fold(p))
            if meant is not None and meant != p and p not in known.values():
                out.append(
                    Message(
                        "data.predecessor_spelling",
                        where=ctx.where(df, i),
                        column="predecessors",
                        old=p,
                        meant=meant,
                    )
                )
        if (
            preds
            and elim is not None
            and not np.isnan(elim.iat[i])
            and elim.iat[i] != len(preds) - 1
        ):
            out.append(
                Message(
                    "data.eliminated_mismatch",
                    where=ctx.where(df, i),
                    column="eliminated_provinces",
                    value=float(elim.iat[i]),
                    n=len(preds),
                    expected=len(preds) - 1,
                )
            )
    return out


def _numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(df[col].astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)


def check_revenue_kinds(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """The revenue kinds sum to revenue on territory, and B + C to own revenue (to 1 million)."""
    out: list[Problem] = []
    kinds = [c for c in schema.REVENUE_KINDS if c in df]
    if "revenue_on_territory" in df and len(kinds) == len(schema.REVENUE_KINDS):
        total = _numbers(df, "revenue_on_territory")
        parts = np.sum([_numbers(df, c) for c in kinds], axis=0)
        for i in np.flatnonzero(
            np.isfinite(total) & np.isfinite(parts) & (np.abs(parts - total) > 1)
        ):
            out.append(
                Message(
                    "data.revenue_kinds_sum",
                    where=ctx.where(df, i),
                    kinds=", ".join(kinds),
                    parts=float(parts[i]),
                    total=float(total[i]),
                )
            )
    if {"own_revenue", "revenue_local", "revenue_shared"} <= set(df.columns):
        own = _numbers(df, "own_revenue")
        bc = _numbers(df, "revenue_local") + _numbers(df, "revenue_shared")
        for i in np.flatnonzero(np.isfinite(own) & np.isfinite(bc) & (np.abs(own - bc) > 1)):
            out.append(
                Message(
                    "data.own_revenue_sum",
                    where=ctx.where(df, i),
                    own=float(own[i]),
                    bc=float(bc[i]),
                )
            )
    return out


CHECKS: tuple[Check, ...] = (
    check_not_empty,
    check_required_columns,
    check_numbers,
    check_unique_codes,
    check_unique_names,
    check_categories,
    check_parents,
    check_predecessors,
    check_merger_columns,
    check_revenue_kinds,
)


def _cell(value: Any) -> Any:
    """A cell in the one text form; a missing value (None, NaN, NA) is an empty cell, as in a file."""
    if isinstance(value, str):
        return clean(value)
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    return value


def problems_message(source: str, problems: list[Problem]) -> Message:
    """All of a table's problems in one message (at most :data:`MAX_PROBLEMS` shown)."""
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    return Message(
        "data.problems",
        source=source,
        n=len(problems),
        problems=shown,
        more=Message("data.problems_more", n=more) if more else "",
    )


def validate_units(
    frame: pd.DataFrame,
    source: str,
    level: Level = "province",
    *,
    first_row: int = 2,
    row_word: str = "row",
    known_parents: set[str] | None = None,
    problems: Sequence[Problem] = (),
    blanked: set[tuple[int, str]] | None = None,
) -> pd.DataFrame:
    """Check ``frame`` against the schema; return it typed and sorted by code, or raise DataError
    listing every problem: the reader's (``problems``: cells it refused and ``blanked``), then
    the checks'."""
    # the one text form (fiscal.textform) for headers and text cells, as read_table gives them
    frame = frame.rename(columns=lambda c: clean(str(c)).strip())
    frame = frame.map(_cell)
    ctx = _Ctx(source, level, first_row, row_word, known_parents, set(blanked or ()))
    problems = list(problems)
    for check in CHECKS:
        found = check(frame, ctx)
        problems += found
        if found and check is check_not_empty:
            break  # no units: nothing else to check
        if check is check_required_columns and frame.columns.duplicated().any():
            break  # a column given twice: its cells cannot be told apart
    if problems:
        raise DataError(problems_message(source, problems))
    out = frame.copy()
    for c in schema.columns_for(level):
        if c.name not in out.columns:
            continue
        if c.numeric:
            out[c.name] = pd.to_numeric(out[c.name].astype(str).str.strip().replace("", np.nan))
            out[c.name] = out[c.name].astype(float)
        else:
            out[c.name] = out[c.name].astype(str).str.strip()
    if "predecessors" in out.columns:
        listed = out["predecessors"].map(lambda c: sum(1 for p in c.split(";") if p.strip()))
    else:
        listed = pd.Series(0, index=out.index)
    if level == "province":
        # a province that lists n predecessors eliminated n − 1 provinces (as in the bundled
        # data); derived wherever eliminated_provinces is absent or blank
        derived = (listed - 1).clip(lower=0).astype(float)
        if "eliminated_provinces" in out.columns:
            out["eliminated_provinces"] = out["eliminated_provinces"].fillna(derived)
        else:
            out["eliminated_provinces"] = derived
    defaults = {
        "communes": 1.0 if level == "commune" else 0.0,
        "eliminated_provinces": 0.0,
        "eliminated_communes": 0.0,
        "predecessors": "",
        "estimated": "",
    }
    for col, value in defaults.items():
        if col not in out.columns:
            out[col] = value
        elif out[col].dtype == float:
            out[col] = out[col].fillna(value)
    if "merged" not in out.columns:
        # merged: two or more predecessors, or (predecessors not known) eliminated provinces
        merged = (listed > 1) | (
            (out["eliminated_provinces"] > 0) if level == "province" else False
        )
        out["merged"] = np.where(merged, "yes", "no")
    return out.sort_values("code", kind="stable").reset_index(drop=True)
