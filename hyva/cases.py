"""Where cases and comments live, and what a case's slug is.

The one place that knows it, worked out from Pelican's own settings and
rules: cases are the Markdown files under `PATH`/`ARTICLE_PATHS`, in
subfolders too, less `ARTICLE_EXCLUDES` and `IGNORE_FILES`; a case's slug
is its `Slug:` header, else what Pelican's `SLUGIFY_SOURCE` makes of it.
The importer, `invoke check`, `invoke new` and the tests all ask here.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pelican.contents import Article, Page
from pelican.readers import MarkdownReader

from hyva.errors import ContentError
from hyva.header import read_header

CASE_SUFFIXES = tuple(f".{extension}" for extension in MarkdownReader.file_extensions)


def read_text(path: Path) -> str:
    """A content file's text; a file that is not UTF-8 is a ContentError
    at the line where decoding fails."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ContentError("the file is not UTF-8 text", line=line, path=path,
                           hint="save it as UTF-8 in your editor") from None


def ignored(name: str, settings: dict) -> bool:
    """Pelican's IGNORE_FILES test, which dot files and editor leftovers
    (`.#case.md`, `case.md~`) must fail everywhere content is listed."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings["IGNORE_FILES"])


def content_root(settings: dict) -> Path:
    return Path(settings["PATH"])


def cache_root(settings: dict) -> Path:
    """The build cache folder, beside the content folder: `cache/`."""
    return Path(settings["PATH"]).resolve().parent / "cache"


def case_roots(settings: dict) -> list[Path]:
    return [content_root(settings) / folder for folder in settings["ARTICLE_PATHS"]]


def comments_root(settings: dict) -> Path:
    """Approved comments: `<PATH>/<COMMENTS_PATH>/<case-slug>/<id>.md`."""
    return content_root(settings) / settings["COMMENTS_PATH"]


def case_files(settings: dict) -> list[Path]:
    """Every case source, as Pelican's article generator finds them."""
    return _source_files(settings, "ARTICLE")


def page_files(settings: dict) -> list[Path]:
    """Every page source (PAGE_PATHS), as Pelican's page generator finds them."""
    return _source_files(settings, "PAGE")


def _source_files(settings: dict, kind: str) -> list[Path]:
    root = content_root(settings)
    excluded = {os.path.normpath(root / path) for path in settings[f"{kind}_EXCLUDES"]}
    found = []
    for top in (root / folder for folder in settings[f"{kind}_PATHS"]):
        for folder, subfolders, files in os.walk(top, followlinks=True):
            subfolders[:] = sorted(name for name in subfolders
                                   if os.path.join(folder, name) not in excluded
                                   and not ignored(name, settings))
            found += [Path(folder, name) for name in files
                      if name.endswith(CASE_SUFFIXES) and not ignored(name, settings)]
    return sorted(found)


# What a slug never holds: it names a folder and a URL segment as it is.
NOT_IN_SLUG = re.compile(r"""[\s/\\\0?#%"'<>]""")


def is_slug(value: str) -> bool:
    """One path segment that is a URL segment as it stands, never a path."""
    return bool(value) and value not in (".", "..") and not NOT_IN_SLUG.search(value)


def case_slug(path: Path, settings: dict, header: dict | None = None) -> str:
    """The slug Pelican gives the case at `path` (its Slug header, else
    SLUGIFY_SOURCE applied by Pelican's own Content)."""
    return _slug(Article, path, settings, header)


def page_slug(path: Path, settings: dict, header: dict | None = None) -> str:
    """The slug Pelican gives the page at `path`, by the same rule: a case
    with a page's slug would be written over it."""
    return _slug(Page, path, settings, header)


def _slug(kind: type, path: Path, settings: dict, header: dict | None) -> str:
    header = read_header(read_text(path)) if header is None else header
    metadata = {"title": header.get("title", (0, ""))[1]}
    if header.get("slug", (0, ""))[1]:
        metadata["slug"] = header["slug"][1]
    return kind("", metadata=metadata, settings=settings, source_path=str(path)).slug


@dataclass(frozen=True)
class CaseSource:
    path: Path
    slug: str
    header: dict[str, tuple[int, str]]

    @property
    def status(self) -> str:
        return self.header.get("status", (0, ""))[1].lower()


def case_sources(settings: dict) -> list[CaseSource]:
    """Every case with its slug and header (unreadable files raise)."""
    sources = []
    for path in case_files(settings):
        header = read_header(read_text(path))
        sources.append(CaseSource(path, case_slug(path, settings, header), header))
    return sources


def new_case_folder(settings: dict, folder: str | None = None) -> Path:
    """Where `invoke new` puts a case: the first ARTICLE_PATHS folder, or a
    subfolder of it (`--folder 2024`)."""
    root = case_roots(settings)[0]
    if not folder:
        return root
    target = (root / folder).resolve()
    if not target.is_relative_to(root.resolve()) or ignored(target.name, settings):
        raise ContentError(f"the folder {folder!r} is not inside {root}",
                           hint="give a subfolder name such as 2024")
    return target


def is_case_file(path: Path, settings: dict) -> bool:
    """Whether Pelican reads `path` as a case (not a page)."""
    source = Path(os.path.abspath(path))
    return any(source.is_relative_to(os.path.abspath(root)) for root in case_roots(settings))


def theme_outputs(settings: dict) -> dict[str, str]:
    """Output files the theme writes itself (listings, facet indexes,
    template pages), by what writes them: no case or page may take one."""
    reserved = {settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"): f"the {name} page"
                for name in settings["DIRECT_TEMPLATES"]}
    reserved |= {f"{spec['url']}/index.html": f"the {facet} index"
                 for facet, spec in settings["CASE_FACETS"].items()}
    reserved |= {save_as: f"the template page {source}"
                 for source, save_as in settings.get("TEMPLATE_PAGES", {}).items()}
    if settings.get("PHRASEBOOK_URL"):
        reserved[f"{settings['PHRASEBOOK_URL']}/index.html"] = "the phrasebook"
    return reserved

