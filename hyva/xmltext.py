"""Characters XML 1.0 forbids: the feeds and the search index are XML or
are made by XML tools (lxml), so one such character in a comment or a case
would stop every build. The importer drops them; readers name the line."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production: C0 controls but tab and
# line ends, lone surrogates, U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return FORBIDDEN.sub("", text)


def first_forbidden(text: str) -> tuple[int, str] | None:
    """(line, character as U+XXXX) of the first forbidden character, or None."""
    found = FORBIDDEN.search(text)
    if not found:
        return None
    return text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group()):04X}"
