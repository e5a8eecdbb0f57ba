"""Where a full build spends its time: Pelican's stages and each plugin hook.

    python -m benchmarks.profile_build 500     # a 500-case corpus, profiled

Runs one build in this process under cProfile (which slows everything by
about the same factor, so read the shares, not the seconds) and prints the
cumulative time of Pelican's generator stages and of every function in
plugins/ or hyva/ that takes at least 1 % of the build.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .corpus import generate

ROOT = Path(__file__).resolve().parents[1]
OURS = (str(ROOT / "plugins"), str(ROOT / "hyva"))

STAGES = ("generate_context", "generate_output", "generate_feeds", "generate_articles",
          "generate_tags", "generate_categories", "generate_direct_templates", "read_file",
          "write_file", "write_feed")


def profile(content: Path, output: Path, search: bool) -> pstats.Stats:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "SEARCH_INDEX": search,
        "LOAD_CONTENT_CACHE": False})
    profiler = cProfile.Profile()
    profiler.runcall(Pelican(settings).run)
    return pstats.Stats(profiler)


def table(stats: pstats.Stats) -> str:
    total = max(entry[3] for entry in stats.stats.values())
    rows = []
    for (path, line, name), (_calls, count, _own, cumulative, _callers) in stats.stats.items():
        ours = path.startswith(OURS)
        if (ours and cumulative >= total / 100) or (name in STAGES and "pelican" in path):
            where = Path(path).relative_to(ROOT) if ours else f"pelican/{Path(path).name}"
            rows.append((cumulative, f"| `{where}:{line}` {name} | {count} | "
                                     f"{cumulative:.2f} s | {100 * cumulative / total:.0f} % |"))
    rows.sort(reverse=True)
    return ("| Function | Calls | Cumulative | Share |\n| --- | --- | --- | --- |\n"
            + "\n".join(row for _time, row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=int)
    parser.add_argument("--search", action="store_true", help="include Pagefind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hyva-profile-") as work:
        content = generate(args.cases, Path(work))
        print(table(profile(content, Path(work) / "output", args.search)))


if __name__ == "__main__":
    main()
