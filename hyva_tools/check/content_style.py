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

from hyva.cases import case_files, case_roots, case_slug, page_files, read_text
from hyva_tools.check.output import Check, Problem, ScannedFile, Verdict, has_class, html_page

# Inflected forms of "vahvuus" (a strength): vahvuus, vahvuutena, vahvuuksia.
STRENGTH = re.compile(r"\bvahvuu", re.IGNORECASE)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Text a straight quote may stand in: code spans, link targets and titles.
NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]*>")
NUMBERED = re.compile(r"^ {0,3}\d+[.)]\s")


def sources(settings: dict) -> list[Path]:
    return [*case_files(settings), *page_files(settings)]


def scan_source(path: Path, settings: dict) -> dict:
    """The lines with straight quotes, and a case's slug (its page is judged too)."""
    lines = read_text(path).splitlines()
    header_end = next((n for n, line in enumerate(lines, 1) if not line.strip()), 0)
    facts = {"quotes": list(straight_quotes(lines, header_end))}
    if any(path.is_relative_to(root) for root in case_roots(settings)):
        facts["slug"] = case_slug(path, settings)
    return facts


# `.reply ol:not(.reply-notes)`, `.reply-bad .reply-notes li`, and the text
# of a note but its kind and back-link labels.
NUMBERED_LISTS = f"//*[{has_class('reply')}]//ol[not({has_class('reply-notes')})]"
BAD_NOTES = f"//*[{has_class('reply-bad')}]//*[{has_class('reply-notes')}]//li"
NOTE_TEXT = f".//text()[not(ancestor::*[{has_class('note-kind')} or {has_class('note-back')}])]"


def scan(page: ScannedFile, settings: dict) -> list[list]:
    """The page's accidents: ["numbered", start, item text] and ["strength", note text]."""
    found = []
    for numbered in page.tree.xpath(NUMBERED_LISTS):
        items = numbered.findall("li")
        if len(items) == 1:
            found.append(["numbered", numbered.get("start", "1"), items[0].text_content()])
    for note in page.tree.xpath(BAD_NOTES):
        text = " ".join(" ".join(note.xpath(NOTE_TEXT)).split())
        if STRENGTH.search(text):
            found.append(["strength", text])
    return found


def judge(verdict: Verdict) -> Iterator[Problem]:
    settings = verdict.settings
    root = Path(settings["PATH"]).parent
    for path, facts in verdict.sources.items():
        name = os.path.relpath(path, root)
        for number in facts["quotes"]:
            yield Problem(f"{name}:{number}", 'straight quotes ("…") in Finnish text. '
                          "Fix: write ”…” (the same mark opens and closes a quote in Finnish)")
        if "slug" not in facts:
            continue
        if accidents := verdict.files.get(settings["ARTICLE_SAVE_AS"].format(slug=facts["slug"])):
            yield from built_accidents(name, read_text(path).splitlines(), accidents)


def straight_quotes(lines: list[str], header_end: int) -> Iterator[int]:
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
            yield number


def built_accidents(name: str, lines: list[str], accidents: list[list]) -> Iterator[Problem]:
    for kind, *details in accidents:
        if kind == "numbered":
            start, text = details
            yield Problem(f"{name}:{numbered_line(lines, start, text)}",
                          f"a reply paragraph starting \"{start}.\" became a one-item numbered "
                          f"list. Fix: write {start}\\. (a backslash before the dot) or reword "
                          "the start, so it stays a paragraph like the points after it")
        else:
            text = details[0]
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


CHECK = Check("content-style", scan=scan, wants=html_page, sources=sources,
              scan_source=scan_source, judge=judge,
              settings=("ARTICLE_SAVE_AS", "SLUGIFY_SOURCE", "SLUG_REGEX_SUBSTITUTIONS"))
