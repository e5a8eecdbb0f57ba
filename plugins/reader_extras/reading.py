"""How long a case takes to read, and its table of contents.

Both are read from the rendered HTML, so they count what the reader sees,
including reply comparisons, and use the heading ids that Markdown's toc
extension has already given the headings.
"""

from __future__ import annotations

import math

from bs4 import BeautifulSoup, SoupStrainer
from markdown.extensions.toc import nest_toc_tokens
from markupsafe import Markup

TOC_HEADINGS = {"h2": 2, "h3": 3}


def reading_minutes(html: str, words_per_minute: int) -> int:
    """Whole minutes, at least one."""
    words = len(Markup(html).striptags().split())
    return max(1, math.ceil(words / words_per_minute))


def toc_entries(html: str) -> list[dict]:
    """Linkable h2/h3 headings as Markdown's nested toc tokens
    (`level`, `id`, `name`, `children`)."""
    soup = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer(list(TOC_HEADINGS)))
    flat = [{"level": TOC_HEADINGS[heading.name], "id": heading["id"],
             "name": heading.get_text(" ", strip=True)}
            for heading in soup.find_all(list(TOC_HEADINGS)) if heading.get("id")]
    return nest_toc_tokens(flat)


def count_entries(entries: list[dict]) -> int:
    return sum(1 + count_entries(entry["children"]) for entry in entries)
