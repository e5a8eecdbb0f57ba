"""HTML a case brings into its pages, checked before anything is written.

Markdown's own output is well-formed; raw HTML an author types, and header
fields shown as HTML (Title, Tags, Category, Summary), are passed through as
they are. Whatever would make a page invalid (a tag left open or closed
twice, a link inside a link, a block inside a paragraph, an attribute HTML
does not have, an image without alt text or address, a space inside a link
address, a character reference to no character, an id the theme's page
already uses) is a ContentError at the source line it comes from.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from hyva.errors import ContentError

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
BLOCK = {"address", "article", "aside", "blockquote", "details", "dialog", "div", "dl",
         "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
         "h6", "header", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table",
         "ul"}
# Every attribute name HTML has (on some element), besides data-* and aria-*.
ATTRIBUTES = frozenset("""
accept accept-charset accesskey action allow allowfullscreen alt as async autocapitalize
autocomplete autofocus autoplay blocking charset checked cite class color cols colspan content
contenteditable controls coords crossorigin data datetime decoding default defer dir dirname
disabled download draggable enctype enterkeyhint fetchpriority for form formaction formenctype
formmethod formnovalidate formtarget headers height hidden high href hreflang http-equiv id
inert inputmode integrity is itemid itemprop itemref itemscope itemtype kind label lang list
loading loop low max maxlength media method min minlength multiple muted name nomodule
nonce novalidate open optimum pattern ping placeholder playsinline popover popovertarget
popovertargetaction poster preload readonly referrerpolicy rel required reversed role rows
rowspan sandbox scope selected shape size sizes slot span spellcheck src srcdoc srclang
srcset start step style tabindex target title translate type usemap value width wrap
""".split())  # noqa: SIM905 (a word list reads better than 130 quoted strings)
URL_ATTRIBUTES = {"href", "src", "cite", "action", "poster", "data"}
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
LONE_LESS_THAN = re.compile(r"<(?![A-Za-z/!?])")
THEME_ID = re.compile(r"""\bid="([A-Za-z][\w-]*)\"""")


@lru_cache(maxsize=8)
def theme_ids(theme: str) -> frozenset[str]:
    """The fixed ids the theme's templates give elements around a case."""
    found = set()
    for template in Path(theme, "templates").rglob("*.html"):
        found |= set(THEME_ID.findall(template.read_text(encoding="utf-8")))
    return frozenset(found)


def allowed_character(code: int) -> bool:
    """Whether a character reference to `code` is valid in HTML."""
    return ((code in (9, 10, 13) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0x10FFFF)
            and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF))


class Problem(Exception):
    """A problem in a fragment, with text to find its source line by."""

    def __init__(self, problem: str, hint: str, *clues: str):
        super().__init__(problem)
        self.problem, self.hint, self.clues = problem, hint, [clue for clue in clues if clue]


