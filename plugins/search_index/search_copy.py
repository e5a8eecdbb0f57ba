"""The copy of a case page that Pagefind reads instead of the page itself.

Readers' pages stay exactly as written; Pagefind reads a copy that holds
only what it indexes: the case (`data-pagefind-body`, with its title,
text, replies, notes and filters) and the text of its comments (not the
commenters' names). In the copy:

- each compound is followed by what is left of it, in base form and as
  written, once its first part is taken off, then its first two, and so on
  (Splitter.tails), between PARTS_OPEN and PARTS_CLOSE and at a lower
  weight. Pagefind finds a word by its beginning, so "kortti" and
  "korttia" find "lahjakortilla", and a page that says "kortti" itself
  ranks first. The same parts are added once a page, the first time
  they occur where Pagefind indexes the text: that keeps the index small,
  and the page is found all the same.
- headings, the title among them, are indexed at their usual weight
  between HIDDEN_OPEN and HIDDEN_CLOSE, so that excerpts leave them out;
- what is not text to read is dropped: back links (↩ …), note numbers
  (`<sup>`), anything `aria-hidden`, and the table of contents (a `<nav>`,
  which Pagefind would skip anyway).

theme/static/js/search.js builds each excerpt from the page text and
these markers: it shows the original words only and highlights the
compound whose part matched.
"""

from __future__ import annotations

import functools
import html
import re

from .compounds import Splitter

PARTS_OPEN, PARTS_CLOSE = "\u2e22", "\u2e23"    # ⸢ ⸣
HIDDEN_OPEN, HIDDEN_CLOSE = "\u2e24", "\u2e25"  # ⸤ ⸥
# The parts count half as much as a word of the text.
PARTS_WEIGHT = "0.5"

BODY_START = re.compile(r"<(article|main|div|section)\b[^>]*\sdata-pagefind-body\b[^>]*>")
TAG = re.compile(r"(<[^>]*>)")
HEADING = re.compile(r"<(/?)h[1-6]\b", re.IGNORECASE)
TAG_NAME = re.compile(r"<(/?)(\w+)")
# An element whose text Pagefind takes as a filter or metadata value (not
# one that gives it inline, "key:value", or from an attribute, "key[attr]").
VALUE_ELEMENT = re.compile(r'\sdata-pagefind-(?:filter|meta)="[^":\[]*"')
IGNORED = re.compile(r"\sdata-pagefind-ignore\b")
CLASSES = re.compile(r'\sclass="([^"]*)"')
# A word in the text, or a character reference, which is left alone.
WORD = re.compile(r"&#?\w+;|([^\W\d_]+)")
BACK_LINK = re.compile(r"↩\ufe0e?|&#8617;(?:&#65038;)?|&#x21a9;(?:&#xfe0e;)?", re.IGNORECASE)
TITLE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL | re.IGNORECASE)
COMMENT_TEXT = re.compile(r'<div class="comment-text">(.*?)</div>', re.DOTALL)
# Elements left out of the copy, by their opening tag.
NOT_TEXT = re.compile(r'<(nav|sup)\b[^>]*>|<(\w+)\b[^>]*\saria-hidden="true"[^>]*>'
                      r'|<(a)\b[^>]*\shref="#[^"]*"[^>]*>', re.IGNORECASE)


def element_end(page: str, name: str, start: int) -> int | None:
    """Where the `name` element whose opening tag is at `start` ends."""
    depth = 0
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", page[start:], re.IGNORECASE):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start + tag.end()
    return None


def body_region(page: str) -> tuple[int, int] | None:
    """Where the first `data-pagefind-body` element of `page` starts and ends."""
    start = BODY_START.search(page)
    end = start and element_end(page, start.group(1), start.start())
    return (start.start(), end) if end else None


