"""The benchmark results as an SVG chart beside the table: each build's time
as a ratio to its anchor (wall and CPU time), with the target marked.

matplotlib draws it (the `bench` optional dependencies of pyproject.toml):
a maintained plotting library, and only the benchmarks need it. Text stays
text in the SVG, and the file carries no date, so a rerun with the same
numbers writes the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Ratio:
    """One measurement against its anchor: ours / anchor."""

    name: str
    wall: float
    cpu: float
    target: float | None  # the largest ratio the goal allows (wall time)


def write_chart(ratios: list[Ratio], path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "hyva-vastaus",
                                "font.size": 9})
    rows = list(reversed(ratios))  # matplotlib counts rows from the bottom
    figure, axes = pyplot.subplots(figsize=(11, 0.55 * len(rows) + 2))
    height = 0.36
    positions = range(len(rows))
    wall = axes.barh([y + height / 2 for y in positions], [row.wall for row in rows], height,
                     label="wall time", color="#0a559e")
    cpu = axes.barh([y - height / 2 for y in positions], [row.cpu for row in rows], height,
                    label="CPU time (all processes)", color="#9ab8d8", hatch="//",
                    edgecolor="#0a559e")
    axes.bar_label(wall, fmt="%.2f×", padding=3)
    axes.bar_label(cpu, fmt="%.2f×", padding=3)
    label = "target (wall time at most)"
    for y, row in zip(positions, rows, strict=True):
        if row.target is not None:
            axes.plot([row.target] * 2, [y - 0.45, y + 0.45], color="#a8231c", linewidth=2.5,
                      label=label)
            label = None  # one legend entry for all the marks
    axes.axvline(1.0, color="#4d5159", linewidth=0.8, linestyle=":")
    axes.set_yticks(list(positions), [row.name for row in rows])
    axes.set_xlabel("ratio to the anchor (lower is faster; 1.0 = as fast)")
    axes.set_xlim(0, max(max(row.wall, row.cpu, row.target or 0) for row in rows) * 1.2)
    axes.set_title(title, loc="left")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3, frameon=False)
    figure.tight_layout()
    figure.savefig(path, format="svg", metadata={"Date": None})
    pyplot.close(figure)
    return path