class FragmentChecker(HTMLParser):
    """Raises Problem for the first thing in a fragment that makes a page invalid."""

    def __init__(self, reserved_ids: frozenset[str], inline: bool):
        super().__init__(convert_charrefs=False)
        self.reserved_ids, self.inline = reserved_ids, inline
        self.open: list[tuple[str, str]] = []
        self.pending_id: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or f"<{tag}"
        self.check_element(tag, attrs, text)
        if tag in VOID:
            return
        names = [name for name, _ in self.open]
        if tag == "a" and "a" in names:
            raise Problem("a link inside a link", "keep links apart", text)
        if tag in BLOCK and "p" in names:
            raise Problem(f"a <{tag}> inside a paragraph", "put a blank line before and after "
                          "the HTML block", text)
        if self.inline and (tag in BLOCK or tag == "a"):
            raise Problem(f"a <{tag}> in a header field shown inside headings and links",
                          "leave the HTML out of the header field", text)
        self.open.append((tag, text))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or f"<{tag}/>"
        self.check_element(tag, attrs, text)
        if tag not in VOID:
            raise Problem(f"<{tag}/> does not close the element in HTML",
                          f"write <{tag}></{tag}>", text)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            self.open.pop()
            return
        if tag in VOID:
            raise Problem(f"</{tag}>: a {tag} element has no end tag", "delete it", f"</{tag}>")
        if any(name == tag for name, _ in self.open):
            name, text = self.open[-1]
            raise Problem(f"<{name}> is not closed before </{tag}>", f"add </{name}>", text)
        raise Problem(f"</{tag}> closes nothing", "delete it or add its start tag", f"</{tag}>")

    def handle_charref(self, name: str) -> None:
        digits = name[1:] if name[:1] in "xX" else name
        try:
            code = int(digits, 16 if digits is not name else 10)
        except ValueError:
            code = -1
        if not allowed_character(code):
            raise Problem(f"&#{name}; refers to no character a page may hold",
                          "write the character itself, or delete the reference", f"&#{name}")

    def handle_data(self, data: str) -> None:
        if self.pending_id and data.strip():
            identifier, text = self.pending_id
            self.pending_id = None
            raise Problem(f"the id {identifier!r} (of '{data.strip()[:40]}') is the page's own",
                          "reword the heading, or give it an id of its own with "
                          "'{: #oma-tunnus }'", f"#{identifier}", data.strip()[:40], text)
        if LONE_LESS_THAN.search(data) and self.inline:
            raise Problem("a '<' that starts no tag", "write it as &lt;", "<")

    def check_element(self, tag: str, attrs: list[tuple[str, str | None]], text: str) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                raise Problem(f"an event handler ({name}=) on <{tag}>: pages run no JavaScript",
                              "delete the attribute", text)
            if name not in ATTRIBUTES and not name.startswith(("data-", "aria-")):
                raise Problem(f"<{tag}> has the attribute {name!r}, which HTML does not have",
                              "delete it, or use a data- attribute", text,
                              f'{name}="{value}"', f"{name}=")
            if name in URL_ATTRIBUTES and value is not None and re.search(r"\s", value.strip()):
                raise Problem(f"the address {value.strip()!r} has a space in it",
                              "write the space as %20", text, value)
            if name == "id" and value in self.reserved_ids and self.pending_id is None:
                self.pending_id = (value, text)
        if tag == "img":
            if "alt" not in values:
                raise Problem("an image without alt text", 'add alt="what the image shows" '
                              '(or alt="" for decoration)', text)
            if not (values.get("src") or "").strip():
                raise Problem("an image without an address", "give the image's file or URL", text)
        if self.pending_id and tag in VOID:
            identifier, _ = self.pending_id
            self.pending_id = None
            raise Problem(f"the id {identifier!r} is the page's own",
                          "give the element another id", f"#{identifier}", text)

    def close(self) -> None:
        super().close()
        if self.open:
            name, text = self.open[-1]
            raise Problem(f"<{name}> is not closed", f"add </{name}> where it ends", text)


def fragment_problem(html: str, reserved_ids: frozenset[str] = frozenset(),
                     inline: bool = False) -> Problem | None:
    """The first problem of an HTML fragment, or None."""
    checker = FragmentChecker(reserved_ids, inline)
    try:
        checker.feed(html)
        checker.close()
    except Problem as problem:
        return problem
    return None


def source_line(source: str, clues: list[str], default: int) -> int:
    """The line of the first clue found in the source text, else `default`."""
    for clue in clues:
        at = source.find(clue)
        if at >= 0:
            return source.count("\n", 0, at) + 1
    return default


def check_fragments(source: str, content: str, metadata: dict, fields: dict,
                    theme: str) -> None:
    """ContentError for the first problem in the converted body or in a
    header field shown as HTML (the Title's lone '<' is escaped first)."""
    if isinstance(metadata.get("title"), str):
        metadata["title"] = LONE_LESS_THAN.sub("&lt;", metadata["title"])
    shown = {"title": [metadata.get("title", "")]} if "title" in fields else {}
    if "tags" in fields:
        shown["tags"] = fields["tags"][1].split(",")
    if "category" in fields:
        shown["category"] = [fields["category"][1]]
    for key, parts in shown.items():
        for part in parts:
            problem = fragment_problem(str(part), inline=True)
            if problem:
                raise ContentError(f"{key.capitalize()}: {problem.problem}",
                                   line=fields[key][0], hint=problem.hint)
    if "summary" in fields and isinstance(metadata.get("summary"), str):
        problem = fragment_problem(metadata["summary"])
        if problem:
            raise ContentError(f"Summary: {problem.problem}", line=fields["summary"][0],
                               hint=problem.hint)
    problem = fragment_problem(content, theme_ids(theme))
    if problem:
        lines = source.split("\n")
        blank = next((number for number, line in enumerate(lines) if not line.strip()), 0)
        body = "\n".join(lines[blank + 1:])
        raise ContentError(problem.problem, line=blank + source_line(body, problem.clues, 1),
                           hint=problem.hint)
