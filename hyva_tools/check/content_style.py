"""Writing accidents that build without an error but read wrong.

- A reply paragraph that starts "1." becomes a one-item numbered list,
  while the next point ("2 ja 3.") stays a paragraph.
- A note of a bad reply (labelled as a fault) that calls itself a strength.
- Straight quotes ("…") where Finnish text uses ”…”, in cases and pages.

The first two are found in the built case pages, as the reader gets them,
so the Markdown and comparison rules are not worked out a second time; each
is then reported at its line in the case's source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from hyva.cases import case_sources, page_files, read_text
from hyva_tools.check.output import BuiltOutput, Problem

# Inflected forms of "vahvuus" (a strength): vahvuus, vahvuutena, vahvuuksia.
STRENGTH = re.compile(r"\bvahvuu", re.IGNORECASE)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Text a straight quote may stand in: code spans, link targets and titles.
NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]*>")
NUMBERED = re.compile(r"^ {0,3}\d+[.)]\s")


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    root = Path(settings["PATH"]).parent
    sources = {source.path: source for source in case_sources(settings)}
    for path in [*sources, *page_files(settings)]:
        lines = read_text(path).splitlines()
        name = os.path.relpath(path, root)
        header_end = next((n for n, line in enumerate(lines, 1) if not line.strip()), 0)
        yield from straight_quotes(name, lines, header_end)
        if path in sources:
            page = site.root / settings["ARTICLE_SAVE_AS"].format(slug=sources[path].slug)
            if page.is_file():
                yield from built_accidents(name, lines, site.soup(site.relative(page)))


def straight_quotes(name: str, lines: list[str], header_end: int) -> Iterator[Problem]:
    """Every line of prose (header values included, code left out) with a
    straight double quote."""
    fence = None
    for number, line in enumerate(lines, 1):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith("    ") and number > header_end:
            continue  # an indented code block
        if '"' in NOT_PROSE.sub("", line):
            yield Problem(f"{name}:{number}", 'straight quotes ("…") in Finnish text. '
                          "Fix: write ”…” (the same mark opens and closes a quote in Finnish)")


def built_accidents(name: str, lines: list[str], soup) -> Iterator[Problem]:
    for numbered in soup.select(".reply ol:not(.reply-notes)"):
        items = numbered.find_all("li", recursive=False)
        if len(items) == 1:
            start = numbered.get("start", "1")
            yield Problem(f"{name}:{numbered_line(lines, start, items[0].get_text())}",
                          f"a reply paragraph starting \"{start}.\" became a one-item numbered "
                          f"list. Fix: write {start}\\. (a backslash before the dot) or reword "
                          "the start, so it stays a paragraph like the points after it")
    for note in soup.select(".reply-bad .reply-notes li"):
        text = " ".join(" ".join(
            piece for piece in note.find_all(string=True)
            if not piece.find_parent(class_=("note-kind", "note-back"))).split())
        if STRENGTH.search(text):
            yield Problem(f"{name}:{text_line(lines, text)}",
                          f"a note of a bad reply is labelled as a fault but calls itself a "
                          f"strength: \"{text[:60]}\". Fix: say what is wrong, or move the "
                          "phrase to a good reply")


def numbered_line(lines: list[str], start: str, text: str) -> int:
    """The source line that starts with the list number `start` and the
    item's first word."""
    words = re.findall(r"\w+", text)
    for number, line in enumerate(lines, 1):
        if NUMBERED.match(line) and line.lstrip().startswith(start) \
                and (not words or words[0] in line):
            return number
    return 1


def text_line(lines: list[str], text: str) -> int:
    """The source line holding the start of `text` (the first line if none
    does, e.g. when Markdown formatting splits it)."""
    start = text[:24]
    return next((number for number, line in enumerate(lines, 1) if start in line), 1)
