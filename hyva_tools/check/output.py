"""The built site as the checks see it: its files, parsed pages and URLs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

# A made-up origin for resolving relative links between output files.
LOCAL = "http://output.invalid/"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the output: the file (relative to it) and what."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class BuiltOutput:
    """An output folder and the settings it was built with; pages and feeds
    are parsed once however many checks read them."""

    def __init__(self, root: Path, settings: dict):
        self.root = root
        self.settings = settings
        self._soups: dict[str, BeautifulSoup] = {}
        self._feeds: dict[str, feedparser.FeedParserDict] = {}

    def files(self, pattern: str = "*") -> list[Path]:
        return sorted(path for path in self.root.rglob(pattern) if path.is_file())

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def html_files(self) -> list[str]:
        return [self.relative(path) for path in self.files("*.html")]

    def soup(self, relative: str) -> BeautifulSoup:
        if relative not in self._soups:
            text = (self.root / relative).read_text(encoding="utf-8", errors="replace")
            self._soups[relative] = BeautifulSoup(text, "lxml")
        return self._soups[relative]

    def feed(self, relative: str) -> feedparser.FeedParserDict:
        """The feed as feedparser reads it, parsed once."""
        if relative not in self._feeds:
            self._feeds[relative] = feedparser.parse((self.root / relative).read_bytes())
        return self._feeds[relative]

    @cached_property
    def site_prefixes(self) -> tuple[str, ...]:
        """Absolute URL prefixes that mean "this site" (SITEURL and friends)."""
        urls = {self.settings.get(key) or "" for key in ("SITEURL", "SITE_ORIGIN", "FEED_DOMAIN")}
        return tuple(sorted({url.rstrip("/") + "/" for url in urls if "://" in url}))

    @cached_property
    def site_path(self) -> str:
        """The folder the site lives in on its host ("" at the root), which
        root-relative links start with."""
        return urlsplit(self.settings.get("SITEURL") or "").path.rstrip("/")

    def target(self, url: str, page: str) -> tuple[str, str] | None:
        """The output file (relative) and #fragment that `url` on `page` points
        to, or None when it leaves the site (other hosts, mailto:, data: ...)."""
        for prefix in self.site_prefixes:
            if url.startswith(prefix):
                url = "/" + url[len(prefix):]
                break
        else:
            if url.startswith(self.site_path + "/") and not url.startswith("//"):
                url = url[len(self.site_path):]
        resolved = urlsplit(urljoin(LOCAL + page, url))
        if resolved.scheme + "://" + resolved.netloc + "/" != LOCAL:
            return None
        path = unquote(resolved.path).lstrip("/")
        if not path or path.endswith("/") or (self.root / path).is_dir():
            path = f"{path.rstrip('/')}/index.html".lstrip("/")
        return path, unquote(resolved.fragment)
