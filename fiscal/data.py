"""Unit tables: :class:`UnitTable`, the bundled datasets, loading a file, templates.

A unit table has one row per unit that receives an allocation; its columns are declared in
:mod:`fiscal.schema`. :func:`load_units` reads a file with :mod:`fiscal.tablefile` and validates
it with :mod:`fiscal.checks` (every check a small ``check_*`` function; a table with problems is
refused with all of them listed: file, row and unit, column, rule). This module is the unit
tables' API: the reading and checking functions are importable from here too.
"""

from __future__ import annotations

import difflib
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from fiscal import calibrate, schema
from fiscal._io import atomic_write
from fiscal.checks import (
    Level,
    check_categories,
    check_merger_columns,
    check_not_empty,
    check_numbers,
    check_parents,
    check_predecessors,
    check_required_columns,
    check_revenue_kinds,
    check_unique_codes,
    check_unique_names,
    validate_units,
)
from fiscal.errors import DataError, ModelError
from fiscal.prose.messages import Message
from fiscal.tablefile import MAX_FILE_BYTES, MAX_XLSX_UNPACKED, read_cells, read_table
from fiscal.textform import fold

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNPACKED",
    "UnitTable",
    "bundled_units",
    "check_categories",
    "check_coefficient_keys",
    "check_merger_columns",
    "check_not_empty",
    "check_numbers",
    "check_parents",
    "check_predecessors",
    "check_required_columns",
    "check_revenue_kinds",
    "check_unique_codes",
    "check_unique_names",
    "load_units",
    "normalise_code",
    "read_table",
    "template_bytes",
    "validate_units",
    "write_template",
    "zero_need_message",
]


#: data hashes by table content (see :meth:`UnitTable.data_hash`)
_HASHES: dict[tuple[Any, ...], str] = {}


def _content_key(frame: pd.DataFrame) -> tuple[Any, ...]:
    """What a table's CSV is a function of: its columns, their dtypes, where values are
    missing, and a 64-bit hash of each row's values (pandas' ``hash_pandas_object``), the
    last two digested with BLAKE2b. Tables with the same key write the same CSV."""
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    missing = frame.isna().to_numpy()
    digest = hashlib.blake2b(rows.tobytes(), digest_size=32)
    digest.update(np.packbits(missing).tobytes())
    return (
        tuple(map(str, frame.columns)),
        tuple(map(str, frame.dtypes)),
        frame.shape,
        digest.hexdigest(),
    )


@dataclass(frozen=True)
class UnitTable:
    """A validated unit table (sorted by code) and where it came from."""

    frame: pd.DataFrame
    level: Level
    source: str
    population_basis: str = "as supplied"
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: where each unit stands in its file ({code: 5} with row_word "line"); empty for bundled
    #: tables and tables built in memory
    rows: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    row_word: str = "row"

    @property
    def codes(self) -> np.ndarray:
        return self.frame["code"].to_numpy()

    @property
    def estimated_columns(self) -> list[str]:
        """Columns that hold illustrative (estimated) figures in at least one row."""
        if "estimated" not in self.frame:
            return []
        cols: set[str] = set()
        for cell in self.frame["estimated"].dropna().unique():
            cols.update(c.strip() for c in str(cell).split(";") if c.strip())
        return sorted(cols)

    @property
    def illustrative(self) -> bool:
        """True when any figure of the table is illustrative, not official."""
        return bool(self.estimated_columns)

    def data_hash(self) -> str:
        """SHA-256 of the table's canonical CSV (the provenance of a result).

        Written out and hashed once per content (:func:`_content_key`): writing the CSV of
        the 3,321 communes took 0.04 s of every commune run, which the app repeats on each
        setting change with the same table."""
        key = _content_key(self.frame)
        digest = _HASHES.get(key)
        if digest is None:
            digest = hashlib.sha256(self.frame.to_csv(index=False).encode("utf-8")).hexdigest()
            if len(_HASHES) >= 64:
                _HASHES.clear()
            _HASHES[key] = digest
        return digest

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def file(self) -> str:
        """The table's file name for messages ('c68.csv'), or its bundled name."""
        return self.source if self.source.startswith("bundled:") else Path(self.source).name

    def locate(self, codes: Sequence[str], limit: int = 5) -> Message:
        """Where units are, for messages: 'c68.csv, lines 3, 9 (units 23134, 23188)'."""
        codes = [str(c) for c in codes]
        shown = codes[:limit]
        plural = "s" if len(codes) > 1 else ""
        more = Message("data.and_more", n=len(codes) - limit) if len(codes) > limit else ""
        where = {"file": self.file, "units_word": f"unit{plural}", "codes": ", ".join(shown)}
        if shown and all(c in self.rows for c in shown):
            return Message(
                "data.at_rows",
                **where,
                rows_word=f"{self.row_word}{plural}",
                rows=", ".join(str(self.rows[c]) for c in shown),
                ellipsis=", …" if more else "",
                more=more,
            )
        return Message("data.at_units", **where, more=more)


