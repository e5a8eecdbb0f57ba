"""Bar charts of counts, drawn at build time and read without JavaScript.

A chart is data only: each bar has its label, its count and the listing it
links to, and its length as a share of the longest bar. The theme's
partials (`partials/bar_chart.html`, `partials/cross_chart.html`) draw it as
a table whose cells hold an inline SVG bar beside the number, so the numbers
are text and the table is the chart's accessible form. Anything that counts
cases (the facets, a phrasebook's patterns) makes its charts here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    url: str | None  # the listing of what is counted; None when it has none
    length: float  # percent of the chart's longest bar


@dataclass(frozen=True)
class BarChart:
    """One bar per value: "how many cases each channel has"."""

    id: str
    title: str  # msgid of the theme catalogue
    label: str  # msgid: what the rows are, e.g. "Channel"
    bars: list[Bar]
    count_label: str = "Number of cases"  # msgid: what is counted


@dataclass(frozen=True)
class CrossRow:
    label: str
    url: str | None
    bars: list[Bar]  # one per column, in the columns' order


@dataclass(frozen=True)
class CrossChart:
    """Counts of two facets at once: rows of one, columns of the other."""

    id: str
    title: str  # msgid
    row_label: str  # msgid: what the rows are
    columns: list[tuple[str, str | None]]  # (label, listing url)
    rows: list[CrossRow]


def _length(count: int, longest: int) -> float:
    return round(100 * count / longest, 1) if longest else 0.0


def bar_chart(chart_id: str, title: str, label: str,
              counts: Iterable[tuple[str, int, str | None]],
              count_label: str = "Number of cases") -> BarChart:
    """A chart of (label, count, listing url), in the order given."""
    counts = list(counts)
    longest = max((count for _, count, _ in counts), default=0)
    return BarChart(chart_id, title, label,
                    [Bar(name, count, url, _length(count, longest)) for name, count, url in counts],
                    count_label)


def cross_chart(chart_id: str, title: str, row_label: str,
                columns: list[tuple[str, str | None]],
                rows: Iterable[tuple[str, str | None, list[int]]]) -> CrossChart:
    """A chart of rows (label, url, one count per column); every bar of a
    row links to the row's listing, and all bars share one scale."""
    rows = list(rows)
    longest = max((count for _, _, counts in rows for count in counts), default=0)
    return CrossChart(chart_id, title, row_label, columns, [
        CrossRow(name, url, [Bar(f"{name}, {column}", count, url if count else None,
                                 _length(count, longest))
                             for (column, _), count in zip(columns, counts, strict=True)])
        for name, url, counts in rows])
