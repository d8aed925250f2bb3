"""``rule = "optimise"``: a line's envelope allocated by the optimiser with its own objective and
constraints, on the scenario's need, where a unit's resources before the line are its revenue
kept as the gap counts it (without land fees and lottery, as need A) + the lines before it (so a ``per_capita_min`` or a ``floor`` with
``base = "resources"`` here is a rule on the whole budget so far)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.errors import FiscalError, InfeasibleError, ModelError, detail
from fiscal.lines.base import LineContext, LineRule, Shares, envelopes, register
from fiscal.prose.messages import Message, Term

if TYPE_CHECKING:
    from fiscal.scenario import Scenario
    from fiscal.scenario_lines import Line

__all__ = ["Optimise", "line_scenario"]


def line_scenario(line: Line, parent: Scenario, envelope: float, where: str) -> Scenario:
    """The scenario that allocates ``line``: the parent's level, years, need and rounding, the
    line's envelope, objective and constraints; no sharing, sectors or other lines."""
    from fiscal.scenario import scenario_from_dict

    data: dict[str, Any] = parent.to_dict()
    meta = data["scenario"]
    meta["name"] = f"{parent.name}: {where}"
    if meta.get("name_vi"):  # the line's scenario in Vietnamese names the line too
        meta["name_vi"] = f"{meta['name_vi']}: {where}"
    meta.pop("description", None)
    keep = ("scenario", "need", "rounding", "solver", "capacity")
    data = {k: v for k, v in data.items() if k in keep}
    data["envelope"] = {"total": envelope, "growth": line.growth}
    data["objective"] = {"kind": line.objective}
    data["constraints"] = [dict(c) for c in line.constraints]
    # the constraints were checked when the scenario loaded (fiscal.scenario_lines); ``where``
    # names the scenario's file and the line ("a.toml: lines.x") in what this scenario refuses
    return scenario_from_dict(data, source=where, path=parent.path)


@register
class Optimise(LineRule):
    """The optimiser shares the envelope (less the known amounts) among the eligible units
    without a known amount; each unit's capacity is its revenue kept + the earlier lines."""

    kind = "optimise"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        from fiscal.problem import prepare

        if ctx.solve is None:
            raise ModelError(Message("lines.optimise_solver", where=ctx.where))

        env = envelopes(line, ctx)
        assert env is not None  # the schema requires one
        free = eligible & ~pinned
        amount = np.where(pinned[None, :], known, 0.0)
        rest = env - amount.sum(axis=1)
        if np.any(rest < -1e-6):
            t = int(np.argmax(rest < -1e-6))
            raise ModelError(
                Message(
                    "lines.known_above",
                    where=ctx.where,
                    known=float(amount[t].sum()),
                    envelope=float(env[t]),
                    year=ctx.years[t],
                )
            )
        if not free.any():
            return Shares(amount)
        scenario = ctx.result.scenario
        sub = line_scenario(line, scenario, float(rest[0]), ctx.where)
        units = ctx.result.problem.units
        frame = units.frame.loc[free].reset_index(drop=True).copy()
        frame["own_revenue"] = (ctx.capacity[0] + ctx.earlier[0])[free]
        frame["retention"] = 1.0
        frame["baseline"] = 0.0
        table = dataclasses.replace(units, frame=frame)
        try:
            result = ctx.solve(prepare(sub, table, rest), with_provenance=False)
        except FiscalError as exc:
            # an infeasible line keeps its conflicts and repairs as text: the repairs name the
            # line's own allocation (its envelope less the known amounts), not the scenario's
            # settings, so they are not offered as buttons that would change the scenario
            inner = (
                Term(exc.text("en"), exc.text("vi"))
                if isinstance(exc, InfeasibleError)
                else detail(exc)
            )
            raise type(exc)(
                Message("lines.optimise_wrapped", where=ctx.where, detail=inner)
            ) from None
        X = result.table["transfer"].to_numpy(dtype=float).reshape(ctx.T, int(free.sum()))
        amount[:, free] = X
        before = ctx.capacity[0] + ctx.earlier[0]
        need = np.zeros(ctx.n)
        need[free] = result.problem.need[0]
        return Shares(amount, {"need": need, "resources_before": before})
