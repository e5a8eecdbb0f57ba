"""No email address but the site's own published ones appears in the output.

Commenters' addresses must never be published. Every file is searched,
including compressed search-index fragments, after undoing the encodings a
page could hide an address behind (HTML entities, %-escapes).
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

from hyva_tools.check.output import BuiltOutput, Problem

# The practical address shape (dot-atom or quoted local part, dotted domain);
# Unicode letters count, as in internationalised addresses.
ADDRESS = re.compile(
    r"""(?:"[^"\s]+"|[\w.%+'=?^~!#$&*-]+)@(?:[\w-]+\.)+[^\W\d_]{2,}(?![\w-])""")
# Files that are never text; everything else is searched.
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico",
                   ".woff", ".woff2", ".ttf", ".otf", ".wasm"}
GZIP_MAGIC = b"\x1f\x8b"
# "logo@2x.png" is an image name, not an address: no real top-level domain
# is one of these file suffixes.
FILE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "css", "js", "html"}


def allowed_addresses(settings: dict) -> set[str]:
    """The published contact addresses: CONTACT_EMAIL and COMMENTS_EMAIL."""
    return {settings[key].lower() for key in ("CONTACT_EMAIL", "COMMENTS_EMAIL")
            if settings.get(key)}


def find_addresses(text: str) -> Iterator[tuple[int, str]]:
    """(line number, address) for each address in `text`, also when written
    with HTML entities (twice over, as HTML inside a feed's XML) or %-escapes."""
    for number, line in enumerate(text.splitlines(), 1):
        decoded = unquote(html.unescape(html.unescape(line)))
        for match in ADDRESS.finditer(decoded):
            address = match.group().strip(".'")
            if address.rpartition(".")[2].lower() not in FILE_SUFFIXES:
                yield number, address


def masked(address: str) -> str:
    """Enough of an address to find it, not enough to publish it again."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}…@{domain[:1]}…"


def readable_text(data: bytes) -> str:
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            pass
    return data.decode("utf-8", errors="replace")


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    allowed = allowed_addresses(settings)
    for path in site.files():
        if path.suffix.lower() in BINARY_SUFFIXES:
            continue
        for number, address in find_addresses(readable_text(path.read_bytes())):
            if address.lower() not in allowed:
                yield Problem(site.relative(path),
                              f"line {number}: an email address ({masked(address)}) that is "
                              "not the site's contact address; no one else's may be published")
