"""Every benchmark on one synthetic corpus, as a Markdown table.

    python -m benchmarks.run --cases 2000 --repeat 3    # what `invoke bench` runs

The table is printed and written to benchmarks/results/ (not committed).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import tempfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from . import bench_build, bench_check, bench_preview
from .corpus import generate
from .measure import Summary, busy_core

RESULTS = Path(__file__).resolve().parent / "results"


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
             partial(anchor, warm=False), partial(anchor, warm=True)]
    if not busy:
        kinds += [partial(ours, warm=False, search=False), partial(ours, warm=True, search=False),
                  partial(anchor, warm=False, search=False),
                  partial(anchor, warm=True, search=False)]
    return kinds


def interleaved_builds(content: Path, work: Path, repeat: int, busy: bool) -> dict[str, Summary]:
    """Each kind `repeat` times, in rounds of one of each: the machine's
    speed drifts, and builds compared in a ratio should meet the same drift."""
    bench_build.anchor(content, work, 1, warm=True)  # fills its cache
    kinds = build_kinds(content, work, busy)
    rounds = [[measure() for measure in kinds] for _ in range(repeat)]
    return {runs[0].name: Summary(runs[0].name, [run for summary in runs for run in summary.runs])
            for runs in zip(*rounds, strict=True)}


def ratio_rows(builds: dict[str, Summary], note: str) -> list[tuple[str, str, str]]:
    pairs = [("this project, cold", "vanilla Pelican + Pagefind, cold"),
             ("this project, warm", "vanilla Pelican + Pagefind, warm"),
             ("this project without search, cold", "vanilla Pelican, cold"),
             ("this project without search, warm", "vanilla Pelican, warm")]
    pairs += [("this project, warm", "this project, cold")]
    rows = []
    for ours, anchor in pairs:
        if ours in builds and anchor in builds:
            a, b = builds[ours], builds[anchor]
            rows.append((f"{ours} / {anchor}{note}",
                         f"{a.median:.2f} s / {b.median:.2f} s = {a.median / b.median:.2f}x",
                         f"{a.cpu_median:.2f} s / {b.cpu_median:.2f} s = "
                         f"{a.cpu_median / b.cpu_median:.2f}x"))
    return rows


def run(cases: int, repeat: int, edits: int, messages: int, work: Path,
        busy: bool = True) -> str:
    content = generate(cases, work / "corpus")
    quiet = interleaved_builds(content, work, repeat, busy=False)
    loaded = {}
    if busy:
        with busy_core():
            loaded = interleaved_builds(content, work, repeat, busy=True)
    memory = bench_build.ours(content, work, 1, warm=False, sample_memory=True).peak_mb
    anchor_memory = bench_build.anchor(content, work, 1, warm=False, sample_memory=True).peak_mb
    pagefind = bench_build.pagefind_seconds(work / "ours")
    startup, latencies = bench_preview.edit_latencies(content, work, edits)
    preview = bench_preview.summary(latencies)
    imported = comment_import(messages, work)
    checks = bench_check.measure(content, work, repeat)

    rows = ratio_rows(quiet, "") + ratio_rows(loaded, " (one core busy)")
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hyva-bench-") as work:
        report = run(args.cases, args.repeat, args.edits, args.messages, Path(work),
                     busy=not args.no_busy)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    result = RESULTS / f"bench-{args.cases}-{datetime.now():%Y%m%d-%H%M%S}.md"
    result.write_text(report, encoding="utf-8")
    print(f"Written to {result.relative_to(RESULTS.parents[1])}")


if __name__ == "__main__":
    main()
