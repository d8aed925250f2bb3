"""Reading a unit table's file, CSV or XLSX, safely: every cell as text, in the one text form.

Size limits (:data:`MAX_FILE_BYTES`, :data:`MAX_XLSX_UNPACKED`), XLSX through openpyxl with
defusedxml, no formulas and no merged cells, CSV with a strict reader and its encoding checked.
What a table must contain is :mod:`fiscal.checks`; loading it is :func:`fiscal.data.load_units`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from fiscal.errors import DataError
from fiscal.textform import clean, path_forms

__all__ = ["MAX_FILE_BYTES", "MAX_XLSX_UNPACKED", "read_table"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a unit table of every commune is < 1 MB
MAX_XLSX_UNPACKED = 100 * 1024 * 1024


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
