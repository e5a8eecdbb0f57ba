"""Every internal link and asset in pages, stylesheets and feeds resolves.

A link resolves when its file exists in the output and, when it names a
#fragment inside a page, that page has an element with that id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hyva_tools.check.output import BuiltOutput, Problem

# Attributes that hold one URL, and those that hold a srcset list.
URL_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href", "script": "src", "img": "src",
    "iframe": "src", "source": "src", "track": "src", "audio": "src", "video": "src",
    "embed": "src", "object": "data", "form": "action",
}
SRCSET_TAGS = ("img", "source")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


def page_urls(site: BuiltOutput, page: str) -> Iterator[str]:
    """URLs a page refers to: links, assets and absolute ones in <meta>."""
    soup = site.soup(page)
    for tag, attribute in URL_ATTRIBUTES.items():
        for element in soup.find_all(tag, attrs={attribute: True}):
            yield element[attribute].strip()
    for element in soup.find_all(SRCSET_TAGS, srcset=True):
        for candidate in element["srcset"].split(","):
            if candidate.strip():
                yield candidate.split()[0]
    for element in soup.find_all("meta", content=True):
        if element["content"].startswith(site.site_prefixes):
            yield element["content"]


def stylesheet_urls(site: BuiltOutput, stylesheet: str) -> Iterator[str]:
    text = (site.root / stylesheet).read_text(encoding="utf-8", errors="replace")
    yield from (url for url in CSS_URL.findall(text) if not url.startswith("data:"))


def feed_urls(site: BuiltOutput, feed: str) -> Iterator[str]:
    parsed = site.feed(feed)
    for item in (parsed.feed, *parsed.entries):
        for link in item.get("links", []):
            yield link["href"]


def references(site: BuiltOutput) -> Iterator[tuple[str, str]]:
    """(file, URL) for every URL the output's pages, stylesheets and feeds use."""
    for page in site.html_files:
        yield from ((page, url) for url in page_urls(site, page))
    for path in site.files("*.css"):
        stylesheet = site.relative(path)
        yield from ((stylesheet, url) for url in stylesheet_urls(site, stylesheet))
    for feed in feed_files(site):
        yield from ((feed, url) for url in feed_urls(site, feed))


def feed_files(site: BuiltOutput) -> list[str]:
    """Output files that are Atom or RSS feeds, whatever their names."""
    feeds = []
    for path in site.files("*.xml"):
        with path.open("rb") as stream:
            start = stream.read(1024)
        if b"<feed" in start or b"<rss" in start:
            feeds.append(site.relative(path))
    return feeds


def has_anchor(site: BuiltOutput, page: str, fragment: str) -> bool:
    soup = site.soup(page)
    return (soup.find(id=fragment) is not None
            or soup.find("a", attrs={"name": fragment}) is not None)


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    for source, url in references(site):
        target = site.target(url, source)
        if target is None:
            continue
        path, fragment = target
        if not (site.root / path).is_file():
            yield Problem(source, f"link to {url} does not resolve ({path} is not in the output)")
        elif fragment and path.endswith(".html") and not has_anchor(site, path, fragment):
            yield Problem(source, f"link to {url} points to #{fragment}, "
                                  f"which {path} does not have")
