"""Shared by the app tests: read back the allocation workbook the app offers for download."""

from __future__ import annotations

import io

import openpyxl

HEADER_ROW = 4  # 1-based Excel row of the allocation table's header (fiscal.workbook)


def allocation_by_year(xlsx: bytes) -> dict[int, float]:
    """Σ allocation per year over the unit rows of the 'Allocation' sheet (million VND)."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True, data_only=True)
    rows = book["Allocation"].iter_rows(min_row=HEADER_ROW, values_only=True)
    header = list(next(rows))
    year, code, alloc = header.index("year"), header.index("code"), header.index("allocation")
    totals: dict[int, float] = {}
    for row in rows:
        if row is None or len(row) <= alloc or row[code] in (None, ""):
            if totals:
                break  # the first row without a code ends the unit rows
            continue
        totals[int(row[year])] = totals.get(int(row[year]), 0.0) + float(row[alloc])
    return totals
