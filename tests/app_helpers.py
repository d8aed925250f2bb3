"""Shared by the app tests: the app started under AppTest, and the allocation workbook the app
offers for download read back."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import openpyxl

from fiscal_app import launch

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

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


def start(
    page: str | None = None,
    *,
    switch_lang: str = "en",
    timeout: float = 180,
    errors_ok: bool = True,
    **params: str,
) -> AppTest:
    """The app under AppTest, opened with the query parameters ``params`` (``s`` a scenario file,
    ``lang``, ``e`` edits), switched to ``switch_lang`` with the sidebar's language control as a
    user does, then to ``page`` (a file of fiscal_app/ui). After each step no traceback reached
    the page, nor, with ``errors_ok=False``, an error message."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(launch.APP), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert_clean(at, errors_ok=errors_ok)
    if switch_lang != "en":
        at.sidebar.segmented_control(key="lang").set_value(switch_lang).run()
        assert_clean(at, errors_ok=errors_ok)
    if page is not None:
        at.switch_page(f"ui/{page}.py")
        at.run()
        assert_clean(at, errors_ok=errors_ok)
    return at


def assert_clean(at: AppTest, *, errors_ok: bool = True) -> None:
    """No traceback reached the page (nor, ``errors_ok=False``, an error message)."""
    assert not at.exception, [e.value for e in at.exception]
    if not errors_ok:
        assert not at.error, [e.value for e in at.error]
