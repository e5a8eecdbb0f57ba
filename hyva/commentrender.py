"""A comment's plain text as safe HTML: paragraphs, line breaks and links.

Readers write plain text, never markup: every character is escaped, blank
lines make paragraphs, single newlines stay line breaks, and web addresses
become links that search engines do not credit (rel="nofollow ugc").
linkify-it finds the addresses; nh3 then cleans the result as a last guard,
so only those three tags can ever reach a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

import nh3
from linkify_it import LinkifyIt

LINK_REL = "nofollow ugc"
ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@lru_cache(maxsize=1)
def link_finder() -> LinkifyIt:
    """Web addresses only: no mailto (addresses are never published), no
    ftp, no protocol-relative `//host` links."""
    return LinkifyIt({"mailto:": None, "ftp:": None, "//": None}, {"fuzzy_email": False})


def linked_line(line: str) -> str:
    """One line, escaped, with its web addresses as links (`pretest` is
    linkify-it's quick check: most lines have no address)."""
    finder = link_finder()
    if not finder.pretest(line):
        return escape(line)
    pieces, position = [], 0
    for match in finder.match(line) or []:
        pieces.append(escape(line[position:match.index]))
        pieces.append(f'<a href="{escape(match.url)}" rel="{LINK_REL}">'
                      f"{escape(match.raw)}</a>")
        position = match.last_index
    pieces.append(escape(line[position:]))
    return "".join(pieces)


def paragraph(text: str) -> str:
    lines = [linked_line(line.strip()) for line in text.strip().splitlines()]
    return "<p>" + "<br>\n".join(lines) + "</p>"


def comment_html(text: str) -> str:
    """Plain comment text -> `<p>` paragraphs with `<br>` and `<a>` only."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    blocks = [block for block in PARAGRAPH_BREAK.split(text.strip()) if block.strip()]
    html = "\n".join(paragraph(block) for block in blocks)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=LINK_REL)
