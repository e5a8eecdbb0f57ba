"""Pre-publish checks of a built site: `invoke check` and `invoke publish`.

Each check module looks at the output folder for one kind of problem and
yields `Problem`s; `check_site` runs them all so that a maintainer sees every
problem at once, as a readable list, before anything reaches readers.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hyva_tools.check import addresses, content_style, feeds, html_validity, links, unpublished
from hyva_tools.check import identifiers as personal_data
from hyva_tools.check.output import BuiltOutput, Problem

CHECKS = (
    html_validity.check,
    feeds.check,
    links.check,
    addresses.check,
    personal_data.check,
    unpublished.check,
    content_style.check,
)

__all__ = ["CHECKS", "BuiltOutput", "Problem", "check_site", "report"]


def check_site(output: Path, settings: dict, checks=CHECKS) -> list[Problem]:
    """Every problem `checks` find in the built site at `output`, sorted by file.

    The HTML checker, a separate Java process, runs in the background while
    the other checks share one parse of each page in the foreground."""
    site = BuiltOutput(Path(output).resolve(), settings)
    if not (site.root / "index.html").is_file():
        return [Problem(str(output), "there is no built site here (no index.html); "
                                     "build it first with `invoke preview`")]
    background = [check for check in checks if check is html_validity.check]
    with ThreadPoolExecutor() as pool:
        started = [pool.submit(list, check(site, settings)) for check in background]
        problems = [problem for check in checks if check not in background
                    for problem in check(site, settings)]
        problems += [problem for future in started for problem in future.result()]
    return sorted(problems)


def report(problems: list[Problem]) -> str:
    """The problems as lines of `file: problem`, with a count at the end."""
    lines = [str(problem) for problem in problems]
    noun = "problem" if len(problems) == 1 else "problems"
    return "\n".join([*lines, f"{len(problems)} {noun} in the built site."])
