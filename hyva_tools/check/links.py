"""Every internal link and asset in pages, stylesheets and feeds resolves.

A link resolves when its file exists in the output and, when it names a
#fragment inside a page, that page has an element with that id.

Each file's facts are its anchors (ids and `<a name>`) and the targets of
its links; the judge puts the whole graph together from them on every run,
so a page that lost an id breaks the links to it even when those pages
themselves did not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hyva_tools.check.output import SITE_URL_SETTINGS, Check, Problem, ScannedFile, Verdict

# Attributes that hold one URL, and those that hold a srcset list.
URL_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href", "script": "src", "img": "src",
    "iframe": "src", "source": "src", "track": "src", "audio": "src", "video": "src",
    "embed": "src", "object": "data", "form": "action",
}
SRCSET_TAGS = ("img", "source")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


def page_urls(page: ScannedFile) -> Iterator[str]:
    """URLs a page refers to: links, assets and absolute ones in <meta>."""
    for element in page.tree.iter(*URL_ATTRIBUTES, "meta"):
        tag = element.tag
        if tag == "meta":
            content = element.get("content")
            if content and content.startswith(page.site.site_prefixes):
                yield content
            continue
        if (url := element.get(URL_ATTRIBUTES[tag])) is not None:
            yield url.strip()
        if tag in SRCSET_TAGS and (srcset := element.get("srcset")):
            for candidate in srcset.split(","):
                if candidate.strip():
                    yield candidate.split()[0]


def stylesheet_urls(stylesheet: ScannedFile) -> Iterator[str]:
    yield from (url for url in CSS_URL.findall(stylesheet.text) if not url.startswith("data:"))


def urls(file: ScannedFile) -> Iterator[str]:
    """Every URL the file uses, if it is a page, a stylesheet or a feed."""
    if file.relative.endswith(".html"):
        yield from page_urls(file)
    elif file.relative.endswith(".css"):
        yield from stylesheet_urls(file)
    elif file.is_feed:
        yield from file.feed_links


def anchors(file: ScannedFile) -> list[str]:
    return sorted({*file.ids, *file.tree.xpath("//a/@name")})


def scan(file: ScannedFile, settings: dict) -> dict:
    """The file's anchors, and [url, target path, fragment] of each internal link."""
    links = []
    for url in dict.fromkeys(urls(file)):
        target = file.site.target(url, file.relative)
        if target is not None:
            links.append([url, *target])
    return {"anchors": anchors(file) if file.relative.endswith(".html") else [], "links": links}


def linked(file: str) -> bool:
    return file.endswith((".html", ".css", ".xml"))


def judge(verdict: Verdict) -> Iterator[Problem]:
    site, facts = verdict.site, verdict.files
    anchor_sets: dict[str, frozenset[str]] = {}
    for source, found in facts.items():
        for url, path, fragment in found["links"]:
            path = site.on_disk(path)
            if path not in site.file_set:
                yield Problem(source, f"link to {url} does not resolve "
                                      f"({path} is not in the output)")
            elif fragment and path.endswith(".html"):
                if path not in anchor_sets:
                    anchor_sets[path] = frozenset(facts.get(path, {}).get("anchors", ()))
                if fragment not in anchor_sets[path]:
                    yield Problem(source, f"link to {url} points to #{fragment}, "
                                          f"which {path} does not have")


CHECK = Check("links", scan=scan, wants=linked, judge=judge,
              settings=SITE_URL_SETTINGS, pure_judge=True)
