"""Full build of the same corpus: this project vs vanilla Pelican.

Ours is `pelican content -s pelicanconf.py` as `invoke build` runs it
(every plugin, Pagefind included when SEARCH_INDEX is on). Vanilla is
`pelican` with default settings, default theme and no plugins over the same
case files, where the comparison fences are plain text. Each build runs in
a fresh process into an emptied output folder; times are medians.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .measure import Summary, repeat

ROOT = Path(__file__).resolve().parents[1]


def pelican_command(content: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), *extra]


def ours(content: Path, work: Path, times: int, label: str = "this project",
         *settings: str) -> Summary:
    output = work / "ours"
    command = pelican_command(content, output, "-s", str(ROOT / "pelicanconf.py"), *settings)
    return repeat(label, command, ROOT, times,
                  before=lambda: shutil.rmtree(output, ignore_errors=True))


def vanilla(content: Path, work: Path, times: int) -> Summary:
    """From an empty folder, so Pelican finds no pelicanconf.py to load."""
    output, empty = work / "vanilla", work / "vanilla-cwd"
    empty.mkdir(parents=True, exist_ok=True)
    command = pelican_command(content / "cases", output)
    return repeat("vanilla Pelican", command, empty, times,
                  before=lambda: shutil.rmtree(output, ignore_errors=True))
