"""Unit tables: the bundled datasets, CSV/XLSX loading, validation and templates.

A unit table has one row per unit that receives an allocation; its columns are declared in
:mod:`fiscal.schema`. Every check is a small ``check_*`` function that returns problems; a table
with problems is refused with all of them listed (file, row and unit, column, rule).
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from fiscal import calibrate, schema
from fiscal._io import atomic_write
from fiscal.errors import DataError, ModelError
from fiscal.textform import clean, fold, path_forms

__all__ = [
    "MAX_FILE_BYTES",
    "UnitTable",
    "bundled_units",
    "check_categories",
    "check_coefficient_keys",
    "check_merger_columns",
    "check_not_empty",
    "check_numbers",
    "check_parents",
    "check_predecessors",
    "check_revenue_kinds",
    "check_required_columns",
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

Level = Literal["province", "commune"]
MAX_FILE_BYTES = 20 * 1024 * 1024  # a unit table of every commune is < 1 MB
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_PROBLEMS = 25


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
        """SHA-256 of the table's canonical CSV (the provenance of a result)."""
        return hashlib.sha256(self.frame.to_csv(index=False).encode("utf-8")).hexdigest()

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def file(self) -> str:
        """The table's file name for messages ('c68.csv'), or its bundled name."""
        return self.source if self.source.startswith("bundled:") else Path(self.source).name

    def locate(self, codes: Sequence[str], limit: int = 5) -> str:
        """Where units are, for messages: 'c68.csv, lines 3, 9 (units 23134, 23188)'."""
        codes = [str(c) for c in codes]
        shown = codes[:limit]
        many = len(codes) > 1
        more = f" and {len(codes) - limit} more" if len(codes) > limit else ""
        name = self.file
        units = f"unit{'s' if many else ''} {', '.join(shown)}{more}"
        if shown and all(c in self.rows for c in shown):
            rows = ", ".join(str(self.rows[c]) for c in shown)
            return f"{name}, {self.row_word}{'s' if many else ''} {rows}{', …' if more else ''} ({units})"
        return f"{name}, {units}"


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
                f"no province with code '{province}' in the bundled dataset; "
                f"codes: {', '.join(sorted(known))}"
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


# --------------------------------------------------------------------------- reading files


def read_table(path: str | Path, *, data: bytes | None = None) -> tuple[pd.DataFrame, int]:
    """Read a CSV or XLSX file as text cells; returns the frame and the file row of its row 0.

    ``data`` gives the file's bytes directly (uploads); ``path`` then only names it.
    """
    path = Path(path)
    name = path.name
    if data is None:
        path = next((p for p in path_forms(path) if p.is_file()), path)
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(_too_big(name, size))
        data = path.read_bytes()
    elif len(data) > MAX_FILE_BYTES:
        raise DataError(_too_big(name, len(data)))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(name, data), 2
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data), 2
    raise DataError(f"{name}: unsupported file type '{suffix or '(none)'}'; use .csv or .xlsx")


_MB = 1024 * 1024


def _too_big(name: str, size: int) -> str:
    return (
        f"{name}: file is {size:,} bytes ({size / _MB:.1f} MB), above the "
        f"{MAX_FILE_BYTES / _MB:.0f} MB limit for unit tables; a table of every commune is "
        "under 1 MB, so check the file"
    )


def _read_csv(name: str, data: bytes) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "save the file as 'CSV UTF-8' and try again"
        ) from None
    if not text.strip():
        raise DataError(f"{name}: the file is empty; it needs a header row and one row per unit")
    # the csv module, not pandas: pandas renames duplicate headers ('code.1') and turns extra
    # fields into an index, silently shifting every column of a ragged row
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            row = [clean(cell) for cell in row]  # the one text form (fiscal.textform)
            if not any(cell.strip() for cell in row):
                continue  # blank line
            lines.append(reader.line_num)
            if rows and len(row) > len(rows[0]):
                raise DataError(
                    f"{name}, line {reader.line_num}: {len(row)} fields but the header has "
                    f"{len(rows[0])}; check for an extra comma (a decimal comma or thousands "
                    "separator?) or quote text that contains commas"
                )
            rows.append(row)
    except csv.Error as exc:
        raise DataError(
            f"{name}, line {reader.line_num}: not a readable CSV table ({exc}); check the quotes"
        ) from None
    if not rows:
        raise DataError(
            f"{name}: the file has no header row (only blank lines or commas); it "
            "needs a header row and one row per unit"
        )
    header = [h.strip() for h in rows[0]]
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
    for j, h in enumerate(header):
        for r, line in zip(body, lines[1:], strict=True):
            if r[j].lstrip().startswith("="):
                raise DataError(
                    f"{name}, line {line}, column '{h}': '{r[j][:40]}' starts with '=' (a "
                    "spreadsheet formula); unit tables hold values only"
                )
    return pd.DataFrame(body, columns=header, dtype=str)


