"""Every benchmark on one synthetic corpus, as a Markdown table.

    python -m benchmarks.run --cases 2000 --repeat 3    # what `invoke bench` runs

The table is printed and written to benchmarks/results/ (not committed),
with an SVG chart of the ratios beside it (benchmarks/chart.py). Each
benchmark is a stage of the progress display (hyva_tools/progress.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from hyva_tools.progress import Progress, quiet

from . import bench_build, bench_check, bench_preview
from .chart import Ratio, write_chart
from .corpus import generate
from .measure import Summary, busy_core

RESULTS = Path(__file__).resolve().parent / "results"
# (ours, anchor, target ratio of wall times): the goals README's "Benchmarks"
# measures against. With search as fast as the anchor, without search within
# 1.1x of vanilla Pelican, and the reader cache saving at least 10 %.
PAIRS = [("this project, cold", "vanilla Pelican + Pagefind, cold", 1.0),
         ("this project, warm", "vanilla Pelican + Pagefind, warm", 1.0),
         ("this project without search, cold", "vanilla Pelican, cold", 1.1),
         ("this project without search, warm", "vanilla Pelican, warm", 1.1),
         ("this project, warm", "this project, cold", 0.9),
         ("this project, cold", "this project without the phrasebook, cold", 1.05)]


def comment_import(count: int, work: Path) -> dict | None:
    """bench_comment_import.py (the import's own benchmark), when present."""
    if importlib.util.find_spec("benchmarks.bench_comment_import") is None:
        return None
    from . import bench_comment_import
    folder = work / "comment-import"
    folder.mkdir()
    return bench_comment_import.measure(count, folder)


def build_kinds(content: Path, work: Path, busy: bool) -> list:
    """One build of each kind; on a busy machine only those with search."""
    ours = partial(bench_build.ours, content, work, 1)
    anchor = partial(bench_build.anchor, content, work, 1)
    kinds = [partial(ours, warm=False), partial(ours, warm=True),
             partial(ours, warm=False, phrasebook=False),
             partial(anchor, warm=False), partial(anchor, warm=True)]
    if not busy:
        kinds += [partial(ours, warm=False, search=False), partial(ours, warm=True, search=False),
                  partial(anchor, warm=False, search=False),
                  partial(anchor, warm=True, search=False)]
    return kinds


def interleaved_builds(content: Path, work: Path, repeat: int, busy: bool,
                       stage) -> dict[str, Summary]:
    """Each kind `repeat` times, in rounds of one of each: the machine's
    speed drifts, and builds compared in a ratio should meet the same drift."""
    kinds = build_kinds(content, work, busy)
    stage.set_total(1 + repeat * len(kinds))
    bench_build.anchor(content, work, 1, warm=True)  # fills its cache
    stage.advance()
    rounds = []
    for _ in range(repeat):
        rounds.append([])
        for measure in kinds:
            rounds[-1].append(measure())
            stage.advance()
    return {runs[0].name: Summary(runs[0].name, [run for summary in runs for run in summary.runs])
            for runs in zip(*rounds, strict=True)}


def measured_pairs(builds: dict[str, Summary]):
    """(ours, anchor, their summaries, target) of every pair that was built."""
    return [(ours, anchor, builds[ours], builds[anchor], target)
            for ours, anchor, target in PAIRS if ours in builds and anchor in builds]


def per_file(builds: dict[str, Summary], files: tuple[int, int]) -> tuple[tuple, Ratio]:
    """The warm builds without search, per file each writes (our site has
    pages the anchor's job does not: facets, comment feeds, the phrasebook),
    as a table row and a chart bar."""
    ours, anchor = builds["this project without search, warm"], builds["vanilla Pelican, warm"]
    wall = [1000 * ours.median / files[0], 1000 * anchor.median / files[1]]
    cpu = [1000 * ours.cpu_median / files[0], 1000 * anchor.cpu_median / files[1]]
    name = (f"this project without search, warm / vanilla Pelican, warm, per file written "
            f"({files[0]} / {files[1]} files)")
    row = (name, f"{wall[0]:.2f} ms / {wall[1]:.2f} ms = {wall[0] / wall[1]:.2f}x",
           f"{cpu[0]:.2f} ms / {cpu[1]:.2f} ms = {cpu[0] / cpu[1]:.2f}x")
    return row, Ratio(name, wall[0] / wall[1], cpu[0] / cpu[1], None)


def ratio_rows(builds: dict[str, Summary], note: str) -> list[tuple[str, str, str]]:
    return [(f"{ours} / {anchor}{note}",
             f"{a.median:.2f} s / {b.median:.2f} s = {a.median / b.median:.2f}x",
             f"{a.cpu_median:.2f} s / {b.cpu_median:.2f} s = {a.cpu_median / b.cpu_median:.2f}x")
            for ours, anchor, a, b, _ in measured_pairs(builds)]


def ratios(builds: dict[str, Summary], note: str) -> list[Ratio]:
    return [Ratio(f"{ours} / {anchor}{note}", a.median / b.median, a.cpu_median / b.cpu_median,
                  target) for ours, anchor, a, b, target in measured_pairs(builds)]


BUSY = " (one core busy)"
# Exit status of a run stopped with Ctrl-C, as a shell reports it.
INTERRUPTED = 130


def run(cases: int, repeat: int, edits: int, messages: int, work: Path,
        busy: bool = True, chart: Path | None = None, progress: Progress | None = None,
        check_anchor: bool = False) -> str:
    """Every benchmark; the table as Markdown, and the chart at `chart` if given."""
    progress = progress or quiet()
    with progress.stage("corpus", total=cases, unit="cases") as stage:
        content = generate(cases, work / "corpus")
        stage.advance(cases)
    with progress.stage("builds", unit="builds") as stage:
        idle = interleaved_builds(content, work, repeat, busy=False, stage=stage)
    # The last idle round ends with the warm builds without search.
    files = (bench_build.files_in(work / "ours-without-search"),
             bench_build.files_in(work / "vanilla"))
    loaded = {}
    if busy:
        with busy_core(), progress.stage("builds, one core busy", unit="builds") as stage:
            loaded = interleaved_builds(content, work, repeat, busy=True, stage=stage)
    with progress.stage("peak memory", total=2, unit="builds") as stage:
        memory = bench_build.ours(content, work, 1, warm=False, sample_memory=True).peak_mb
        stage.advance()
        anchor_memory = bench_build.anchor(content, work, 1, warm=False,
                                           sample_memory=True).peak_mb
        stage.advance()
    with progress.stage("Pagefind alone", total=1, unit="runs") as stage:
        pagefind = bench_build.pagefind_seconds(work / "ours")
        stage.advance()
    with progress.stage("edit-to-preview", total=edits, unit="edits") as stage:
        startup, latencies = bench_preview.edit_latencies(content, work, edits)
        stage.advance(edits)
    preview = bench_preview.summary(latencies)
    with progress.stage("comment import", total=messages, unit="messages") as stage:
        imported = comment_import(messages, work)
        stage.advance(messages)
    with progress.stage("invoke check", total=1, unit="runs") as stage:
        checks = bench_check.measure(content, work, repeat, check_anchor)
        stage.advance()

    per_file_row, per_file_ratio = per_file(idle, files)
    if chart is not None:
        write_chart(ratios(idle, "") + [per_file_ratio] + ratios(loaded, BUSY), chart,
                    f"N = {cases} cases, medians of {repeat}, {os.cpu_count()} cores")
    rows = ratio_rows(idle, "") + [per_file_row] + ratio_rows(loaded, BUSY)
    rows += [
        ("Peak memory of a cold build: this project / vanilla Pelican + Pagefind",
         f"{memory:.0f} MB / {anchor_memory:.0f} MB", ""),
        ("Pagefind alone on our output", f"{pagefind:.2f} s", ""),
        ("Preview server start (one full build with the search index)", f"{startup:.2f} s", ""),
        (f"Edit-to-preview, median of {preview['edits']} edits",
         f"{1000 * preview['median']:.0f} ms", ""),
        ("Edit-to-preview, slowest edit", f"{1000 * preview['max']:.0f} ms", ""),
    ]
    if imported:
        rows += [
            (f"Comment import, {imported['messages']} messages from a Maildir",
             f"{imported['messages_per_second']:.0f} messages/s", ""),
            ("Comment re-import of the unchanged Maildir",
             f"{imported['reimport_seconds']:.2f} s", ""),
        ]
    rows += bench_check.rows(checks)
    header = (f"N = {cases} cases, {repeat} builds of each kind (medians), "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Ours is `invoke build` "
              "(all plugins, Pagefind included); the anchor is vanilla Pelican doing the same "
              "listing job (benchmarks/vanilla_searchable.py), then Pagefind over its output. "
              "CPU time counts every process of a build. Peak memory is measured in a cold "
              "build of its own.\n\n")
    table = "| Benchmark | Wall time | CPU time |\n| --- | --- | --- |\n"
    table += "".join(f"| {name} | {time} | {cpu} |\n" for name, time, cpu in rows)
    return header + table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--messages", type=int, default=10_000,
                        help="comment import benchmark size")
    parser.add_argument("--no-busy", action="store_true",
                        help="skip the builds with one core busy")
    parser.add_argument("--check-anchor", action="store_true",
                        help="pair the cold check with the check before the check cache")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    result = RESULTS / f"bench-{args.cases}-{datetime.now():%Y%m%d-%H%M%S}.md"
    chart = result.with_suffix(".svg")
    try:
        with Progress() as progress, tempfile.TemporaryDirectory(prefix="hyva-bench-") as work:
            report = run(args.cases, args.repeat, args.edits, args.messages, Path(work),
                         busy=not args.no_busy, chart=chart, progress=progress,
                         check_anchor=args.check_anchor)
    except KeyboardInterrupt:
        print("bench: interrupted; the work folder was removed and no results were written.",
              file=sys.stderr)
        sys.exit(INTERRUPTED)
    print(report)
    result.write_text(report, encoding="utf-8")
    print(f"Written to {result.relative_to(RESULTS.parents[1])} and {chart.name} beside it")


if __name__ == "__main__":
    main()
