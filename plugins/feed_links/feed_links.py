"""Feeds that read right in a feed reader.

A case's content links to its own notes and phrases by bare fragments
(`#vertailu-1-huomio-1`). A feed reader resolves those against the feed's
address, and every case uses the same ids, so in a feed they open the raw
feed or jump into another case. Here every link and image address in a
feed entry is made absolute to the case page, where the fragment exists;
a fragment the case's own content does not hold is unlinked, keeping its
text. Ids are dropped from feed content: links no longer need them, and a
reader showing many entries on one page would repeat them.

Each feed also names its language, and points browsers at a stylesheet
(`FEED_STYLESHEET`, rendered from the theme's `feed.xsl`) that shows a
reader who opens it what a feed is, in the interface language, instead
of raw XML.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import lru_cache
from io import StringIO
from urllib.parse import urljoin, urlsplit

from pelican import signals

from hyva.settings import Setting, settle
from hyva.translations import interface

SETTINGS = {
    "FEED_STYLESHEET": Setting("feeds/syote.xsl", (str, type(None)),
                               "a path in the output for the feeds' stylesheet, or None",
                               lambda path: "must end in .xsl" if path and not path.endswith(".xsl")
                               else None),
}
# Markdown and the plugins write attributes after a space, in double quotes.
ATTRIBUTE = re.compile(r' (href|src|id)="([^"]*)"')
ID = re.compile(r' id="([^"]*)"')
FRAGMENT = re.compile(r' href="#([^"]*)"')
LINK = re.compile(r'<a [^>]*?href="#([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)


@lru_cache(maxsize=4096)
def absolute_links(html: str, page: str) -> str:
    """`html` of the entry for `page` (an absolute URL), with every link
    leading to `page`'s own anchors or elsewhere by an absolute address.
    A case is in several feeds, hence the cache."""
    ids = set(ID.findall(html))
    if set(FRAGMENT.findall(html)) - ids:
        html = LINK.sub(lambda link: link.group(0) if link.group(1) in ids else link.group(2),
                        html)
    return ATTRIBUTE.sub(lambda found: "" if found.group(1) == "id"
                         else f' {found.group(1)}="{absolute(page, found.group(2))}"', html)


def absolute(page: str, address: str) -> str:
    return page + address if address.startswith("#") else urljoin(page, address)


def fix_entries(context, feed) -> None:
    feed.feed["language"] = context["DEFAULT_LANG"]
    for item in feed.items:
        for field in ("content", "description"):
            if item.get(field):
                item[field] = absolute_links(item[field], item["link"])
    if context.get("FEED_STYLESHEET"):
        point_to_stylesheet(feed, urljoin(context["FEED_DOMAIN"] + "/", context["FEED_STYLESHEET"]))


def point_to_stylesheet(feed, stylesheet: str) -> None:
    """Have `feed` written with an `xml-stylesheet` instruction after its XML
    declaration. The address is relative to the feed's own, so it resolves
    on any host and port."""
    folder = posixpath.dirname(urlsplit(feed.feed["feed_url"]).path.lstrip("/"))
    href = posixpath.relpath(urlsplit(stylesheet).path.lstrip("/"), folder or ".")
    write = feed.write

    def write_with_stylesheet(outfile, encoding):
        text = StringIO()
        write(text, encoding)
        text = text.getvalue()
        declaration = text.index("?>") + 2 if text.startswith("<?xml") else 0
        outfile.write(f'{text[:declaration]}\n<?xml-stylesheet href="{href}" type="text/xsl"?>'
                      f"{text[declaration:]}")

    feed.write = write_with_stylesheet


def stylesheet_path(context) -> str | None:
    return context.get("FEED_STYLESHEET") and os.path.join(context["OUTPUT_PATH"],
                                                           context["FEED_STYLESHEET"])


def write_stylesheet(generator, writer) -> None:
    stylesheet = stylesheet_path(generator.context)
    if not stylesheet:
        return
    template = generator.env.get_template("feed.xsl")
    text = template.render(generator.context, _=interface(generator.settings).gettext)
    os.makedirs(os.path.dirname(stylesheet), exist_ok=True)
    with open(stylesheet, "w", encoding="utf-8") as handle:
        handle.write(text)


def register():
    signals.initialized.connect(check_settings)
    signals.feed_generated.connect(fix_entries)
    signals.article_writer_finalized.connect(write_stylesheet)
