"""No page runs JavaScript but the theme's own (the search page's).

The theme promises pages without JavaScript; only `theme/js/` is the
theme's. A `<script>` an author pasted into a case or page, an inline
event handler (`onclick=`) or a `javascript:` link would run in readers'
browsers, so each is reported with its page and line. JSON-LD and other
data blocks do not run and are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hyva_tools.check.output import SITE_URL_SETTINGS, Check, ScannedFile, html_page

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""",
                            re.IGNORECASE)
# Script types that browsers do not run.
DATA_TYPES = {"application/ld+json", "application/json"}
THEME_SCRIPTS = "theme/js/"
FIX = "only the theme's search page may run JavaScript: remove it from the case or page"


def attribute(attributes: str, name: str) -> str | None:
    found = re.search(rf"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attributes,
                      re.IGNORECASE)
    return next((group for group in found.groups() if group is not None), "") if found else None


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def problems_in(page: ScannedFile) -> Iterator[str]:
    text = page.text
    for match in SCRIPT.finditer(text):
        kind = (attribute(match.group(1), "type") or "").strip().lower()
        if kind in DATA_TYPES:
            continue
        source = attribute(match.group(1), "src")
        if source:
            target = page.site.target(source.strip(), page.relative)
            if target and target[0].startswith(THEME_SCRIPTS):
                continue
            yield f"line {line_of(text, match.start())}: a script from {source}; {FIX}"
        else:
            yield f"line {line_of(text, match.start())}: an inline <script>; {FIX}"
    for match in HANDLER.finditer(text):
        yield (f"line {line_of(text, match.start())}: an event handler ({match.group(1)}=); "
               f"{FIX}")
    for match in JAVASCRIPT_URL.finditer(text):
        yield f"line {line_of(text, match.start())}: a javascript: link; {FIX}"


CHECK = Check("scripts", scan=lambda page, settings: list(problems_in(page)), wants=html_page,
              settings=SITE_URL_SETTINGS)
