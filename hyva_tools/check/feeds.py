"""Every Atom and RSS feed in the output parses cleanly with feedparser.

feedparser is what many feed readers build on; a "bozo" feed is one it had to
guess its way through, which stricter readers reject.
"""

from __future__ import annotations

from hyva_tools.check.output import Check, ScannedFile


def scan(file: ScannedFile, settings: dict) -> list[str]:
    if not file.is_feed:
        return []
    if file.feed.bozo:
        return [f"the feed is not well-formed: {file.feed.bozo_exception}"]
    if not file.feed.version:
        return ["feedparser does not recognise this as an Atom or RSS feed"]
    return []


CHECK = Check("feeds", scan=scan, wants=lambda relative: relative.endswith(".xml"))
