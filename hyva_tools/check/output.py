"""The built site as the checks see it: its files, one file's parse, URLs,
and `Check`, the declaration every check module makes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

# A made-up origin for resolving relative links between output files.
LOCAL = "http://output.invalid/"
# The settings that say which absolute URLs are this site's own.
SITE_URL_SETTINGS = ("SITEURL", "SITE_ORIGIN", "FEED_DOMAIN")
HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
# Feeds are read as strict XML (libxml2), which a feed reader needs first;
# nothing is fetched and no entity is expanded.
FEED_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
ATOM = "http://www.w3.org/2005/Atom"
FEED_LINKS = ("/atom:feed/atom:link/@href | /atom:feed/atom:entry/atom:link/@href"
              " | /rss/channel/link/text() | /rss/channel/item/link/text()"
              " | /rss/channel/atom:link/@href | /rss/channel/item/enclosure/@url")


def has_class(name: str) -> str:
    """An XPath test that an element's class list holds `name`, as CSS's `.name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the output: the file (relative to it) and what."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def digest(data: bytes) -> str:
    """What a file's cached facts are keyed by: its bytes, not its time."""
    return hashlib.sha256(data).hexdigest()


class BuiltOutput:
    """An output folder, the settings it was built with and where its links go.

    Nothing here holds a page: each file is read and parsed by the process
    that scans it (`ScannedFile`) and let go again, so memory stays flat."""

    def __init__(self, root: Path, settings: dict):
        self.root = root
        self.settings = settings

    @cached_property
    def all_files(self) -> list[str]:
        """Every file of the output, relative and sorted."""
        found = []
        for folder, subfolders, files in os.walk(self.root):
            subfolders.sort()
            relative = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            found += (prefix + name for name in files)
        return sorted(found)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def file_set(self) -> frozenset[str]:
        return frozenset(self.all_files)

    @cached_property
    def folders(self) -> frozenset[str]:
        """Every folder of the output, its subfolders' parents included."""
        found = set()
        for path in self.all_files:
            while "/" in path:
                path = path.rpartition("/")[0]
                found.add(path)
        return frozenset(found)

    def on_disk(self, path: str) -> str:
        """The file a link target names: a folder means its index.html."""
        return f"{path}/index.html" if path in self.folders else path

    @cached_property
    def site_prefixes(self) -> tuple[str, ...]:
        """Absolute URL prefixes that mean "this site" (SITEURL and friends)."""
        urls = {self.settings.get(key) or "" for key in SITE_URL_SETTINGS}
        return tuple(sorted({url.rstrip("/") + "/" for url in urls if "://" in url}))

    @cached_property
    def site_path(self) -> str:
        """The folder the site lives in on its host ("" at the root), which
        root-relative links start with."""
        return urlsplit(self.settings.get("SITEURL") or "").path.rstrip("/")

    def target(self, url: str, page: str) -> tuple[str, str] | None:
        """The output path (relative; a folder ends in index.html when the URL
        ends in /, see `on_disk`) and #fragment that `url` on `page` points
        to, or None when it leaves the site (other hosts, mailto:, data: ...).
        It reads the URL alone, never the disk, so a file's targets can be
        cached with its facts."""
        for prefix in self.site_prefixes:
            if url.startswith(prefix):
                url = "/" + url[len(prefix):]
                break
        else:
            if url.startswith(self.site_path + "/") and not url.startswith("//"):
                url = url[len(self.site_path):]
        return _resolved(url, "" if url.startswith("/") else page)


@lru_cache(maxsize=16384)
def _resolved(url: str, page: str) -> tuple[str, str] | None:
    """`BuiltOutput.target` once the site's own prefixes are taken off: the
    same links recur on every page, and "/…" ones do not depend on it."""
    resolved = urlsplit(urljoin(LOCAL + page, url))
    if resolved.scheme + "://" + resolved.netloc + "/" != LOCAL:
        return None
    path = unquote(resolved.path).lstrip("/")
    if not path or path.endswith("/"):
        path = f"{path.rstrip('/')}/index.html".lstrip("/")
    return path, unquote(resolved.fragment)


class ScannedFile:
    """One output file while it is scanned: its bytes, read once, and its
    text, HTML parse and feed parse, each made once for all the checks."""

    def __init__(self, site: BuiltOutput, relative: str, data: bytes):
        self.site = site
        self.relative = relative
        self.data = data

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        """The page parsed by lxml (libxml2's HTML parser): a tenth of the
        time BeautifulSoup takes over the same parser, and the checks only
        look things up."""
        return lxml.html.document_fromstring(self.data, parser=HTML_PARSER)

    @cached_property
    def ids(self) -> list[str]:
        return self.tree.xpath("//@id")

    @cached_property
    def feed_root(self) -> lxml.etree._Element:
        """The feed parsed as strict XML; raises lxml.etree.XMLSyntaxError."""
        return lxml.etree.fromstring(self.data, parser=FEED_PARSER)

    @cached_property
    def feed_links(self) -> list[str]:
        """The URLs a feed reader follows: the links of the feed and of its
        entries (Atom `link`, RSS `link` and `enclosure`); [] when the feed
        does not parse (the feeds check reports that)."""
        try:
            root = self.feed_root
        except lxml.etree.XMLSyntaxError:
            return []
        return [url.strip() for url in root.xpath(FEED_LINKS, namespaces={"atom": ATOM})]

    @cached_property
    def is_feed(self) -> bool:
        """Atom or RSS, whatever the file's name."""
        start = self.data[:1024]
        return self.relative.endswith(".xml") and (b"<feed" in start or b"<rss" in start)


@dataclass
class Verdict:
    """What a check's `judge` gets: the facts of every file it scanned
    (output path -> facts), of every content file it scanned (path relative
    to the content folder -> facts), and the other checks' file facts."""

    site: BuiltOutput
    settings: dict
    files: Mapping[str, Any]
    sources: Mapping[Path, Any]
    others: dict[str, Mapping[str, Any]]


def problems_as_facts(verdict: Verdict) -> Iterator[Problem]:
    """The judge of a check whose facts are its problems: per file, a list of messages."""
    for name, messages in verdict.files.items():
        yield from (Problem(name, message) for message in messages)


@dataclass(frozen=True)
class Check:
    """A check, declared by what it reads, so the runner knows what can be cached.

    - `scan(file, settings)`: facts (JSON) of one output file `wants` picks,
      worked out from that file's bytes alone; cached by the file's hash.
    - `scan_pages(paths, settings, stage)`: the same for many files at once
      (an external program), yielding (path, facts).
    - `scan_source(path, settings)` over `sources(settings)`: facts of one
      content file; cached by that file's hash.
    - `judge(verdict)`: the problems, from all those facts (cross-page checks
      recompute their whole graph here) and anything it reads whole each run.
    - `settings` and `version()`: what else decides the verdicts (settings
      read, a checker program); a change of either, or of the check code,
      invalidates every cached fact of the check.
    """

    name: str
    scan: Callable[[ScannedFile, dict], Any] | None = None
    wants: Callable[[str], bool] = lambda relative: True
    scan_pages: Callable[..., Iterator[tuple[str, Any]]] | None = None
    sources: Callable[[dict], list[Path]] | None = None
    scan_source: Callable[[Path, dict], Any] | None = None
    judge: Callable[[Verdict], Iterator[Problem]] = problems_as_facts
    settings: tuple[str, ...] = ()
    version: Callable[[], str] = field(default=lambda: "")
    reads: tuple[Check, ...] = ()  # other checks whose file facts `judge` reads, by name
    # The judge reads nothing but the facts, the list of output files and
    # what the version covers, so its last verdict holds while they are unchanged.
    pure_judge: bool = False

    @property
    def verdict_reusable(self) -> bool:
        return self.pure_judge or self.judge is problems_as_facts


def html_page(relative: str) -> bool:
    return relative.endswith(".html")
