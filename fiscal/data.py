"""Unit tables: the bundled datasets, CSV/XLSX loading, validation and templates.

A unit table has one row per unit that receives an allocation; its columns are declared in
:mod:`fiscal.schema`. Every check is a small ``check_*`` function that returns problems; a table
with problems is refused with all of them listed (file, row and unit, column, rule).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from fiscal import calibrate, schema
from fiscal._io import atomic_write
from fiscal.errors import DataError
from fiscal.textform import clean, path_forms

__all__ = [
    "MAX_FILE_BYTES",
    "UnitTable",
    "bundled_units",
    "check_not_empty",
    "check_numbers",
    "check_parents",
    "check_predecessors",
    "check_required_columns",
    "check_unique_codes",
    "load_units",
    "normalise_code",
    "read_table",
    "template_bytes",
    "validate_units",
    "write_template",
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
            ("baseline, own_revenue and retention are illustrative (estimated)",),
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


CHECKS: tuple[Check, ...] = (
    check_not_empty,
    check_required_columns,
    check_numbers,
    check_unique_codes,
    check_parents,
    check_predecessors,
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
        out["merged"] = np.where(out["predecessors"].str.count(";") > 0, "yes", "no")
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
    frame = validate_units(
        frame, path.name, level, first_row=first_row, row_word=row_word, known_parents=known_parents
    )
    return UnitTable(frame, level, str(path))


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
                "" if c.minimum is None else c.minimum,
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