def _read_xlsx(name: str, data: bytes) -> pd.DataFrame:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise DataError("refusing to read XLSX without defusedxml installed")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise DataError(f"{name}: not a valid .xlsx file (it is not a zip archive)") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise DataError(
            f"{name}: unpacks to {unpacked / _MB:.0f} MB, above the "
            f"{MAX_XLSX_UNPACKED / _MB:.0f} MB limit; it is not a plain unit table"
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # openpyxl raises many types for broken or hostile files
        hostile = _defused_cause(exc)
        if hostile is not None:
            raise DataError(
                f"{name}: refused: the workbook's XML declares entities or a DTD "
                f"({type(hostile).__name__}), which a unit table never needs (an XML bomb or "
                "external-entity attack); save a fresh copy from Excel or LibreOffice"
            ) from None
        raise DataError(f"{name}: cannot read the workbook ({type(exc).__name__}: {exc})") from None
    sheets = wb.sheetnames
    if "units" in sheets:
        ws = wb["units"]
    elif len(sheets) == 1:
        ws = wb[sheets[0]]
    else:
        raise DataError(
            f"{name}: the workbook has sheets {sheets} and none is named 'units'; put the unit "
            "table on a sheet named 'units' (the template does)"
        )
    if ws.merged_cells.ranges:
        ranges = ", ".join(str(r) for r in list(ws.merged_cells.ranges)[:5])
        raise DataError(
            f"{name}, sheet '{ws.title}': merged cells ({ranges}); unmerge them so that every "
            "unit has one row and every column one header"
        )
    rows: list[list[str]] = []
    for row in ws.iter_rows():
        cells = []
        for cell in row:
            if cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith("=")
            ):
                raise DataError(
                    f"{name}, sheet '{ws.title}', cell {cell.coordinate}: holds a formula "
                    f"({str(cell.value)[:40]}); paste values only (Paste Special → Values)"
                )
            text = "" if cell.value is None else clean(_cell_text(cell.value))
            if text.startswith("="):  # a formula behind a zero-width or control character
                raise DataError(
                    f"{name}, sheet '{ws.title}', cell {cell.coordinate}: holds a formula "
                    f"({text[:40]}); paste values only (Paste Special → Values)"
                )
            cells.append(text)
        rows.append(cells)
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise DataError(f"{name}, sheet '{ws.title}': the sheet is empty")
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    body = [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def _defused_cause(exc: BaseException) -> BaseException | None:
    """The defusedxml refusal behind an openpyxl error, if there is one."""
    from defusedxml import DefusedXmlException

    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, DefusedXmlException):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- validation

Problem = str
Check = Callable[[pd.DataFrame, "_Ctx"], list[Problem]]


@dataclass
class _Ctx:
    source: str
    level: Level
    first_row: int  # file row number of frame row 0
    row_word: str
    known_parents: set[str] | None

    def where(self, frame: pd.DataFrame, i: int | np.integer) -> str:
        code = frame["code"].iat[i] if "code" in frame else ""
        unit = f" (unit {code})" if str(code).strip() else ""
        return f"{self.source}, {self.row_word} {i + self.first_row}{unit}"


