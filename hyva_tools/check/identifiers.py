"""No personal identifier appears in the output: henkilötunnus, phone
number, IBAN or card number (`hyva.identifiers`), unless it is in
PERSONAL_DATA_ALLOWED.

Every text file is searched as the address check searches it (HTML, feeds,
the sitemap, JSON-LD inside pages, Pagefind's compressed index), after
undoing HTML entities. Each problem shows the value masked and, when a
case, page or comment file holds it, that file and line, so the author
knows what to edit.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from pathlib import Path

from hyva.cases import case_files, comments_root, content_root, ignored, page_files
from hyva.commentfile import comment_folders
from hyva.identifiers import NAMES, allowed_values, identifiers_in_file, masked_value
from hyva.identifiers import find_identifiers as identifiers
from hyva_tools.check.addresses import readable_text, text_file
from hyva_tools.check.output import Check, Problem, ScannedFile, Verdict


def source_lines(settings: dict, allowed: frozenset[str]) -> dict[str, list[str]]:
    """Canonical value -> `file:line` of each content source holding it."""
    root = content_root(settings).parent
    comment_files = [path for _, paths in comment_folders(
        comments_root(settings), lambda name: ignored(name, settings)) for path in paths]
    found: dict[str, list[str]] = {}
    for path in [*case_files(settings), *page_files(settings), *comment_files]:
        name = os.path.relpath(path, root)
        for line, identifier, _ in identifiers_in_file(Path(path), allowed):
            found.setdefault(identifier.value, []).append(f"{name}:{line}")
        for identifier in identifiers(Path(path).stem):  # a slug made of the file name
            found.setdefault(identifier.value, []).append(f"{name} (its file name)")
    return found


def scan(file: ScannedFile, settings: dict) -> int:
    """How many identifiers not allowed the file holds. Only the count is
    cached: no value is ever written to the check cache."""
    text = readable_text(file.data)
    if text is None:
        return 0
    allowed = allowed_values(settings)
    return sum(1 for found in identifiers(html.unescape(text)) if found.value not in allowed)


def judge(verdict: Verdict) -> Iterator[Problem]:
    """The problems of the files that hold any, each read again (a rare
    path: a site fit to publish has none) to name its values' sources."""
    flagged = sorted(name for name, count in verdict.files.items() if count)
    if not flagged:
        return
    allowed = allowed_values(verdict.settings)
    sources = source_lines(verdict.settings, allowed)
    for name in flagged:
        text = html.unescape(readable_text((verdict.site.root / name).read_bytes()) or "")
        for found in identifiers(text):
            if found.value in allowed:
                continue
            origin = sources.get(found.value)
            where = f"from {', '.join(origin)}" if origin else "in the built file"
            yield Problem(name,
                          f"line {text.count(chr(10), 0, found.start) + 1}: "
                          f"{NAMES[found.kind]} ({masked_value(text[found.start:found.end])}) "
                          f"{where}; personal data must not be published. Fix: remove it, or "
                          "if it is published on purpose, add it to PERSONAL_DATA_ALLOWED in "
                          "pelicanconf.py with the reason")


CHECK = Check("identifiers", scan=scan, judge=judge, wants=text_file,
              settings=("PERSONAL_DATA_ALLOWED",))
