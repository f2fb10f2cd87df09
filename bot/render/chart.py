"""The /stats chart: the network's size over time, after the cuts, and the target, as a PNG."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from storage.growth import Growth

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patheffects import AbstractPathEffect

# 6 in at 180 dpi: 1080 px square, the width a phone shows a photo at full screen.
SIZE_INCHES = 6.0
DPI = 180
# Okabe–Ito colours: told apart with every common colour-blindness, on white or in dark mode
# (the figure keeps its own opaque white background, so Telegram's theme never shows through).
BLUE = "#0072B2"
ORANGE = "#D55E00"
GREY = "#555555"
# Type sizes in points: at 180 dpi a 16 pt label is 40 px, still 13 px when the photo is
# shown 360 px wide in a chat.
TITLE_PT = 21
LABEL_PT = 16
NOTE_PT = 14
# An axis shorter than this shows no year boundary worth reading.
MIN_SPAN = timedelta(days=730)


def _next_month(month: date) -> date:
    """The first day of the month after this one."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _size_line(growth: Growth, today: date) -> tuple[list[date], list[int]]:
    """The network's size over time: a rise within each month anyone joined, flat between."""
    if not growth.by_month:
        return [today - MIN_SPAN, today], [growth.undated, growth.undated]
    # A future connected-on date (a clock gone wrong) still ends the line on its month.
    end = max(today, growth.by_month[-1][0])
    xs: list[date] = []
    ys: list[int] = []
    # Undated people are counted from the start: the line begins at their number.
    size = growth.undated
    for month, joined in growth.by_month:
        xs += [month, min(_next_month(month), end)]
        ys += [size, size + joined]
        size += joined
    return [*xs, end], [*ys, size]


def _year_step(first: date, last: date) -> int:
    """Years between x-axis labels, so that at most about five fit across a phone."""
    years = last.year - first.year + 1
    for step in (1, 2, 5, 10):
        if years / step <= 6:
            return step
    return 20


def network_chart(growth: Growth, target: int, today: date) -> bytes:
    """A 1080 px square PNG: size over time, the drop the cuts will make, the target line."""
    # Imported here, not at the top: only this chart needs matplotlib, and start-up and
    # every other command should not pay the half second it takes to load.
    # The object API, not pyplot: this runs in a worker thread and pyplot's state is global.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    # Constrained layout makes room for the legend below the plot; the padding keeps the
    # title and the legend off the photo's border.
    layout = ConstrainedLayoutEngine(w_pad=0.12, h_pad=0.12)
    fig = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI, facecolor="white", layout=layout)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs, ys = _size_line(growth, today)
    top = max(growth.total, target) * 1.15
    _draw(ax, growth, target, xs, ys, top)
    _style(ax, xs[0], xs[-1], top)
    ax.set_title("Your LinkedIn network", fontsize=TITLE_PT, loc="left", pad=14)
    # Below the plot, not on it: inside, it would sit on the target line or the curve.
    fig.legend(
        loc="outside lower center",
        ncols=3,
        fontsize=LABEL_PT,
        frameon=False,
        handlelength=1.5,
        columnspacing=1.2,
    )
    if not growth.total:
        ax.text(
            0.5,
            0.45,
            "No connections yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color=GREY,
        )
    elif growth.undated:
        ax.set_xlabel(
            _undated_note(growth.undated),
            fontsize=NOTE_PT,
            color=GREY,
            labelpad=8,
        )
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor="white")
    return out.getvalue()


def _draw(
    ax: Axes, growth: Growth, target: int, xs: list[date], ys: list[int], top: float
) -> None:
    """The size line ending in a dot today, the drop to after the cuts, the target line."""
    from matplotlib.dates import date2num

    now = float(date2num(xs[-1]))
    # Labels closer than this (in data units) would print over each other.
    gap = top * 0.07
    # Kept clear of the x axis, and below the "now" label when the cuts are few.
    after_y = max(growth.after_cuts, gap * 0.6)
    if growth.total:
        x_nums = date2num(xs)
        ax.fill_between(x_nums, ys, color=BLUE, alpha=0.12, linewidth=0)
        ax.plot(x_nums, ys, color=BLUE, linewidth=3, label="Connections")
        ax.plot([now], [growth.total], "o", color=BLUE, markersize=9)
        # Just above its dot, clear of a flat line; higher still if the cuts' label is near.
        now_y = growth.total + gap * 0.6
        if growth.cut:
            now_y = max(now_y, after_y + gap)
        _label(ax, now, now_y, f"{growth.total:,} now", BLUE)
    if growth.cut:
        dashes = (0, (2, 1.5))
        ax.plot([now, now], [growth.total, growth.after_cuts], color=ORANGE, lw=3, ls=dashes)
        ax.plot([now], [growth.after_cuts], "v", color=ORANGE, markersize=13, label="After cuts")
        _label(ax, now, after_y, f"{growth.after_cuts:,} after cuts", ORANGE)
    ax.axhline(target, color=GREY, linewidth=2.5, linestyle=(0, (5, 3)), label="Target")
    ax.annotate(
        f"target {target:,}",
        (0, target),
        xycoords=("axes fraction", "data"),
        xytext=(8, 6),
        textcoords="offset points",
        fontsize=LABEL_PT,
        color=GREY,
        path_effects=_halo(),
    )


def _style(ax: Axes, first: date, end: date, top: float) -> None:
    """Years along the bottom, 0 to just above the top with thousands separators, few lines."""
    from matplotlib import dates as mdates
    from matplotlib import ticker

    start = float(mdates.date2num(min(first, end - MIN_SPAN)))
    now = float(mdates.date2num(end))
    # A little room right of today, so its dot and marker are not cut in half.
    ax.set_xlim(start, now + (now - start) * 0.04)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_locator(mdates.YearLocator(_year_step(first, end)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(labelsize=LABEL_PT, length=6, width=1.5)
    ax.grid(axis="y", color="#dddddd", linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _undated_note(undated: int) -> str:
    """Say that people without a connected-on date are counted from the start."""
    # Short enough to fit under the axis even as "30,000 …" at the note's size.
    return f"{undated:,} with no date, counted from the start"


def _label(ax: Axes, x: float, y: float, text: str, colour: str) -> None:
    """Write a number just left of its point at today, in the colour of its line."""
    ax.annotate(
        text,
        (x, y),
        xytext=(-14, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=LABEL_PT,
        color=colour,
        fontweight="bold",
        path_effects=_halo(),
    )


def _halo() -> list[AbstractPathEffect]:
    """A white outline that keeps a label readable where it crosses a line."""
    from matplotlib.patheffects import withStroke

    return [withStroke(linewidth=5, foreground="white")]
