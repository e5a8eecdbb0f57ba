"""How long a case takes to read, and its table of contents.

Reading time counts the words of the rendered HTML, reply comparisons
included (`word_count`, kept with the case when it is converted). The
table of contents takes the headings Markdown's toc extension found while
converting the case (`toc_tokens`, kept the same way), with
the ids it gave them.
"""

from __future__ import annotations

import math

from markdown.extensions.toc import nest_toc_tokens

TOC_LEVELS = (2, 3)


def reading_minutes(words: int, words_per_minute: int) -> int:
    """Whole minutes, at least one."""
    return max(1, math.ceil(words / words_per_minute))


def toc_entries(tokens: list[dict]) -> list[dict]:
    """The h2/h3 headings of Markdown's nested toc tokens, nested again
    (`level`, `id`, `name`, `children`)."""
    flat = [{"level": token["level"], "id": token["id"], "name": token["name"]}
            for token in _flattened(tokens) if token["level"] in TOC_LEVELS and token.get("id")]
    return nest_toc_tokens(flat)


def _flattened(tokens: list[dict]):
    for token in tokens:
        yield token
        yield from _flattened(token.get("children", []))


def count_entries(entries: list[dict]) -> int:
    return sum(1 + count_entries(entry["children"]) for entry in entries)