def check_not_empty(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if len(df) == 0:
        return [f"{ctx.source}: the table has a header but no units; add one row per unit"]
    return []


def check_required_columns(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    out = []
    for c in schema.columns_for(ctx.level):
        if c.required and c.name not in df.columns:
            close = difflib.get_close_matches(c.name, [str(x) for x in df.columns], n=1)
            hint = f" (did you mean to name '{close[0]}' '{c.name}'?)" if close else ""
            out.append(
                f"{ctx.source}: missing required column '{c.name}' ({c.description}, "
                f"{c.unit or 'text'}){hint}"
            )
    dupes = df.columns[df.columns.duplicated()].tolist()
    if dupes:
        out.append(f"{ctx.source}: column(s) {dupes} appear more than once; keep one of each")
    return out


def check_numbers(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """Text in number columns, missing required values, bounds, NaN/inf, integers."""
    out = []
    for c in schema.columns_for(ctx.level):
        if c.name not in df.columns:
            continue
        raw = df[c.name].astype(str).str.strip()
        blank = raw.eq("") | raw.str.lower().isin(["nan", "none", "null"])
        if c.required:
            for i in np.flatnonzero(blank.to_numpy()):
                said = f" ('{raw.iat[i]}' counts as missing)" if raw.iat[i] else ""
                out.append(
                    f"{ctx.where(df, i)}, column '{c.name}': value is missing{said}; this "
                    "column is required"
                )
        if not c.numeric:
            continue
        num = pd.to_numeric(raw.where(~blank), errors="coerce")
        bad = (~blank & num.isna()).to_numpy()
        for i in np.flatnonzero(bad):
            out.append(
                f"{ctx.where(df, i)}, column '{c.name}': '{raw.iat[i]}' is not a number "
                f"({c.unit}); write plain digits with '.' as the decimal point and no "
                "thousands separators"
            )
        vals = num.to_numpy(dtype=float)
        finite = np.isfinite(vals)
        for i in np.flatnonzero(~finite & ~np.isnan(vals)):
            out.append(
                f"{ctx.where(df, i)}, column '{c.name}': {raw.iat[i]} is not a finite number"
            )
        ok = finite
        if c.minimum is not None:
            for i in np.flatnonzero(ok & (vals < c.minimum)):
                out.append(
                    f"{ctx.where(df, i)}, column '{c.name}': must be ≥ {c.minimum:g} "
                    f"(got {vals[i]:g}){'; ' + c.hint if c.hint else ''}"
                )
        if c.positive:
            for i in np.flatnonzero(ok & (vals == 0)):
                out.append(
                    f"{ctx.where(df, i)}, column '{c.name}': must be above 0 (got 0)"
                    f"{'; ' + c.hint if c.hint else ''}"
                )
        if c.maximum is not None:
            for i in np.flatnonzero(ok & (vals > c.maximum)):
                out.append(
                    f"{ctx.where(df, i)}, column '{c.name}': must be ≤ {c.maximum:g} "
                    f"(got {vals[i]:g}){'; ' + c.hint if c.hint else ''}"
                )
        if c.kind == "int":
            for i in np.flatnonzero(ok & (vals != np.round(vals))):
                out.append(
                    f"{ctx.where(df, i)}, column '{c.name}': must be a whole number (got {vals[i]:g})"
                )
    return out


def check_unique_codes(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if "code" not in df:
        return []
    codes = df["code"].astype(str).str.strip()
    dup = codes[codes.duplicated(keep=False) & codes.ne("")]
    out = []
    for code, rows in dup.groupby(dup).groups.items():
        lines = ", ".join(str(int(r) + ctx.first_row) for r in rows)
        out.append(
            f"{ctx.source}: code '{code}' appears on {ctx.row_word}s {lines}; codes must be unique"
        )
    return out


def check_parents(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if ctx.level != "commune" or "parent" not in df or ctx.known_parents is None:
        return []
    out = []
    parents = df["parent"].astype(str).str.strip()
    for i in np.flatnonzero(~parents.isin(ctx.known_parents) & parents.ne("")):
        out.append(
            f"{ctx.where(df, i)}, column 'parent': unknown province '{parents.iat[i]}'; "
            f"parents must be province codes such as {', '.join(sorted(ctx.known_parents)[:4])}"
        )
    return out


def check_predecessors(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    if "predecessors" not in df:
        return []
    claimed: dict[str, int] = {}
    out = []
    for i, cell in enumerate(df["predecessors"].astype(str)):
        for p in (x.strip() for x in cell.split(";")):
            if not p:
                continue
            if p in claimed:
                first = claimed[p]
                out.append(
                    f"{ctx.where(df, i)}, column 'predecessors': '{p}' is already a predecessor of "
                    f"unit {df['code'].iat[first]} ({ctx.row_word} {first + ctx.first_row}); an old "
                    "unit can merge into only one new unit"
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
    out = []
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
                    f"{ctx.where(df, i)}, column '{column}': '{other}' and '{common}' are one "
                    "value spelt two ways (case, width, spacing or diacritics); coefficients, "
                    f"rules and groups would treat them as two: write '{common}' (or correct "
                    f"the other rows) so that each {column} has one spelling"
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
    out = []
    for (_, _), rows in frame.groupby(["group", "key"], sort=False).groups.items():
        if len(rows) < 2:
            continue
        i, j = int(rows[0]), int(rows[1])
        spelled = sorted(set(names.iloc[list(rows)]))
        what = (
            f"'{spelled[0]}'"
            if len(spelled) == 1
            else " and ".join(f"'{n}'" for n in spelled)
            + " (differing only in case, width or spacing)"
        )
        inside = f" of province '{group.iat[i]}'" if group is not None else ""
        others = f" and {len(rows) - 2} more" if len(rows) > 2 else ""
        out.append(
            f"{ctx.source}, {ctx.row_word}s {i + ctx.first_row} and {j + ctx.first_row}{others}, "
            f"column 'name': units {df['code'].iat[i]} and {df['code'].iat[j]}{inside} are both "
            f"named {what}; one name for two codes in one province is one unit entered twice "
            "or a wrong name: remove the extra row or correct the name"
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
    out = []
    for i, cell in enumerate(df["predecessors"].astype(str)):
        preds = [p.strip() for p in cell.split(";") if p.strip()]
        for p in preds:
            meant = known.get(fold(p))
            if meant is not None and meant != p and p not in known.values():
                out.append(
                    f"{ctx.where(df, i)}, column 'predecessors': '{p}' is spelt differently from "
                    f"the province '{meant}' (NQ 202/2025/QH15); write '{meant}'"
                )
        if (
            preds
            and elim is not None
            and not np.isnan(elim.iat[i])
            and elim.iat[i] != len(preds) - 1
        ):
            out.append(
                f"{ctx.where(df, i)}, column 'eliminated_provinces': {elim.iat[i]:g} does not match "
                f"the {len(preds)} predecessor(s) listed (expected {len(preds) - 1}); correct one "
                "of the two, or leave eliminated_provinces blank to derive it"
            )
    return out


def _numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(df[col].astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)


def check_revenue_kinds(df: pd.DataFrame, ctx: _Ctx) -> list[Problem]:
    """The revenue kinds sum to revenue on territory, and B + C to own revenue (to 1 million)."""
    out = []
    kinds = [c for c in schema.REVENUE_KINDS if c in df]
    if "revenue_on_territory" in df and len(kinds) == len(schema.REVENUE_KINDS):
        total = _numbers(df, "revenue_on_territory")
        parts = np.sum([_numbers(df, c) for c in kinds], axis=0)
        for i in np.flatnonzero(
            np.isfinite(total) & np.isfinite(parts) & (np.abs(parts - total) > 1)
        ):
            out.append(
                f"{ctx.where(df, i)}: the revenue kinds ({', '.join(kinds)}) sum to {parts[i]:,.0f} "
                f"but revenue_on_territory is {total[i]:,.0f} million VND; they must add up"
            )
    if {"own_revenue", "revenue_local", "revenue_shared"} <= set(df.columns):
        own = _numbers(df, "own_revenue")
        bc = _numbers(df, "revenue_local") + _numbers(df, "revenue_shared")
        for i in np.flatnonzero(np.isfinite(own) & np.isfinite(bc) & (np.abs(own - bc) > 1)):
            out.append(
                f"{ctx.where(df, i)}: own_revenue is {own[i]:,.0f} but revenue_local + "
                f"revenue_shared (B + C) is {bc[i]:,.0f} million VND; own revenue is B + C"
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


def validate_units(
    frame: pd.DataFrame,
    source: str,
    level: Level = "province",
    *,
    first_row: int = 2,
    row_word: str = "row",
    known_parents: set[str] | None = None,
) -> pd.DataFrame:
    """Check ``frame`` against the schema; return it typed and sorted by code, or raise DataError."""
    # the one text form (fiscal.textform) for headers and text cells, as read_table gives them
    frame = frame.rename(columns=lambda c: clean(str(c)).strip())
    frame = frame.map(_cell)
    ctx = _Ctx(source, level, first_row, row_word, known_parents)
    problems: list[str] = []
    for check in CHECKS:
        problems += check(frame, ctx)
        if problems and check in (check_not_empty, check_required_columns):
            break
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        tail = f"\n  … and {more} more" if more else ""
        raise DataError(
            f"{source}: {len(problems)} problem(s) in the unit table:\n  "
            + "\n  ".join(shown)
            + tail
        )
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


def load_units(
    path: str | Path,
    level: Level = "province",
    *,
    data: bytes | None = None,
    known_parents: set[str] | None = None,
) -> UnitTable:
    """Load and validate a unit table from a CSV or XLSX file (or its bytes)."""
    path = Path(path)
    frame, first_row = read_table(path, data=data)
    if level == "commune" and known_parents is None:
        known_parents = set(calibrate.province_units()["code"])
    row_word = "line" if path.suffix.lower() == ".csv" else "row"
    rows = {str(c).strip(): i + first_row for i, c in enumerate(frame.get("code", []))}
    frame = validate_units(
        frame, path.name, level, first_row=first_row, row_word=row_word, known_parents=known_parents
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
        where = f"need.criteria[{k}] ('{c.indicator}') coefficients by '{c.by}'"
        for value, idx in values.groupby(values, sort=True).groups.items():
            near = [key for key in folded.get(fold(str(value)), []) if key != value]
            if value in keys or not near:
                continue
            codes = frame["code"].iloc[list(idx)].astype(str).tolist()
            raise ModelError(
                f"{where}: {units.locate(codes)}, column '{c.by}': '{value}' has no coefficient "
                f"(it would get default_coefficient {c.default_coefficient:g}) but looks like "
                f"the key '{near[0]}', differing in case, width, spacing or diacritics; write "
                f"the two alike, or add a key '{value}' if it is another value"
            )
        present = set(values)
        uncovered = sorted(present - keys)
        for key in sorted(keys - present):
            near = sorted(v for v in present if fold(v) == fold(key))
            if near:
                raise ModelError(
                    f"{where}: the key '{key}' matches no unit of {units.file} "
                    f"but looks like its value '{near[0]}' (column '{c.by}'), differing in case, "
                    "width, spacing or diacritics; write the key as the table does"
                )
            # a key that matches nothing while a value close to it gets the default: a typo
            close = difflib.get_close_matches(key, uncovered, n=1, cutoff=TYPO_CUTOFF)
            if close:
                codes = frame["code"].astype(str)[values == close[0]].tolist()
                raise ModelError(
                    f"{where}: the key '{key}' matches no unit of {units.file}, while "
                    f"{units.locate(codes)}, column '{c.by}': '{close[0]}' has no key and would "
                    f"get default_coefficient {c.default_coefficient:g}; correct the key, or give "
                    f"'{close[0]}' its own key if both are meant"
                )


def zero_need_message(units: UnitTable, zero: np.ndarray, criteria: Sequence[Any]) -> str:
    """Why units have no assessed need: the table's rows and the columns that are 0 there."""
    frame = units.frame
    codes = frame["code"].astype(str).to_numpy()[zero].tolist()
    first = int(np.flatnonzero(zero)[0])
    parts = []
    for c in criteria:
        if c.indicator not in frame.columns:
            continue
        part = f"column '{c.indicator}' {frame[c.indicator].iat[first]:g} × rate {c.rate:g}"
        if c.coefficients and c.by in frame.columns:
            value = str(frame[c.by].iat[first])
            part += f" × coefficient {c.coefficients.get(value, c.default_coefficient):g} ({c.by} '{value}')"
        parts.append(part)
    return (
        f"{units.locate(codes)}: assessed need is 0 ({'; '.join(parts)} for unit {codes[0]}); a "
        "unit without need cannot share an envelope in proportion to need or be measured "
        "against it: give the indicator columns "
        f"({', '.join(dict.fromkeys(c.indicator for c in criteria))}) their values, or leave the "
        "unit out of the table"
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
        return frame.to_csv(index=False).encode("utf-8")
    if fmt != "xlsx":
        raise DataError(f"unknown template format '{fmt}'; use csv or xlsx")
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
        raise DataError(f"{path}: a template must be .csv or .xlsx")
    kind: Literal["csv", "xlsx"] = "csv" if fmt == "csv" else "xlsx"
    return atomic_write(path, template_bytes(kind, level, prefilled=prefilled, province=province))
