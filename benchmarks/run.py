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
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from . import bench_build, bench_preview
from .corpus import generate
from .measure import Summary

RESULTS = Path(__file__).resolve().parent / "results"


def comment_import(count: int, work: Path) -> dict | None:
    """bench_comment_import.py (the import's own benchmark), when present."""
    if importlib.util.find_spec("benchmarks.bench_comment_import") is None:
        return None
    from . import bench_comment_import
    folder = work / "comment-import"
    folder.mkdir()
    return bench_comment_import.measure(count, folder)


def interleaved_builds(content: Path, work: Path, repeat: int) -> list[Summary]:
    """Ours cold and warm (also without the search index), vanilla cold and
    warm, each `repeat` times in rounds of one of each: the machine's speed
    drifts, and builds compared in a ratio should meet the same drift."""
    bench_build.vanilla(content, work, 1, warm=True)  # fills its cache
    kinds = [partial(bench_build.ours, content, work, 1, warm=False),
             partial(bench_build.ours, content, work, 1, warm=True),
             partial(bench_build.ours, content, work, 1, warm=False, search=False),
             partial(bench_build.ours, content, work, 1, warm=True, search=False),
             partial(bench_build.vanilla, content, work, 1, warm=False),
             partial(bench_build.vanilla, content, work, 1, warm=True)]
    rounds = [[measure() for measure in kinds] for _ in range(repeat)]
    return [Summary(runs[0].name, [run for summary in runs for run in summary.runs])
            for runs in zip(*rounds)]


def peak_memory(content: Path, work: Path) -> tuple[float, float]:
    """Peak memory (MB) of a cold build, ours and vanilla, in builds of their
    own: sampling is not free, so the timed builds are not sampled."""
    return (bench_build.ours(content, work, 1, warm=False, sample_memory=True).peak_mb,
            bench_build.vanilla(content, work, 1, warm=False, sample_memory=True).peak_mb)


def run(cases: int, repeat: int, edits: int, messages: int, work: Path) -> str:
    content = generate(cases, work / "corpus")
    (cold, warm, cold_without_search, warm_without_search,
     vanilla_cold, vanilla_warm) = interleaved_builds(content, work, repeat)
    memory, vanilla_memory = peak_memory(content, work)
    pagefind = bench_build.pagefind_seconds(work / "ours")
    startup, latencies = bench_preview.edit_latencies(content, work, edits)
    preview = bench_preview.summary(latencies)
    imported = comment_import(messages, work)

    def build_row(summary, ratio_to=None, peak_mb=None):
        ratio = f" ({summary.median / ratio_to.median:.2f}x vanilla)" if ratio_to else ""
        return (f"Full build, {summary.name}", f"{summary.median:.2f} s{ratio}",
                f"{peak_mb:.0f} MB" if peak_mb else "")

    rows = [
        build_row(cold, vanilla_cold, memory),
        build_row(warm, vanilla_warm),
        build_row(cold_without_search, vanilla_cold),
        build_row(warm_without_search, vanilla_warm),
        ("Pagefind alone on the output, writing its whole bundle", f"{pagefind:.2f} s", ""),
        build_row(vanilla_cold, peak_mb=vanilla_memory),
        build_row(vanilla_warm),
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
    header = (f"N = {cases} cases, {repeat} builds of each kind (medians), "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Ours is `invoke build` "
              "(all plugins, Pagefind included); vanilla is `pelican` with default "
              "settings and theme, no plugins, over the same case files. Peak memory "
              "is measured in a cold build of its own.\n\n")
    table = "| Benchmark | Time | Peak memory |\n| --- | --- | --- |\n"
    table += "".join(f"| {name} | {time} | {memory} |\n" for name, time, memory in rows)
    return header + table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--messages", type=int, default=10_000,
                        help="comment import benchmark size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hyva-bench-") as work:
        report = run(args.cases, args.repeat, args.edits, args.messages, Path(work))
    print(report)
    RESULTS.mkdir(exist_ok=True)
    result = RESULTS / f"bench-{args.cases}-{datetime.now():%Y%m%d-%H%M%S}.md"
    result.write_text(report, encoding="utf-8")
    print(f"Written to {result.relative_to(RESULTS.parents[1])}")


if __name__ == "__main__":
    main()
