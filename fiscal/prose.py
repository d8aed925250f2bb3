"""Every sentence fiscal writes, and the one way it writes numbers and money.

**Numbers and money.** :func:`number`, :func:`plain`, :func:`percent`, :func:`billions` and
:func:`money` take million VND (or plain numbers) and a language: English writes 238,421.5 and
Vietnamese 238.421,5, with ``bn VND`` / ``tỷ đồng`` and ``million VND`` / ``triệu đồng``. The
command line, the English explanations, the error messages and the app (``fiscal_app``) all
write numbers through them. Two habits differ between the terminal and the app and are chosen
by keyword: ``tidy=True`` writes a value that rounds to zero as ``0`` (no ``-0.0`` or ``+0``;
the app), and ``missing`` is what a NaN is written as.

**Text from codes.** The words of every code — rule kinds, flags, waterfall steps, the story's
sentences, in English and Vietnamese — are in :mod:`fiscal.labels`; :func:`story` writes a
unit's waterfall in either language from its records, and :func:`flag_text` a unit's flags.

**Terminal reports.** Everything the ``fiscal`` command prints beyond one-line notices:
:func:`solve_summary`, :func:`scenario_list`, :func:`explain_text`, :func:`frontier_text`,
:func:`monte_carlo_text`, :func:`comparison_text`, :func:`goal_seek_line`.

    >>> money(238_421_000.5, "vi")
    '238.421 tỷ đồng'
    >>> number(1234567.891, 1, "vi")
    '1.234.567,9'
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from fiscal.montecarlo import MonteCarlo

__all__ = [
    "BN",
    "UNITS",
    "billions",
    "frontier_text",
    "money",
    "monte_carlo_text",
    "number",
    "percent",
    "plain",
    "separators",
    "setting",
]

BN = 1000.0  # million VND per billion VND
UNITS = {
    "en": {"bn": "bn VND", "million": "million VND"},
    "vi": {"bn": "tỷ đồng", "million": "triệu đồng"},
}
TERMINAL_MISSING = "—"  # a NaN in the terminal's reports (the app writes "–")


# ----------------------------------------------------------------------------- numbers


def separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators of a language: ('.', ',') in Vietnamese."""
    return (".", ",") if lang == "vi" else (",", ".")


