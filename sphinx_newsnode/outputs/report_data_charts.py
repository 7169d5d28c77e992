"""The charts of a report's GBIF figures (part of :mod:`.report_data`), drawn by matplotlib.

Imported only where a report has figures: matplotlib is an optional
dependency (``sphinx-newsnode[gbif]``). Output is reproducible (no date in
the files, identifiers salted by the chart's name): the same snapshot gives
the same bytes.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx_newsnode.model.gbif import Figures

BAR = "#3f8fbf"
"""Bars: 3.6:1 against white, 5:1 against the themes' dark backgrounds."""
LINE = "#c0661a"
"""The second series: 3.7:1 against white, 4.6:1 against dark backgrounds."""
INK = "#010203"
"""Text and axes: the page's own colour (``currentColor``) in HTML, (near) black in print."""
STYLE: dict[Any, Any] = {
    "font.size": 9,
    "font.family": "sans-serif",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}
_ID = re.compile(r'\sid="([^"]+)"')


def kingdoms(figures: Figures, words: dict[str, str], number: Callable[[float], str]) -> Figure:
    """Records by kingdom: one horizontal bar each, the largest on top."""
    with mpl.rc_context(STYLE):
        names = [name for name, _ in reversed(figures.kingdoms)]
        counts = [n for _, n in reversed(figures.kingdoms)]
        figure = Figure(figsize=(6.4, 0.45 * len(names) + 0.8))
        axes = figure.add_subplot()
        bars = axes.barh(names, counts, color=BAR)
        axes.bar_label(bars, [number(n) for n in counts], padding=3)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x)))
        axes.set_xlabel(words["records"])
        axes.margins(x=0.18)
        plain(axes)
    return figure


def growth(figures: Figures, words: dict[str, str], number: Callable[[float], str]) -> Figure:
    """Datasets published (bars) and the records they hold (line), at the end of each year."""
    with mpl.rc_context(STYLE):
        years = [y for y, _, _ in figures.growth]
        figure = Figure(figsize=(6.4, 3.0))
        axes = figure.add_subplot()
        axes.bar(years, [d for _, d, _ in figures.growth], color=BAR, label=words["datasets"])
        axes.set_ylabel(words["datasets"])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        records = axes.twinx()
        records.plot(years, [r for _, _, r in figures.growth], color=LINE, marker="o",
                     linewidth=2, label=words["records"])  # fmt: skip
        records.set_ylabel(words["records"])
        records.set_ylim(bottom=0)
        for each in (axes, records):
            each.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x)))
            plain(each)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        records.spines["right"].set_visible(True)
        bars, line = axes.get_legend_handles_labels(), records.get_legend_handles_labels()
        records.legend(bars[0] + line[0], bars[1] + line[1], loc="upper left", frameon=False)
    return figure


def plain(axes: object) -> None:
    """No frame on top or right; a light grid behind the bars."""
    axes.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    axes.set_axisbelow(True)  # type: ignore[attr-defined]


def as_svg(figure: Figure, name: str) -> str:
    """*figure* as an SVG element to write into a page.

    Its text and axes take the page's colour; identifiers nothing refers to
    are dropped, so that two charts on a page never share one.
    """
    buffer = io.StringIO()
    with mpl.rc_context({**STYLE, "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight",
                       transparent=True)  # fmt: skip
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :].replace(INK, "currentColor")
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    referred = set(re.findall(r"#([\w.-]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    svg = _ID.sub(lambda m: m[0] if m[1] in referred else "", svg)
    # Scales with the page: the drawing's own size as its view box only.
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", svg, count=1)


def save_pdf(figure: Figure, path: Path) -> None:
    """*figure* as a vector PDF at *path*."""
    with mpl.rc_context(STYLE):
        figure.savefig(path, format="pdf", metadata={"CreationDate": None}, bbox_inches="tight")
