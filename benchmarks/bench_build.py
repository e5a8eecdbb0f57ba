"""Full builds of the same corpus: this project against its anchors.

Ours is `pelican content -s pelicanconf.py` as `invoke build` runs it
(every plugin, Pagefind included when SEARCH_INDEX is on). The anchor with
search is vanilla Pelican doing the same listing job (vanilla_searchable.py)
and then Pagefind over its output; without search, the same Pelican alone.
Each build runs in a fresh process into an empty output folder. "Cold"
builds ignore the reader cache (`--ignore-cache`); "warm" ones find every
file in it, as a build after editing a few cases does.

The previous build's output is moved aside, not deleted, until the whole
run is over: deleting thousands of files between builds slows the creation
of files for a while afterwards on some file systems (see README, "Speed").
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

from pagefind_bin_extended import get_executable

from .corpus import real_settings
from .measure import Summary, repeat, run_once

ROOT = Path(__file__).resolve().parents[1]
ANCHOR_SETTINGS = Path(__file__).with_name("vanilla_searchable.py")


def pelican_command(content: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), *extra]


def set_aside(output: Path, work: Path) -> None:
    """Empty `output` by moving it into `work`, which is deleted after the run."""
    if output.exists():
        output.rename(tempfile.mkdtemp(prefix="set-aside-", dir=work) + "/output")


def without_phrasebook() -> list[str]:
    """Pelican options for a build without the phrasebook plugin (the notes'
    tags are still read and checked by reply_compare)."""
    plugins = [name for name in real_settings()["PLUGINS"] if name != "phrasebook"]
    return ["-e", f"PLUGINS={json.dumps(plugins)}"]


def ours(content: Path, work: Path, times: int, warm: bool, sample_memory: bool = False,
         search: bool = True, phrasebook: bool = True) -> Summary:
    """`search=False` leaves out the search index (SEARCH_INDEX = False),
    `phrasebook=False` the phrasebook."""
    output = work / ("ours" if search else "ours-without-search")
    if not phrasebook:
        output = output.with_name(output.name + "-without-phrasebook")
    command = pelican_command(content, output, "-s", str(ROOT / "pelicanconf.py"),
                              *([] if warm else ["--ignore-cache"]),
                              *([] if search else ["-e", "SEARCH_INDEX=false"]),
                              *([] if phrasebook else without_phrasebook()))
    name = "this project" if search else "this project without search"
    name += "" if phrasebook else " without the phrasebook"
    return repeat(f"{name}, {'warm' if warm else 'cold'}", command, ROOT, times,
                  before=lambda: set_aside(output, work), sample_memory=sample_memory)


def anchor(content: Path, work: Path, times: int, warm: bool, search: bool = True,
           sample_memory: bool = False) -> Summary:
    """Vanilla Pelican (then Pagefind, with `search`), run from an empty
    folder so that Pelican finds no pelicanconf.py of ours."""
    output, empty = work / "vanilla", work / "vanilla-cwd"
    empty.mkdir(parents=True, exist_ok=True)
    pelican = pelican_command(content / "cases", output, "-s", str(ANCHOR_SETTINGS),
                              *([] if warm else ["--ignore-cache"]))
    command = pelican
    if search:
        pagefind = [str(get_executable()), "--site", str(output), "--silent"]
        command = ["sh", "-c", f"{shlex.join(pelican)} && {shlex.join(pagefind)}"]
    name = "vanilla Pelican + Pagefind" if search else "vanilla Pelican"
    return repeat(f"{name}, {'warm' if warm else 'cold'}", command, empty, times,
                  before=lambda: set_aside(output, work), sample_memory=sample_memory)


def files_in(output: Path) -> int:
    return sum(len(names) for _folder, _folders, names in os.walk(output))


def pagefind_seconds(output: Path) -> float:
    """Pagefind alone over a built site, with its default settings."""
    command = [str(get_executable()), "--site", str(output), "--silent"]
    return run_once(command, ROOT).seconds
