"""Every Atom and RSS feed in the output is well-formed XML with a feed at
its root.

A feed reader parses a feed as XML before anything else, and the strict
ones reject a feed that is not well-formed; libxml2's parser (lxml) is as
strict as they are. The tests read the feeds with feedparser and newsboat,
the way readers do.
"""

from __future__ import annotations

import lxml.etree

from hyva_tools.check.output import ATOM, Check, ScannedFile

FEED_ROOTS = (f"{{{ATOM}}}feed", "rss")


def scan(file: ScannedFile, settings: dict) -> list[str]:
    if not file.is_feed:
        return []
    try:
        root = file.feed_root
    except lxml.etree.XMLSyntaxError as error:
        return [f"the feed is not well-formed: {error}"]
    if root.tag not in FEED_ROOTS or (root.tag == "rss" and root.find("channel") is None):
        return [f"this is no Atom or RSS feed: its root element is <{root.tag}>"]
    return []


CHECK = Check("feeds", scan=scan, wants=lambda relative: relative.endswith(".xml"))