# --------------------------------------------------------------------------- bundled datasets


def bundled_units(level: Level = "province", province: str | None = None) -> UnitTable:
    """The bundled national dataset: the 34 provinces, or the communes (of one province)."""
    if level == "province":
        frame = calibrate.province_units()
        return UnitTable(
            frame,
            "province",
            "bundled:provinces",
            calibrate.POPULATION_BASIS,
            (
                "baseline, own_revenue, retention and the A/B/C split of revenue are illustrative "
                "(estimated); revenue on territory is real (NQ 246/2025/QH15)",
            ),
        )
    if province is not None:
        province = normalise_code(province, width=2)
        known = set(calibrate.province_units()["code"])
        if province not in known:
            raise DataError(
                Message("data.no_province", code=province, codes=", ".join(sorted(known)))
            )
    frame = calibrate.commune_units(province)
    return UnitTable(
        frame,
        "commune",
        f"bundled:communes{'' if province is None else ':' + province}",
        "illustrative split of the province's NSO 2024 average population",
        ("commune population, area and fiscal figures are illustrative (estimated)",),
    )


def normalise_code(code: str | int, width: int) -> str:
    """'8' → '08' for numeric codes of the given width; other codes are returned stripped."""
    text = str(code).strip()
    return text.zfill(width) if text.isdigit() and len(text) < width else text


def load_units(
    path: str | Path,
    level: Level = "province",
    *,
    data: bytes | None = None,
    known_parents: set[str] | None = None,
) -> UnitTable:
    """Load and validate a unit table from a CSV or XLSX file (or its bytes)."""
    path = Path(path)
    cells = read_cells(path, data=data)  # every problem of the file and the table at once
    frame, first_row = cells.frame, cells.first_row
    if level == "commune" and known_parents is None:
        known_parents = set(calibrate.province_units()["code"])
    row_word = "line" if path.suffix.lower() == ".csv" else "row"
    rows = {str(c).strip(): i + first_row for i, c in enumerate(frame.get("code", []))}
    frame = validate_units(
        frame,
        path.name,
        level,
        first_row=first_row,
        row_word=row_word,
        known_parents=known_parents,
        problems=cells.problems,
        blanked=cells.blanked,
    )
    return UnitTable(frame, level, str(path), rows=rows, row_word=row_word)


#: how alike (difflib ratio) an unused coefficient key and a value without a key must be for
#: the key to count as a typo of the value: a slipped letter in 'Mekong River Delta' is 0.97;
#: distinct real names stay below ('Đồng bằng sông Hồng' / '… Cửu Long' 0.81, 'Quảng Ninh' /
#: 'Quảng Ngãi' 0.80, 'Red River Delta' / 'Mekong River Delta' 0.79)
TYPO_CUTOFF = 0.85


def check_coefficient_keys(units: UnitTable, criteria: Sequence[Any]) -> None:
    """Coefficient keys against the table's values: a near miss is refused, not defaulted.

    A unit whose value (its region, type, ...) is not a key gets ``default_coefficient``; that
    is right for a value the scenario means to leave at the default, and silently wrong for a
    value that was meant to match a key and does not quite (``'Xã'`` or ``'xa'`` for ``'xã'``,
    a full-width letter, a double space). So a value without a key that folds
    (:func:`fiscal.textform.fold`) to the same text as a key is refused (ModelError), and so is a
    key that matches no unit while it folds like a value of the table or is close to a value
    that has no key (a typo, :data:`TYPO_CUTOFF`). Other keys that match nothing are accepted:
    a scenario may list regions of other provinces.
    """
    frame = units.frame
    for k, c in enumerate(criteria):
        if not c.coefficients or c.by not in frame.columns:
            continue  # no lookup, or an unknown column (needs.criterion_amounts says so)
        values = frame[c.by].astype(str)
        keys = {str(key) for key in c.coefficients}
        folded: dict[str, list[str]] = {}
        for key in keys:
            folded.setdefault(fold(key), []).append(key)
        where = Message("data.coefficients_where", k=k, indicator=c.indicator, by=c.by)
        for value, idx in values.groupby(values, sort=True).groups.items():
            near = [key for key in folded.get(fold(str(value)), []) if key != value]
            if value in keys or not near:
                continue
            codes = frame["code"].iloc[list(idx)].astype(str).tolist()
            raise ModelError(
                Message(
                    "data.coefficient_unkeyed",
                    where=where,
                    at=units.locate(codes),
                    by=c.by,
                    value=value,
                    default=float(c.default_coefficient),
                    key=near[0],
                )
            )
        present = set(values)
        uncovered = sorted(present - keys)
        for key in sorted(keys - present):
            near = sorted(v for v in present if fold(v) == fold(key))
            if near:
                raise ModelError(
                    Message(
                        "data.coefficient_key_lookalike",
                        where=where,
                        key=key,
                        file=units.file,
                        value=near[0],
                        by=c.by,
                    )
                )
            # a key that matches nothing while a value close to it gets the default: a typo
            close = difflib.get_close_matches(key, uncovered, n=1, cutoff=TYPO_CUTOFF)
            if close:
                codes = frame["code"].astype(str)[values == close[0]].tolist()
                raise ModelError(
                    Message(
                        "data.coefficient_key_typo",
                        where=where,
                        key=key,
                        file=units.file,
                        at=units.locate(codes),
                        by=c.by,
                        value=close[0],
                        default=float(c.default_coefficient),
                    )
                )


