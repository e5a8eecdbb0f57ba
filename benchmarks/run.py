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
from pathlib import Path

from . import bench_build, bench_preview
from .corpus import generate

RESULTS = Path(__file__).resolve().parent / "results"


def comment_import(count: int, work: Path) -> dict | None:
    """bench_comment_import.py (the import's own benchmark), when present."""
    if importlib.util.find_spec("benchmarks.bench_comment_import") is None:
        return None
    from . import bench_comment_import
    folder = work / "comment-import"
    folder.mkdir()
    return bench_comment_import.measure(count, folder)


def run(cases: int, repeat: int, edits: int, messages: int, work: Path) -> str:
    content = generate(cases, work / "corpus")
    ours = bench_build.ours(content, work, repeat)
    vanilla = bench_build.vanilla(content, work, repeat)
    no_search = bench_build.ours(content, work, repeat, "this project without Pagefind",
                                 "-e", "SEARCH_INDEX=false")
    startup, latencies = bench_preview.edit_latencies(content, work, edits)
    preview = bench_preview.summary(latencies)
    imported = comment_import(messages, work)

    rows = [
        ("Full build, this project (`invoke build`, Pagefind included)",
         f"{ours.median:.2f} s", f"{ours.peak_mb:.0f} MB"),
        ("Full build, this project without Pagefind (SEARCH_INDEX=False)",
         f"{no_search.median:.2f} s", f"{no_search.peak_mb:.0f} MB"),
        ("Full build, vanilla Pelican (defaults, no plugins)",
         f"{vanilla.median:.2f} s", f"{vanilla.peak_mb:.0f} MB"),
        ("Ratio this project / vanilla", f"{ours.median / vanilla.median:.2f}x", ""),
        ("Ratio without Pagefind / vanilla", f"{no_search.median / vanilla.median:.2f}x", ""),
        ("Preview server start (first full build, no Pagefind)", f"{startup:.2f} s", ""),
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
    header = (f"N = {cases} cases, {repeat} builds each (medians), "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n\n")
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
