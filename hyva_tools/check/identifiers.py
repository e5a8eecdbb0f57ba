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
from hyva_tools.check.addresses import text_files
from hyva_tools.check.output import BuiltOutput, Problem


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


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    allowed = allowed_values(settings)
    sources = None
    for path, text in text_files(site):
        text = html.unescape(text)
        for found in identifiers(text):
            if found.value in allowed:
                continue
            if sources is None:
                sources = source_lines(settings, allowed)
            origin = sources.get(found.value)
            where = f"from {', '.join(origin)}" if origin else "in the built file"
            yield Problem(site.relative(path),
                          f"line {text.count(chr(10), 0, found.start) + 1}: "
                          f"{NAMES[found.kind]} ({masked_value(text[found.start:found.end])}) "
                          f"{where}; personal data must not be published. Fix: remove it, or "
                          "if it is published on purpose, add it to PERSONAL_DATA_ALLOWED in "
                          "pelicanconf.py with the reason")
