"""The work behind the app's pages, as plain functions of plain, hashable inputs.

Every function takes the scenario as TOML text (and an uploaded unit table as name + bytes), so
:mod:`fiscal_app.app` can wrap each one in ``st.cache_data`` and a rerun with unchanged settings
costs a cache lookup. Nothing here imports Streamlit; pages reach these functions through the
cached wrappers that :mod:`fiscal_app.app` installs (:func:`fiscal_app.session.engine`).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

import fiscal
from fiscal.data import UnitTable, bundled_units, load_units
from fiscal.errors import DataError, FiscalError
from fiscal.executors import Executor, ProcessPool
from fiscal.results import Result
from fiscal.scenario import Scenario, parse_scenario

__all__ = [
    "Engine",
    "HelperSetting",
    "Outcome",
    "Units",
    "compare_runs",
    "dataset",
    "helper_setting",
    "helpers",
    "idle_core",
    "load_run",
    "result_xlsx",
    "run_outcome",
    "scenario_names",
    "scenario_of",
    "units_of",
]


@dataclass(frozen=True)
class Units:
    """An uploaded unit table: file name, level and the file's bytes."""

    name: str
    level: str
    data: bytes


@dataclass
class Outcome:
    """A run's result, or the error that stopped it (kept so that a cache can hold it too)."""

    result: Result | None = None
    error: FiscalError | None = None


def scenario_of(toml_text: str, source: str = "app") -> Scenario:
    """The scenario of a TOML text (the app's working scenario is always fully resolved)."""
    return parse_scenario(toml_text, source=source)


def units_of(units: Units | None, level: str, province: str | None = None) -> UnitTable | None:
    """The uploaded unit table, validated, or None for the scenario's own dataset.

    For a one-province commune scenario only that province's communes are kept (as when the
    scenario names the file as its dataset).
    """
    if units is None:
        return None
    table = load_units(units.name, level, data=units.data)  # type: ignore[arg-type]
    if level != "commune" or province is None:
        return table
    if province == "all":
        raise DataError(
            f"{units.name}: an uploaded commune table is used with a one-province commune "
            "scenario; for every province at once, name the file as the scenario's dataset "
            "(scenario.dataset) and run it with `fiscal solve`"
        )
    frame = table.frame[table.frame["parent"].astype(str) == str(province)]
    if frame.empty:
        raise DataError(
            f"{units.name}: no commune has parent '{province}', the province this "
            "scenario allocates to; upload that province's communes"
        )
    return dataclasses.replace(table, frame=frame.reset_index(drop=True))  # keeps the file rows


#: the environment variable that sets how many helper processes the app keeps (0: none)
HELPERS_VARIABLE = "FISCAL_APP_HELPERS"


@dataclass(frozen=True)
class HelperSetting:
    """What ``FISCAL_APP_HELPERS`` says: how many helper processes, and whether the operator
    asked for them (then they are used whatever the load) or the default is in use."""

    count: int
    asked: bool


def helper_setting() -> HelperSetting:
    """The one reading of ``FISCAL_APP_HELPERS``: a whole number of helper processes (0: none);
    unset, the default (one per core beyond the first, at most 3); anything else is said in the
    log and the default used."""
    default = min((os.cpu_count() or 1) - 1, 3)
    text = os.environ.get(HELPERS_VARIABLE, "").strip()
    if not text:
        return HelperSetting(default, asked=False)
    try:
        return HelperSetting(int(text), asked=True)
    except ValueError:  # an operator's setting: said in the log, the app goes on
        logging.getLogger(__name__).warning(
            "%s must be a whole number of helper processes (got '%s'); 0 runs every solve "
            "in the app's process; using %d",
            HELPERS_VARIABLE,
            text,
            default,
        )
        return HelperSetting(default, asked=False)


@functools.cache
def helpers() -> Executor | None:
    """The helper processes the app keeps for the LP solves of commune runs, or None.

    One per core beyond the first (at most 3), started at the first commune run and kept for
    the process's life, used where a core looks free (:func:`idle_core`);
    ``FISCAL_APP_HELPERS=N`` sets the number and uses them always (0: every solve in the app's
    process; :func:`helper_setting`). A commune run on the LP path (stability, blend) shares
    its 34 provinces' solves with them (:func:`fiscal.pipeline.allocate_shared`): the same
    result, in about half the time on two idle cores.
    """
    count = helper_setting().count
    if count < 1:
        return None
    pool = ProcessPool(count, import_main=False)  # the main module is the app's page script
    atexit.register(pool.close)  # before the interpreter tears the pool's modules down
    pool.warm("fiscal.pipeline", "fiscal.model", "fiscal.tiebreak", "fiscal.highs")
    return pool


