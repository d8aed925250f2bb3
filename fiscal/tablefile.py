"""Reading a unit table's file, CSV or XLSX, safely: every cell as text, in the one text form.

Size limits (:data:`MAX_FILE_BYTES`, :data:`MAX_XLSX_UNPACKED`), XLSX through openpyxl with
defusedxml, no formulas and no merged cells, CSV with a strict reader and its encoding checked.
What a table must contain is :mod:`fiscal.checks`; loading it is :func:`fiscal.data.load_units`.

Problems of single cells or lines (a formula, a line with too many fields) do not stop the
reading: :func:`read_cells` lists them all, blanks those cells, and the checks go on, so that a
file with several problems is refused with all of them (:func:`read_table` refuses it at once).
A problem of the whole file (not a table, not UTF-8, merged cells) stops it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fiscal.errors import DataError
from fiscal.prose.messages import Message
from fiscal.textform import clean, path_forms

__all__ = ["MAX_FILE_BYTES", "MAX_XLSX_UNPACKED", "Cells", "read_cells", "read_table"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a unit table of every commune is < 1 MB
MAX_XLSX_UNPACKED = 100 * 1024 * 1024


@dataclass
class Cells:
    """A table read from a file: text cells, the file row of row 0, the problems of single
    cells or lines (each a Message), and the cells blanked because of them (row, column)."""

    frame: pd.DataFrame
    first_row: int
    problems: list[str] = field(default_factory=list)
    blanked: set[tuple[int, str]] = field(default_factory=set)


def read_table(path: str | Path, *, data: bytes | None = None) -> tuple[pd.DataFrame, int]:
    """Read a CSV or XLSX file as text cells; returns the frame and the file row of its row 0.

    ``data`` gives the file's bytes directly (uploads); ``path`` then only names it. A cell or
    line that cannot be read refuses the file, with every such problem listed.
    """
    cells = read_cells(path, data=data)
    if cells.problems:
        from fiscal.checks import problems_message

        raise DataError(problems_message(Path(path).name, cells.problems))
    return cells.frame, cells.first_row


def read_cells(path: str | Path, *, data: bytes | None = None) -> Cells:
    """Read a CSV or XLSX file as text cells, listing (not raising) the problems of single
    cells and lines; a problem of the whole file raises DataError."""
    path = Path(path)
    name = path.name
    if data is None:
        path = next((p for p in path_forms(path) if p.is_file()), path)
        if not path.is_file():
            raise DataError(Message("file.missing", path=str(path)))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(_too_big(name, size))
        data = path.read_bytes()
    elif len(data) > MAX_FILE_BYTES:
        raise DataError(_too_big(name, len(data)))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(name, data)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(name, data)
    raise DataError(Message("file.type", name=name, suffix=suffix or "(none)"))


_MB = 1024 * 1024


def _too_big(name: str, size: int) -> Message:
    return Message("file.too_big", name=name, size=size, mb=size / _MB, limit=MAX_FILE_BYTES / _MB)


def _read_csv(name: str, data: bytes) -> Cells:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            Message("file.not_utf8", name=name, byte=data[exc.start], position=exc.start)
        ) from None
    if not text.strip():
        raise DataError(Message("file.empty", name=name))
    # the csv module, not pandas: pandas renames duplicate headers ('code.1') and turns extra
    # fields into an index, silently shifting every column of a ragged row
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[str] = []
    try:
        for row in reader:
            row = [clean(cell) for cell in row]  # the one text form (fiscal.textform)
            if not any(cell.strip() for cell in row):
                continue  # blank line
            lines.append(reader.line_num)
            if rows and len(row) > len(rows[0]):
                problems.append(
                    Message(
                        "file.extra_fields",
                        name=name,
                        line=reader.line_num,
                        n=len(row),
                        header=len(rows[0]),
                    )
                )
                row = row[: len(rows[0])]  # read on: the checks may find more
            rows.append(row)
    except csv.Error as exc:
        raise DataError(
            Message("file.bad_csv", name=name, line=reader.line_num, detail=str(exc))
        ) from None
    if not rows:
        raise DataError(Message("file.no_header", name=name))
    header = [h.strip() for h in rows[0]]
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
    blanked: set[tuple[int, str]] = set()
    for j, h in enumerate(header):
        for i, (r, line) in enumerate(zip(body, lines[1:], strict=True)):
            if r[j].lstrip().startswith("="):
                problems.append(
                    Message("file.csv_formula", name=name, line=line, column=h, value=r[j][:40])
                )
                r[j] = ""
                blanked.add((i, h))
    return Cells(pd.DataFrame(body, columns=header, dtype=str), 2, problems, blanked)


def _read_xlsx(name: str, data: bytes) -> Cells:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise DataError(Message("file.no_defusedxml"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise DataError(Message("file.not_zip", name=name)) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise DataError(
            Message("file.unpacks_big", name=name, mb=unpacked / _MB, limit=MAX_XLSX_UNPACKED / _MB)
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # openpyxl raises many types for broken or hostile files
        hostile = _defused_cause(exc)
        if hostile is not None:
            raise DataError(
                Message("file.xml_entities", name=name, kind=type(hostile).__name__)
            ) from None
        raise DataError(
            Message("file.unreadable_xlsx", name=name, kind=type(exc).__name__, detail=str(exc))
        ) from None
    sheets = wb.sheetnames
    if "units" in sheets:
        ws = wb["units"]
    elif len(sheets) == 1:
        ws = wb[sheets[0]]
    else:
        raise DataError(Message("file.no_units_sheet", name=name, sheets=sheets))
    if ws.merged_cells.ranges:
        ranges = ", ".join(str(r) for r in list(ws.merged_cells.ranges)[:5])
        raise DataError(Message("file.merged_cells", name=name, sheet=ws.title, ranges=ranges))
    rows: list[list[str]] = []
    problems: list[str] = []
    formulas: list[tuple[int, int]] = []  # (sheet row, column) of the cells blanked
    for r, row in enumerate(ws.iter_rows()):
        cells = []
        for j, cell in enumerate(row):
            formula = cell.data_type == "f" or (
                isinstance(cell.value, str) and cell.value.startswith("=")
            )
            text = "" if cell.value is None else clean(_cell_text(cell.value))
            # a formula, or one behind a zero-width or control character
            if formula or text.startswith("="):
                shown = str(cell.value)[:40] if formula else text[:40]
                problems.append(
                    Message(
                        "file.xlsx_formula",
                        name=name,
                        sheet=ws.title,
                        cell=cell.coordinate,
                        value=shown,
                    )
                )
                text = ""
                formulas.append((r, j))
            cells.append(text)
        rows.append(cells)
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise DataError(Message("file.empty_sheet", name=name, sheet=ws.title))
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    body = [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows[1:]]
    blanked = {(r - 1, header[j]) for r, j in formulas if r > 0 and j < len(header)}
    return Cells(pd.DataFrame(body, columns=header, dtype=str), 2, problems, blanked)


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
