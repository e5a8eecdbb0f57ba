"""Every Atom and RSS feed in the output parses cleanly with feedparser.

feedparser is what many feed readers build on; a "bozo" feed is one it had to
guess its way through, which stricter readers reject.
"""

from __future__ import annotations

from collections.abc import Iterator

from hyva_tools.check.links import feed_files
from hyva_tools.check.output import BuiltOutput, Problem


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    for feed in feed_files(site):
        parsed = site.feed(feed)
        if parsed.bozo:
            yield Problem(feed, f"the feed is not well-formed: {parsed.bozo_exception}")
        elif not parsed.version:
            yield Problem(feed, "feedparser does not recognise this as an Atom or RSS feed")