def number(
    value: Any,
    decimals: int = 0,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """``value`` with thousands separators and ``decimals`` decimals, the language's way.

    Rounds as Python's format does (a ``Decimal`` exactly); ``sign`` writes a + on positive
    values; ``tidy`` writes a value that rounds to zero as 0, without sign; None and NaN are
    ``missing``.
    """
    if value is None:
        return missing
    v: float | Decimal = value if isinstance(value, Decimal) else float(value)
    if not (v.is_finite() if isinstance(v, Decimal) else math.isfinite(v)):
        return missing
    if tidy and round(v, decimals) == 0:
        v, sign = abs(0 * v), False
    text = format(v, f"{'+' if sign else ''},.{decimals}f")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def plain(value: Any, decimals: int = 6, lang: str = "en", *, tidy: bool = False) -> str:
    """Like :func:`number` with at most ``decimals`` decimals and no trailing zeros: '0.95'."""
    text = number(value, decimals, lang, tidy=tidy)
    _, point = separators(lang)
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def percent(
    share: Any,
    decimals: int = 1,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """A share (0.031) as a percentage: '3.1%' ('3,1%' in Vietnamese)."""
    if share is None or not math.isfinite(float(share)):
        return missing
    return number(float(share) * 100, decimals, lang, sign=sign, tidy=tidy) + "%"


def billions(
    amount: Any,
    decimals: int | None = None,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """An amount of million VND written in billions, without the unit: '238,421'.

    ``decimals`` None: none from 100 bn, one from 1 bn, else three.
    """
    if amount is None or not math.isfinite(float(amount)):
        return missing
    v = float(amount) / BN
    if decimals is None:
        decimals = 0 if abs(v) >= 100 else 1 if abs(v) >= 1 else 3
    return number(v, decimals, lang, sign=sign, tidy=tidy)


def money(
    amount: Any,
    lang: str = "en",
    *,
    unit: str = "bn",
    decimals: int | None = None,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """An amount of million VND with its unit: '238,421 bn VND', '238.421 tỷ đồng';
    ``unit="million"``: whole million VND, '1,470,286 million VND'."""
    if amount is None or not math.isfinite(float(amount)):
        return missing
    if unit == "million":
        text = number(amount, decimals or 0, lang, sign=sign, tidy=tidy)
    else:
        text = billions(amount, decimals, lang, sign=sign, tidy=tidy)
    return f"{text} {UNITS.get(lang, UNITS['en'])[unit]}"


def setting(value: Any) -> str:
    """A setting as written in a message: 0.95, [0.95, 0.97] per year, '—' when unset."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return TERMINAL_MISSING
    if isinstance(value, list):
        return "[" + ", ".join(setting(v) for v in value) + "]"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


# ----------------------------------------------------------------------------- sweeps


def _tbn(v: float, sign: bool = False) -> str:
    """Billions with one decimal, as the terminal's tables write them."""
    return billions(v, 1, sign=sign, missing=TERMINAL_MISSING)


def _fmt(v: Any) -> str:
    return f"{v:+.5f}" if isinstance(v, float) and np.isfinite(v) else TERMINAL_MISSING


def frontier_text(frame: pd.DataFrame, rows: int = 21) -> str:
    """A frontier as terminal text: about ``rows`` of its points and what they say."""
    a = frame.attrs
    path = a.get("path", "value")
    per = "pt" if any(c.endswith("_per_pt") for c in frame.columns) else "unit"
    lines = [
        f"Frontier of {path} in '{a.get('scenario', '')}' ({len(frame)} points; now "
        f"{setting(a.get('current'))})",
        f"  {'model reused between points' if a.get('fast') else 'general path: each point rebuilt'}; "
        f"{a.get('executor', 'in-process')}; {a.get('seconds', float('nan')):.2f} s",
    ]
    head = (
        f"  {'value':>12} {'status':>10} {'gini':>8} {'need met':>9} {'min/person':>10} "
        f"{'at floor':>8} {'protect bn':>10} {'extra bn':>9} {'Δgini/' + per:>11} "
        f"{'Δextra bn/' + per:>14}"
    )
    lines += ["", head]
    step = max(1, math.ceil(len(frame) / rows))
    show = sorted(set(range(0, len(frame), step)) | {len(frame) - 1})
    for k in show:
        r = frame.iloc[k]
        ok = r["status"] == "optimal"
        lines.append(
            f"  {r['value']:>12.6g} {r['status']:>10} "
            + (
                f"{r['gini']:>8.5f} {r['share_of_need_met']:>9.3%} {r['min_per_capita']:>10.3f} "
                f"{r['units_at_floor']:>8.0f} {_tbn(r['protection_cost']):>10} "
                if ok
                else f"{'':>8} {'':>9} {'':>10} {'':>8} {'':>10} "
            )
            + f"{_tbn(r['extra_envelope']) if r['status'] == 'infeasible' else '':>9} "
            + f"{_fmt(r.get(f'gini_per_{per}')):>11} "
            + f"{_tbn(r.get(f'extra_envelope_per_{per}', np.nan), True) if not ok else '':>14}"
        )
    ok = frame["status"] == "optimal"
    lines.append("")
    if ok.all():
        lines.append("  every point is feasible")
    elif not ok.any():
        lines.append("  no point is feasible")
    else:
        bad = frame[~ok]
        first = bad.iloc[0]
        extra = first["extra_envelope"]
        lines.append(
            f"  {int(ok.sum())} of {len(frame)} points feasible; the first that is not: "
            f"{path} = {first['value']:.6g} ({first['status']}"
            + (f", needs {_tbn(extra)} bn VND more envelope" if np.isfinite(extra) else "")
            + ")"
        )
    g = frame.loc[ok, f"gini_per_{per}"].dropna()
    if len(g):
        lines.append(
            f"  price: the Gini moves by {g.mean():+.5f} per {per} of {path} on average "
            f"(from {g.min():+.5f} to {g.max():+.5f})"
        )
    c = frame.loc[ok, f"protection_cost_per_{per}"].dropna()
    if len(c) and (c != 0).any():
        lines.append(
            f"  the money the protections move above the formula changes by "
            f"{_tbn(c.mean(), True)} bn VND per {per} on average"
        )
    e = frame[f"extra_envelope_per_{per}"].dropna()
    e = e[frame.loc[e.index, "status"] == "infeasible"]
    if len(e):
        lines.append(
            f"  beyond the feasible range each further {per} needs {_tbn(e.mean())} bn VND "
            "more envelope on average"
        )
    if a.get("illustrative"):
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(a.get('estimated_columns', []))}); not official data"
        )
    return "\n".join(lines)


def monte_carlo_text(mc: MonteCarlo, top: int = 8) -> str:
    """A Monte Carlo run as terminal text: feasibility, the rules, the most uncertain units."""
    st = mc.settings
    vary = ", ".join(f"{k} {v}" for k, v in st["vary"].items())
    d = mc.draws
    ok = d["status"] == "optimal"
    lines = [
        f"Monte Carlo of '{st['scenario']}': {st['draws']} draws, seed {st['seed']}; {vary}",
        f"  {st.get('executor', 'in-process')}; {st.get('seconds', float('nan')):.2f} s",
        "",
        f"  the rules cannot all hold in {(~ok).mean():.1%} of draws"
        + (
            f" (then they need {_tbn(d.loc[~ok, 'extra_envelope'].median())} bn VND more "
            "envelope, median)"
            if (~ok).any() and d.loc[~ok, "extra_envelope"].notna().any()
            else ""
        ),
    ]
    for _, r in mc.rules.iterrows():
        lines.append(
            f"  {r['name']} ({r['kind']}): needs more than the envelope in "
            f"{r['p_cannot_hold']:.1%} of draws; binds in {r['p_binding']:.1%} of feasible draws"
        )
    if ok.any():
        lines.append("")
        lines.append("  metric              p05         p50         p95")
        for key in (
            "gini",
            "share_of_need_met",
            "min_per_capita",
            "units_below_need",
            "units_at_floor",
        ):
            q = np.nanpercentile(d.loc[ok, key].to_numpy(dtype=float), [5, 50, 95])
            lines.append(f"  {key:<18}" + "".join(f"{v:>12.5g}" for v in q))
        u = mc.units[mc.units["year"] == mc.units["year"].min()].copy()
        u["spread"] = (u["p95"] - u["p05"]) / u["mean"].where(u["mean"] > 0)
        u = u.sort_values(["spread", "code"], ascending=[False, True], kind="stable").head(top)
        lines.append("")
        lines.append("  most uncertain allocations (p05–p95, bn VND; share of draws at a floor):")
        for _, r in u.iterrows():
            lines.append(
                f"    {r['code']:>5} {str(r['name']):<28} {_tbn(r['p05']):>10} – {_tbn(r['p95']):<10} "
                f"at floor {r['p_at_floor']:.0%}, below need {r['p_below_need']:.0%}"
            )
    if mc.illustrative:
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(mc.estimated_columns)}); not official data"
        )
    return "\n".join(lines)