def without_non_text(fragment: str) -> str:
    """`fragment` without the elements NOT_TEXT names; of in-page links,
    only back links (those with an arrow) go."""
    out, position = [], 0
    for found in NOT_TEXT.finditer(fragment):
        if found.start() < position:
            continue
        name = found.group(1) or found.group(2) or found.group(3)
        end = element_end(fragment, name, found.start())
        if end is None:
            continue
        if found.group(3) and not BACK_LINK.search(fragment, found.end(), end):
            continue
        out.append(fragment[position:found.start()])
        position = end
    out.append(fragment[position:])
    return "".join(out)


class CopyWriter:
    """Makes Pagefind's copies of the case pages with one Splitter.
    `excluded` are SEARCH_EXCLUDE_SELECTORS: compounds inside elements of a
    class named there (".case-facts") get no parts, Pagefind skips them."""

    def __init__(self, splitter: Splitter, excluded: list[str] = ()):
        self.splitter = splitter
        # word: the markup of its tails ("" for a word that has none)
        self.tails: dict[str, str] = {}
        self.excluded = {selector[1:] for selector in excluded
                         if re.fullmatch(r"\.[\w-]+", selector)}

    def copy(self, page: str, lang: str) -> str | None:
        """Pagefind's copy of `page`; None for a page it does not index."""
        region = body_region(page)
        if not region:
            return None
        body = without_non_text(page[region[0]:region[1]])
        title = TITLE.search(body)
        head = ""
        if title:
            # Still escaped as in the page: only quotes need escaping here.
            text = re.sub(r"<[^>]*>", "", title.group(1)).strip().replace('"', "&quot;")
            head = f'<meta data-pagefind-meta="title[content]" content="{text}">'
        seen: set[str] = set()
        parts = [self.mark(body, seen)]
        comments = COMMENT_TEXT.findall(page, region[1])
        if comments:
            parts.append('<div data-pagefind-body>'
                         + "".join(self.mark(f"<div>{text}</div>", seen) for text in comments)
                         + "</div>")
        return (f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
                f"{head}</head><body>" + "\n".join(parts) + "</body></html>")

    def leaves_alone(self, tag: str) -> bool:
        """Whether the text of the element `tag` opens stays as it is: it
        is a filter or metadata value, or Pagefind does not index it."""
        if VALUE_ELEMENT.search(tag) or IGNORED.search(tag):
            return True
        classes = CLASSES.search(tag)
        return bool(classes and self.excluded.intersection(classes.group(1).split()))

    def mark(self, fragment: str, seen: set[str]) -> str:
        """`fragment` with compound parts added, headings marked and
        back-link arrows dropped. `seen` holds the parts the page has
        already been given."""
        out = []
        left_alone = None  # the name of the element whose text stays as it is
        depth = 0
        annotate = functools.partial(self.annotate, seen=seen)
        for piece in TAG.split(BACK_LINK.sub("", fragment)):
            if piece.startswith("<"):
                name = TAG_NAME.match(piece)
                if left_alone:
                    if name and name.group(2).lower() == left_alone:
                        depth += -1 if name.group(1) else 1
                    if depth == 0:
                        left_alone = None
                elif name and not name.group(1) and self.leaves_alone(piece):
                    left_alone, depth = name.group(2).lower(), 1
                heading = HEADING.match(piece)
                if heading and heading.group(1):
                    out.append(f" {HIDDEN_CLOSE} ")
                out.append(piece)
                if heading and not heading.group(1):
                    out.append(f" {HIDDEN_OPEN} ")
            elif left_alone or piece.isspace():
                out.append(piece)
            else:
                out.append(WORD.sub(annotate, piece))
        return "".join(out)

    def annotate(self, found: re.Match, seen: set[str]) -> str:
        word = found.group(1)
        if not word:
            return found.group(0)
        tails = self.tails.get(word)
        if tails is None:
            added = self.splitter.tails(word)
            tails = self.tails[word] = added and (
                f' <span data-pagefind-weight="{PARTS_WEIGHT}">'
                f'{PARTS_OPEN}{" ".join(added)}{PARTS_CLOSE}</span>')
        if not tails or tails in seen:
            return word
        seen.add(tails)
        return word + tails
