"""Charts as SVG text, drawn by matplotlib from a `Chart`'s plain data.

matplotlib is imported here only, and only when a chart is drawn (the ``report`` extra).
No pyplot and no global rcParams: each chart is a fresh `Figure` drawn inside an
``rc_context`` that fixes what would otherwise change between runs (the SVG hash salt and
root id are the chart's id, no date in the metadata, text kept as text), so equal input
gives equal bytes.
"""

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from itstrat_engine import formatting
from itstrat_engine.errors import MissingExtraError
from itstrat_engine.report.document import (
    Chart,
    FrontierChart,
    GanttChart,
    MatrixChart,
    MaturityChart,
    PeriodChart,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PALETTE", "chart_svg"]

PALETTE = ("#1f5f99", "#d9822b", "#3a8f5c", "#b5443b", "#7a5ba6", "#8c6d46", "#c2579a", "#5f7d8c")
"""Lane and series colours (readable on white and in greyscale print)."""

_INK = "#222222"
_MUTED = "#8a8f98"
_QUADRANT_COLOURS = {"fix": "#b5443b", "keep": "#3a8f5c", "watch": "#d9822b", "trim": "#8a8f98"}


def _figure_class() -> "type[Figure]":
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - the report extra, on demand
    except ImportError:
        raise MissingExtraError("drawing report charts", "report") from None
    return Figure


@contextmanager
def _fixed_style(chart_id: str) -> Iterator[None]:
    import matplotlib as mpl  # noqa: PLC0415 - already imported by _figure_class

    with mpl.rc_context(
        {
            "svg.hashsalt": chart_id,
            "svg.id": chart_id,
            "svg.fonttype": "none",  # text stays text: selectable, searchable, smaller
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
            "font.size": 9,
            "axes.edgecolor": _MUTED,
            "axes.labelcolor": _INK,
            "xtick.color": _INK,
            "ytick.color": _INK,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


def chart_svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element (no XML prolog), labelled by its text alternative."""
    figure_class = _figure_class()
    with _fixed_style(chart.id):
        spec = chart.spec
        if isinstance(spec, GanttChart):
            figure = _gantt(figure_class, spec)
        elif isinstance(spec, MatrixChart):
            figure = _matrix(figure_class, spec)
        elif isinstance(spec, MaturityChart):
            figure = _maturity(figure_class, spec)
        elif isinstance(spec, PeriodChart):
            figure = _period(figure_class, spec)
        else:
            figure = _frontier(figure_class, spec)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :].strip() + "\n"


def _shortened(text: str, width: int) -> str:
    """At most `width` characters, an ellipsis marking a cut (for a client, not a terminal)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _money_axis(axes: "Axes", currency: str, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    def shown(value: float, _position: Any) -> str:
        return formatting.money_short(value) if value else "0"

    target = axes.yaxis if axis == "y" else axes.xaxis
    target.set_major_formatter(FuncFormatter(shown))
    (axes.set_ylabel if axis == "y" else axes.set_xlabel)(currency)


def _period_axis(axes: "Axes", periods: tuple[str, ...]) -> None:
    axes.set_xticks([t + 0.5 for t in range(len(periods))])
    rotate = len(periods) > 12 or max(map(len, periods)) > 8
    axes.set_xticklabels(
        periods,
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
        rotation_mode="anchor",
        fontsize=8,
    )
    axes.set_xlim(0, len(periods))


def _gantt(figure_class: "type[Figure]", spec: GanttChart) -> "Figure":
    rows: list[tuple[str, int]] = []  # (kind, index): lane headings and bars, top to bottom
    for lane_index, lane in enumerate(spec.lanes):
        rows.append(("lane", lane_index))
        rows += [("bar", k) for k, bar in enumerate(spec.bars) if bar.lane == lane]
    height = 1.0 + 0.28 * len(rows)
    figure = figure_class(figsize=(10, height))
    axes = figure.add_subplot()
    y_of: dict[str, float] = {}
    labels: list[str] = []
    ticks: list[float] = []
    for position, (kind, index) in enumerate(rows):
        y = len(rows) - 1 - position
        if kind == "lane":
            colour = PALETTE[index % len(PALETTE)]
            axes.axhspan(y - 0.5, y + 0.5, color=colour, alpha=0.12, lw=0)
            axes.text(
                0.05, y, spec.lanes[index], va="center", ha="left", weight="bold", color=colour
            )
            continue
        bar = spec.bars[index]
        colour = PALETTE[spec.lanes.index(bar.lane) % len(PALETTE)]
        axes.barh(
            y,
            bar.finish - bar.start,
            left=bar.start,
            height=0.62,
            color=colour,
            edgecolor=_INK if bar.mandatory else colour,
            linewidth=1.4 if bar.mandatory else 0.5,
            hatch="///" if bar.mandatory else None,
        )
        y_of[bar.id] = y
        ticks.append(y)
        labels.append(_shortened(bar.name, 44) + (" *" if bar.mandatory else ""))
    starts = {bar.id: bar.start for bar in spec.bars}
    finishes = {bar.id: bar.finish for bar in spec.bars}
    for before, after in spec.arrows:
        axes.annotate(
            "",
            xy=(starts[after], y_of[after]),
            xytext=(finishes[before], y_of[before]),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#555b63",
                "alpha": 0.75,
                "lw": 0.7,
                "shrinkA": 0,
                "shrinkB": 1,
                "connectionstyle": "arc3,rad=-0.05",
            },
        )
    axes.set_yticks(ticks)
    axes.set_yticklabels(labels)
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    _period_axis(axes, spec.periods)
    for t in range(1, len(spec.periods)):
        axes.axvline(t, color="#dddddd", lw=0.5, zorder=0)
    axes.spines["left"].set_visible(False)
    if any(bar.mandatory for bar in spec.bars):
        axes.set_title("* mandatory (hatched); arrows: must finish before", loc="right", fontsize=8)
    return figure


def _matrix(figure_class: "type[Figure]", spec: MatrixChart) -> "Figure":
    figure = figure_class(figsize=(7, 5.2))
    axes = figure.add_subplot()
    # Zoomed to the answers (a point from the scale's end): answers bunch in the upper
    # half, and a full 1-10 square leaves them in a corner.
    xs = [p.importance for p in spec.points] + [spec.importance_split]
    ys = [p.satisfaction for p in spec.points] + [spec.satisfaction_split]
    x_low = max(spec.scale_min, math.floor(min(xs)) - 1)
    y_low = max(spec.scale_min, math.floor(min(ys)) - 1)
    x_high = min(spec.scale_max, math.ceil(max(xs)) + 1)
    y_high = min(spec.scale_max, math.ceil(max(ys)) + 1)
    low, high = spec.scale_min, spec.scale_max
    axes.axvline(spec.importance_split, color=_MUTED, lw=0.8, ls="--")
    axes.axhline(spec.satisfaction_split, color=_MUTED, lw=0.8, ls="--")
    for point in spec.points:
        colour = _QUADRANT_COLOURS.get(point.quadrant, _INK)
        axes.scatter([point.importance], [point.satisfaction], s=36, color=colour, zorder=3)
        axes.annotate(
            point.service,
            (point.importance, point.satisfaction),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=8,
        )
    corners = (
        (x_high, y_low, "fix first", "right", "bottom", "fix"),
        (x_high, y_high, "keep", "right", "top", "keep"),
        (x_low, y_low, "watch", "left", "bottom", "watch"),
        (x_low, y_high, "trim effort", "left", "top", "trim"),
    )
    for x, y, text, ha, va, quadrant in corners:
        axes.text(x, y, text, ha=ha, va=va, color=_QUADRANT_COLOURS[quadrant], weight="bold")
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)
    axes.set_xlabel(f"importance ({formatting.compact(low)}-{formatting.compact(high)})")
    axes.set_ylabel(f"satisfaction ({formatting.compact(low)}-{formatting.compact(high)})")
    return figure


def _maturity(figure_class: "type[Figure]", spec: MaturityChart) -> "Figure":
    count = len(spec.items)
    figure = figure_class(figsize=(7, 0.9 + 0.3 * count))
    axes = figure.add_subplot()
    ys = [count - 1 - k for k in range(count)]
    axes.barh(
        ys,
        [item.target for item in spec.items],
        height=0.6,
        color="#ffffff",
        edgecolor=PALETTE[1],
        hatch="...",
        label="gap to target",
    )
    axes.barh(
        ys, [item.current for item in spec.items], height=0.6, color=PALETTE[0], label="current"
    )
    axes.set_yticks(ys)
    axes.set_yticklabels([item.service for item in spec.items])
    axes.set_xlim(0, 5)
    axes.set_xlabel("maturity level (0-5)")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return figure


def _period(figure_class: "type[Figure]", spec: PeriodChart) -> "Figure":
    figure = figure_class(figsize=(9, 2.8))
    axes = figure.add_subplot()
    centres = [t + 0.5 for t in range(len(spec.periods))]
    axes.bar(centres, spec.used, width=0.7, color=PALETTE[0], label=spec.used_label)
    if spec.extra and any(spec.extra):
        axes.bar(
            centres,
            spec.extra,
            bottom=spec.used,
            width=0.7,
            color=PALETTE[1],
            label=spec.extra_label,
        )
    limits = [limit for limit in spec.limit if limit is not None]
    if limits:
        xs: list[float] = []
        ys: list[float] = []
        for t, limit in enumerate(spec.limit):
            if limit is not None:
                xs += [t, t + 1]
                ys += [limit, limit]
            else:
                xs.append(t)
                ys.append(float("nan"))
        axes.plot(xs, ys, color=PALETTE[3], lw=1.6, label=spec.limit_label)
    _period_axis(axes, spec.periods)
    top = max([*spec.used, *limits, 0.0]) + max(spec.extra or (0.0,))
    axes.set_ylim(0, top * 1.3 if top > 0 else 1)  # room for the legend above the limit
    if spec.unit == "hours":
        axes.set_ylabel("hours")
    else:
        _money_axis(axes, spec.unit)
    axes.legend(loc="upper right", frameon=False, fontsize=8, ncol=3)
    return figure


def _frontier(figure_class: "type[Figure]", spec: FrontierChart) -> "Figure":
    figure = figure_class(figsize=(8, 4))
    axes = figure.add_subplot()
    if spec.budgets:
        order = sorted(range(len(spec.budgets)), key=lambda k: spec.budgets[k])
        xs = [spec.budgets[k] for k in order]
        ys = [spec.values[k] for k in order]
        axes.step(
            xs, ys, where="post", color=PALETTE[0], lw=1.8, label="best possible at each budget"
        )
        axes.scatter(xs, ys, s=12, color=PALETTE[0], zorder=3)
    if spec.greedy_budgets:
        order = sorted(range(len(spec.greedy_budgets)), key=lambda k: spec.greedy_budgets[k])
        axes.step(
            [spec.greedy_budgets[k] for k in order],
            [spec.greedy_values[k] for k in order],
            where="post",
            color=PALETTE[1],
            lw=1.2,
            ls="--",
            label="rank and fund in score order",
        )
    if spec.chosen_budget is not None and spec.chosen_value is not None:
        axes.scatter(
            [spec.chosen_budget],
            [spec.chosen_value],
            s=90,
            marker="*",
            color=PALETTE[3],
            zorder=4,
            label="this roadmap",
        )
    _money_axis(axes, f"total budget ({spec.currency})", axis="x")
    axes.set_ylabel(spec.objective)
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return figure
