"""Bar charts drawn on the server as SVG: no script, no chart library, readable without colour.

Each bar carries its own name and number as text beside it (direct labels), so colour is never the
only carrier; the SVG is one image (``role="img"``) named by its title, and the page follows it with
a table of the same numbers (``rows``) for screen readers and for copying.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
ROW = 34
BAR = 22
LABEL_WIDTH = 220
NUMBER_ROOM = 90
TOP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    """``key`` names the chart in ids (unique on a page); ``title`` is its accessible name and the table's caption."""

    key: str
    title: str
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def rows(self) -> list[list[str]]:
        """The table under the chart: the same numbers, each category with its count, then the total."""
        return [[bar.label, number(bar.value)] for bar in self.bars] + [["Total", number(self.total)]]

    @property
    def svg(self) -> Markup:
        return draw(self)


def number(value: int) -> str:
    """As Peru writes it: 80,326."""
    return f"{value:,}"


def draw(chart: Chart) -> Markup:
    """The chart as inline SVG: one row a bar, its label on the left and its number right after it."""
    longest = max((bar.value for bar in chart.bars), default=0)
    room = WIDTH - LABEL_WIDTH - NUMBER_ROOM
    height = TOP * 2 + ROW * len(chart.bars)
    title_id = f"grafico-{chart.key}-titulo"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" focusable="false">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
    ]
    for index, bar in enumerate(chart.bars):
        y = TOP + index * ROW
        length = round(room * bar.value / longest) if longest else 0
        # A zero still shows a sliver, so the row reads as "counted, none" rather than missing.
        length = max(length, 2)
        middle = y + BAR / 2
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 10}" y="{middle:.0f}" text-anchor="end"'
            f' dominant-baseline="central">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="chart__bar chart__bar--{index % 4}" x="{LABEL_WIDTH}" y="{y}"'
            f' width="{length}" height="{BAR}"/>'
        )
        parts.append(
            f'<text class="chart__number" x="{LABEL_WIDTH + length + 8}" y="{middle:.0f}"'
            f' dominant-baseline="central">{number(bar.value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
