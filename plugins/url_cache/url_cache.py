"""Work out each case's and page's URL once, not on every use.

Pelican formats `content.url` from the URL settings and metadata on every
access, and a case page uses some ten URLs (its own, related cases, older
and newer, listings): at 2,000 cases a tenth of writing the pages. Once
every generator has its content, URLs no longer change, so each one is
kept as Pelican's own `override_url`, which `url` returns as it is.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Article, Page


def keep_urls(generators) -> None:
    context = generators[0].context  # one context, shared by every generator
    for content in context.get("generated_content", {}).values():
        if isinstance(content, (Article, Page)) and not hasattr(content, "override_url"):
            content.override_url = content.url


def register() -> None:
    signals.all_generators_finalized.connect(keep_urls)
