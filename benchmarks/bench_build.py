"""Full build of the same corpus: this project vs vanilla Pelican.

Ours is `pelican content -s pelicanconf.py` as `invoke build` runs it
(every plugin, Pagefind included when SEARCH_INDEX is on). Vanilla is
`pelican` with default settings, default theme and no plugins over the same
case files, where the comparison fences are plain text. Each build runs in
a fresh process into an empty output folder; times are medians. "Cold"
builds ignore the reader cache (`--ignore-cache`); "warm" ones find every
file in it, as a build after editing a few cases does.

The previous build's output is moved aside, not deleted, until the whole
run is over. On ext4 without a journal (as on this machine), the file
system avoids reusing inodes freed in the last few minutes, and every file
created meanwhile first skips over them: after deleting the 12,000 files
and folders of one build, creating files was 3 to 15 times slower for about a
minute. Deleting between builds would time the clean-up of the previous
build, not the build.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pelican.settings import read_settings

from .measure import Summary, repeat, run_once

ROOT = Path(__file__).resolve().parents[1]

from pagefind_bin_extended import get_executable


def pelican_command(content: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), *extra]


def set_aside(output: Path, work: Path) -> None:
    """Empty `output` by moving it into `work`, which is deleted after the run."""
    if output.exists():
        output.rename(tempfile.mkdtemp(prefix="set-aside-", dir=work) + "/output")


def ours(content: Path, work: Path, times: int, warm: bool,
         sample_memory: bool = False, search: bool = True) -> Summary:
    """`search=False` leaves out the search index (SEARCH_INDEX = False):
    what everything else costs."""
    output = work / ("ours" if search else "ours-without-search")
    command = pelican_command(content, output, "-s", str(ROOT / "pelicanconf.py"),
                              *([] if warm else ["--ignore-cache"]),
                              *([] if search else ["-e", "SEARCH_INDEX=false"]))
    name = "this project" if search else "this project without the search index"
    return repeat(f"{name}, {'warm' if warm else 'cold'}", command, ROOT, times,
                  before=lambda: set_aside(output, work), sample_memory=sample_memory)


def vanilla(content: Path, work: Path, times: int, warm: bool,
            sample_memory: bool = False) -> Summary:
    """From an empty folder, so Pelican finds no pelicanconf.py to load."""
    output, empty = work / "vanilla", work / "vanilla-cwd"
    empty.mkdir(parents=True, exist_ok=True)
    cache = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"] if warm else []
    command = pelican_command(content / "cases", output, *cache)
    return repeat(f"vanilla Pelican, {'warm' if warm else 'cold'}", command, empty, times,
                  before=lambda: set_aside(output, work), sample_memory=sample_memory)


def pagefind_seconds(output: Path) -> float:
    """Pagefind alone over a built site, as the build runs it: its share of our build."""
    command = [str(get_executable()), "--site", str(output), "--silent"]
    return run_once(command, ROOT).seconds
