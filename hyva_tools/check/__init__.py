"""Pre-publish checks of a built site: `invoke check` and `invoke publish`.

Each check module declares one `Check` (see output.py) for one kind of
problem; `run_checks` runs them all so that a maintainer sees every
problem at once, as a readable list, before anything reaches readers. A
check says what it reads, per output file, per content file or the whole
site, and what judges it, so that the check cache (cache.py) can skip
what has not changed since it last passed.
"""

from __future__ import annotations

from pathlib import Path

from hyva_tools.check import (
    addresses,
    content_style,
    feeds,
    html_validity,
    identifiers,
    links,
    removed_comments,
    scripts,
    unpublished,
)
from hyva_tools.check.cache import CheckCache, cache_file
from hyva_tools.check.output import BuiltOutput, Check, Problem
from hyva_tools.check.runner import CheckRun, run_checks

CHECKS = (
    html_validity.CHECK,
    feeds.CHECK,
    links.CHECK,
    addresses.CHECK,
    identifiers.CHECK,
    scripts.CHECK,
    unpublished.CHECK,
    content_style.CHECK,
    removed_comments.CHECK,
)

__all__ = ["CHECKS", "BuiltOutput", "Check", "CheckCache", "CheckRun", "Problem", "cache_file",
           "check_site", "report", "run_checks", "summary"]


def check_site(output: Path, settings: dict, checks=CHECKS) -> list[Problem]:
    """Every problem `checks` find in the built site at `output`, sorted by
    file, worked out afresh (no cache)."""
    return run_checks(output, settings, checks).problems


def summary(run: CheckRun, timings: bool = False) -> list[str]:
    """How many files were checked and taken from the cache, and with
    `timings` what each check took."""
    lines = [f"check: {run.checked + run.from_cache} files, {run.checked} checked, "
             f"{run.from_cache} taken from the cache"]
    if run.cache_started_afresh:
        lines.append("check: the check cache could not be read; it was started afresh")
    if timings:
        lines += [f"check: {name}: scanning {timing.scan_seconds:.2f} s, "
                  f"judging {timing.judge_seconds:.2f} s"
                  for name, timing in run.timings.items()]
    return lines


def report(problems: list[Problem]) -> str:
    """The problems as lines of `file: problem`, with a count at the end."""
    lines = [str(problem) for problem in problems]
    noun = "problem" if len(problems) == 1 else "problems"
    return "\n".join([*lines, f"{len(problems)} {noun} in the built site."])
