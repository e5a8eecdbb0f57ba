"""Full-text search: run Pagefind over the finished site.

Pagefind indexes only the case bodies (`data-pagefind-body` in
article.html), reads the filters the theme marks with
`data-pagefind-filter`, and picks its Finnish stemmer from `<html lang="fi">`,
so "muuttofirmaa" finds a case that says "muuttofirmalle". The bundle goes
to `<output>/pagefind/`, beside the search page that loads it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pelican import signals


class SearchIndexFailed(SystemExit):
    """Pagefind failed: the build stops with exit status 1 and the reason,
    rather than ship a search page without an index."""


def case_pages_glob(article_save_as: str) -> str:
    """Where case pages are written, as a Pagefind glob ("{slug}/index.html"
    gives "*/index.html"). Only case pages carry `data-pagefind-body`, so
    listing pages would be parsed only to be dropped: at 2,000 cases that
    halves Pagefind's time."""
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


def pagefind_command(output_path: str, exclude_selectors: list[str],
                     article_save_as: str) -> list[str]:
    """The binary bundled with `pagefind[extended]`, via its Python entry."""
    command = [sys.executable, "-m", "pagefind", "--site", output_path, "--silent",
               "--glob", case_pages_glob(article_save_as)]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    return command


# Pagefind's ready-made interfaces. The search page drives Pagefind's JS API
# (theme/static/js/search.js) and never loads these; they also credit
# Pagefind's translators by email address, and no address but the site's own
# may be published.
UNUSED_UI_BUNDLES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
                     "pagefind-highlight.js")


def remove_unused_ui(bundle: Path) -> None:
    for pattern in UNUSED_UI_BUNDLES:
        for path in bundle.glob(pattern):
            path.unlink()


def build_index(pelican) -> None:
    if not pelican.settings["SEARCH_INDEX"]:
        return
    command = pagefind_command(pelican.output_path,
                               pelican.settings["SEARCH_EXCLUDE_SELECTORS"],
                               pelican.settings["ARTICLE_SAVE_AS"])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last_lines = " ".join((result.stderr or result.stdout).split("\n")[-4:]).strip()
        raise SearchIndexFailed(
            f"Search index failed: Pagefind could not index {pelican.output_path} (exit {result.returncode}): "
            f"{last_lines} Fix: check SEARCH_EXCLUDE_SELECTORS and that pagefind[extended] "
            "is installed, or set SEARCH_INDEX = False")
    remove_unused_ui(Path(pelican.output_path, "pagefind"))


def register() -> None:
    signals.finalized.connect(build_index)
