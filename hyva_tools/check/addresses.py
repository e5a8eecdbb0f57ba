"""No email address but the site's own published ones appears in the output.

Commenters' addresses must never be published. Every text file is
searched, including compressed search-index fragments, after undoing HTML
entities, with the importer's own detection (`hyva.privacy`), which also
sees through character references (so HTML escaped inside a feed's XML, and
a "nimi&#64;example.fi" shown as such, which a person reads as an address),
%-escapes, full-width "＠", invisible characters and line breaks.
Other binary files (a NUL byte near the start, as git and grep tell) are
skipped.
"""

from __future__ import annotations

import contextlib
import gzip
import html
from collections.abc import Iterator

from hyva.privacy import address_spans
from hyva_tools.check.output import Check, ScannedFile

# Files that are never text; everything else is searched.
BINARY_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico",
                   ".woff", ".woff2", ".ttf", ".otf", ".wasm")
GZIP_MAGIC = b"\x1f\x8b"
# "logo@2x.png" is an image name, not an address: no real top-level domain
# is one of these file suffixes.
FILE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "css", "js", "html"}


def allowed_addresses(settings: dict) -> set[str]:
    """The published contact addresses: CONTACT_EMAIL and COMMENTS_EMAIL."""
    return {settings[key].lower() for key in ("CONTACT_EMAIL", "COMMENTS_EMAIL")
            if settings.get(key)}


def find_addresses(text: str) -> Iterator[tuple[int, str]]:
    """(line number, address) for each address in `text`, however written."""
    text = html.unescape(text)
    for start, _, address in address_spans(text):
        address = address.strip(".'")
        if address.rpartition(".")[2].lower() not in FILE_SUFFIXES:
            yield text.count("\n", 0, start) + 1, address


def masked(address: str) -> str:
    """Enough of an address to find it, not enough to publish it again."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}…@{domain[:1]}…"


def readable_text(data: bytes) -> str | None:
    """The text of a file, or None for binary data. Compressed files (the
    search index's) are searched whole: words a reader can find are in them."""
    if data.startswith(GZIP_MAGIC):
        with contextlib.suppress(OSError, EOFError):
            return gzip.decompress(data).decode("utf-8", errors="replace")
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def scan(file: ScannedFile, settings: dict) -> list[str]:
    text = readable_text(file.data)
    if text is None:
        return []
    allowed = allowed_addresses(settings)
    return [f"line {number}: an email address ({masked(address)}) that is not the site's "
            "contact address; no one else's may be published"
            for number, address in find_addresses(text) if address.lower() not in allowed]


def text_file(relative: str) -> bool:
    return not relative.lower().endswith(BINARY_SUFFIXES)


CHECK = Check("addresses", scan=scan, wants=text_file,
              settings=("CONTACT_EMAIL", "COMMENTS_EMAIL"))