def load_run(toml_text: str, units: Units | None = None) -> Result:
    """Run the scenario (raises FiscalError); a commune run of every province shares its LP
    solves with the app's helper processes (:func:`helpers`) where a core is free
    (:func:`idle_core`), or always when ``FISCAL_APP_HELPERS`` asks for them."""
    scen = scenario_of(toml_text)
    table = units_of(units, scen.scenario.level, scen.scenario.province)
    every = scen.scenario.level == "commune" and scen.scenario.province == "all"
    pool = _live(helpers()) if every else None
    if pool is not None and not (helper_setting().asked or idle_core()):
        pool = None  # by default only on a free core; FISCAL_APP_HELPERS=N: always
    return fiscal.run(scen, units=table, helpers=pool)


def _live(pool: Executor | None) -> Executor | None:
    """``pool``, or a new one in its place if a worker of it stopped abruptly (killed, out of
    memory): a broken pool takes no more tasks, and the app lives on."""
    if isinstance(pool, ProcessPool) and pool.broken:
        pool.close()
        helpers.cache_clear()
        return helpers()
    return pool


def idle_core() -> bool:
    """Whether a core looks free (the 1-minute load average at least half a core below the
    number of cores). A helper shortens a run only on a free core: on a busy machine Linux
    gives a session's processes one share between them, and the hand-over costs ~0.1 s of
    CPU (measured: docs/performance.md). Results never depend on it."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available on this system: assume a free core
        return True
    return load <= (os.cpu_count() or 1) - 0.5


def run_outcome(toml_text: str, units: Units | None = None) -> Outcome:
    """Run the scenario; a FiscalError (infeasible, bad data) is returned, not raised."""
    try:
        return Outcome(result=load_run(toml_text, units))
    except FiscalError as err:
        return Outcome(error=err)


def dataset(level: str, province: str | None, units: Units | None) -> pd.DataFrame:
    """The unit table in use: the uploaded one, else the bundled one."""
    table = units_of(units, level)
    if table is None:
        table = bundled_units(level, province)  # type: ignore[arg-type]
    return table.frame


def result_xlsx(result: Result, lang: str = "en") -> bytes:
    """The result workbook in ``lang``: the sheets of ``fiscal solve FILE -o out.xlsx --lang
    LANG`` and a Map sheet with the first year's allocation and change maps, drawn in
    ``lang``."""
    from fiscal.workbook import result_workbook
    from fiscal_app import maps
    from fiscal_app.i18n import Tr

    t = Tr(lang)
    year = result.years[0]
    data = maps.map_data(result, year)
    pictures = []
    for column in ("allocation", "change_pct"):
        if column in maps.available_columns(data):
            title = t(
                "map.png_title",
                scenario=t.own(result.scenario.scenario, "name"),
                column=t(maps.COLUMNS[column].label),
                year=year,
            )
            pictures.append((title, maps.map_png(maps.static_map(data, column, t, title=title))))
    return result_workbook(
        result, maps=pictures, maps_note=t("map.workbook_note", year=year), lang=lang
    )


@dataclass(frozen=True)
class Engine:
    """The cached functions the pages call; :mod:`fiscal_app.app` builds it with ``st.cache_data``."""

    run: Callable[[str, Units | None], Outcome]
    ledger: Callable[[str, Units | None], pd.DataFrame]
    waterfall: Callable[[str, Units | None, str, int | None], Any]
    dataset: Callable[[str, str | None, Units | None], pd.DataFrame]
    template: Callable[[str, str, bool], bytes]
    xlsx: Callable[[str, Units | None, str], bytes]
    compare: Callable[[tuple[tuple[str, str], ...], Units | None], Any]
    compare_xlsx: Callable[[tuple[tuple[str, str], ...], Units | None, str], bytes]
    names: Callable[[tuple[str, ...]], dict[str, dict[str, str]]]
    # what the pages show of a result (toml, units, year, lang[, province]): see fiscal_app.app
    units_view: Callable[..., Any]
    provinces_view: Callable[..., Any]
    province_view: Callable[..., Any]
    styled_view: Callable[..., None]  # draws a page of one of the three above, styled
    cards: Callable[..., Any]
    change_chart: Callable[..., Any]
    map_view: Callable[..., Any]
    map_drawn: Callable[..., None]  # draws a map nothing can be clicked on (see fiscal_app.app)


def compare_runs(runs: list[tuple[str, Result]]) -> Any:
    """The comparison of labelled results (see :func:`fiscal.compare.compare`)."""
    from fiscal.compare import compare

    return compare([r for _, r in runs], labels=[label for label, _ in runs])


def scenario_names(paths: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """File name → the scenario's name in each language ({"en": ..., "vi": ...}) of each
    scenario file (a broken file says so, in each language, rather than raises)."""
    from pathlib import Path

    from fiscal.scenario import load_scenario

    out = {}
    for path in paths:
        try:
            meta = load_scenario(path).scenario
            out[Path(path).name] = {"en": meta.name, "vi": meta.name_vi or meta.name}
        except FiscalError as err:
            out[Path(path).name] = {
                lang: f"({err.text(lang).splitlines()[0][:80]})" for lang in ("en", "vi")
            }
    return out