def zero_need_message(units: UnitTable, zero: np.ndarray, criteria: Sequence[Any]) -> Message:
    """Why units have no assessed need: the table's rows and the columns that are 0 there."""
    frame = units.frame
    codes = frame["code"].astype(str).to_numpy()[zero].tolist()
    first = int(np.flatnonzero(zero)[0])
    parts = []
    for c in criteria:
        if c.indicator not in frame.columns:
            continue
        coefficient: Message | str = ""
        if c.coefficients and c.by in frame.columns:
            value = str(frame[c.by].iat[first])
            coefficient = Message(
                "data.zero_need_coefficient",
                coefficient=float(c.coefficients.get(value, c.default_coefficient)),
                by=c.by,
                value=value,
            )
        parts.append(
            Message(
                "data.zero_need_part",
                column=c.indicator,
                value=float(frame[c.indicator].iat[first]),
                rate=float(c.rate),
                coefficient=coefficient,
            )
        )
    return Message(
        "data.zero_need",
        at=units.locate(codes),
        parts=parts,
        code=codes[0],
        indicators=", ".join(dict.fromkeys(c.indicator for c in criteria)),
    )


# --------------------------------------------------------------------------- templates


def _template_frame(level: Level, prefilled: bool, province: str | None) -> pd.DataFrame:
    cols = [c.name for c in schema.columns_for(level)]
    if not prefilled:
        return pd.DataFrame(columns=cols)
    table = bundled_units(level, province)
    return table.frame.reindex(columns=cols)


def template_bytes(
    fmt: Literal["csv", "xlsx"],
    level: Level = "province",
    *,
    prefilled: bool = False,
    province: str | None = None,
) -> bytes:
    """A template unit table as CSV or XLSX bytes (empty, or pre-filled with the bundled data)."""
    frame = _template_frame(level, prefilled, province)
    if fmt == "csv":
        return ("\ufeff" + frame.to_csv(index=False)).encode("utf-8")  # a BOM: Excel reads UTF-8
    if fmt != "xlsx":
        raise DataError(Message("data.template_format", fmt=fmt))
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    ws = wb.add_worksheet("units")
    specs = {c.name: c for c in schema.columns_for(level)}
    for j, col in enumerate(frame.columns):
        ws.write(0, j, col, head)
        c = specs[col]
        ws.write_comment(
            0,
            j,
            f"{c.description}. Unit: {c.unit or 'text'}. "
            f"{'Required.' if c.required else 'Optional.'}",
        )
        ws.set_column(j, j, max(12, len(col) + 2))
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            if isinstance(value, float) and np.isnan(value):
                continue
            ws.write(i, j, value)
    ws.freeze_panes(1, 0)
    readme = wb.add_worksheet("README")
    readme.write_row(
        0, 0, ["column", "type", "unit", "required", "minimum", "maximum", "description"], head
    )
    for i, c in enumerate(schema.columns_for(level), start=1):
        readme.write_row(
            i,
            0,
            [
                c.name,
                c.kind,
                c.unit,
                "yes" if c.required else "no",
                "" if c.minimum is None else f"> {c.minimum:g}" if c.positive else c.minimum,
                "" if c.maximum is None else c.maximum,
                c.description,
            ],
        )
    n = len(specs) + 2
    readme.write(
        n,
        0,
        "Fill the 'units' sheet with values only (no formulas, no merged cells). "
        "Money is in million VND (triệu đồng). Clear the 'estimated' column for "
        "figures that are official.",
    )
    if prefilled:
        readme.write(
            n + 1,
            0,
            "Pre-filled with the bundled dataset: the figures named in the "
            "'estimated' column are ILLUSTRATIVE, not official.",
        )
    readme.set_column(0, 0, 22)
    readme.set_column(6, 6, 90)
    wb.close()
    return buf.getvalue()


def write_template(
    path: str | Path,
    level: Level = "province",
    *,
    prefilled: bool = False,
    province: str | None = None,
) -> Path:
    """Write a template unit table; the format follows the suffix (.csv or .xlsx)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise DataError(Message("data.template_suffix", path=str(path)))
    kind: Literal["csv", "xlsx"] = "csv" if fmt == "csv" else "xlsx"
    return atomic_write(path, template_bytes(kind, level, prefilled=prefilled, province=province))
