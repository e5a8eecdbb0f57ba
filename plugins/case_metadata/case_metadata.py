"""Validated case metadata and the facet pages readers browse by.

A case names its channel, sector and outcome in its header. Each value must
be one of `CASE_FACETS` in pelicanconf.py, so a typo cannot quietly create a
new listing page. Mistakes stop the build with file, line and a fix.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from markdown import Markdown
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article
from pelican.readers import MarkdownReader
from pelican.utils import get_date, slugify

from content_errors import BuildFailed, ContentError, shown_path

logger = logging.getLogger(__name__)

# Problems found during the current build, reported together at the end.
PROBLEMS: list[str] = []


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, e.g. channel "sähköposti", with its listing URL."""

    facet: str
    label: str
    name: str
    slug: str
    url: str
    save_as: str

    def __str__(self) -> str:
        return self.name


@lru_cache(maxsize=4096)
def _slug(name: str, substitutions: tuple) -> str:
    """Cached: every case names a few of the same facet values."""
    return slugify(name, regex_subs=substitutions)


def facet_value(settings: dict, facet: str, name: str) -> FacetValue:
    spec = settings["CASE_FACETS"][facet]
    slug = _slug(name, tuple(map(tuple, settings["SLUG_REGEX_SUBSTITUTIONS"])))
    url = f"{spec['url']}/{slug}/"
    return FacetValue(facet, spec["label"], name, slug, url, url + "index.html")


def split_values(raw: str) -> list[str]:
    return [part.strip().lower() for part in raw.split(",") if part.strip()]


def read_header(text: str) -> dict[str, tuple[int, str]]:
    """Header fields as `{key: (line number, value)}`, as the Meta extension
    reads them: `Key: value` lines up to the first blank line."""
    fields: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if line[0] in " \t" or not colon:
            continue
        fields[key.strip().lower()] = (number, value.strip())
    return fields


def check_header(text: str, settings: dict, is_case: bool) -> None:
    """Raise ContentError for the first header mistake an author must fix."""
    fields = read_header(text)
    if not fields.get("title", (0, ""))[1]:
        raise ContentError("the header has no Title", line=1,
                           hint="add a line 'Title: Otsikko' at the top of the file")
    if "date" in fields:
        line, value = fields["date"]
        try:
            get_date(value)
        except (ValueError, OverflowError):
            raise ContentError(f"Date {value!r} is not a date", line=line,
                               hint="write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, "
                                    "e.g. 'Date: 2014-05-16 10:00'") from None
    elif is_case:
        raise ContentError("the header has no Date", line=1,
                           hint="add a line 'Date: YYYY-MM-DD' to the header")
    if not is_case:
        return
    for facet, spec in settings["CASE_FACETS"].items():
        name = facet.capitalize()
        if facet not in fields or not split_values(fields[facet][1]):
            raise ContentError(
                f"the header has no {name}", line=1,
                hint=f"add '{name}: <value>' with one of: {', '.join(spec['values'])}")
        line, raw = fields[facet]
        values = split_values(raw)
        if len(values) > 1 and not spec["multiple"]:
            raise ContentError(f"{name} takes one value, not {raw!r}", line=line,
                               hint=f"choose one of: {', '.join(spec['values'])}")
        for value in values:
            if value not in spec["values"]:
                raise ContentError(
                    f"{name} {value!r} is not a known {facet}", line=line,
                    hint=f"use one of: {', '.join(spec['values'])} "
                         f"(or add it to CASE_FACETS['{facet}'] in pelicanconf.py)")


def report(message: str) -> None:
    logger.error(message)
    PROBLEMS.append(message)


# Metadata the case reader derives from the body, not from the header.
BODY_METADATA = ("toc_tokens", "word_count")


def header_metadata(metadata: dict) -> dict:
    return {key: value for key, value in metadata.items() if key not in BODY_METADATA}


class CaseReader(MarkdownReader):
    """Markdown reader that checks the header and locates content errors.

    It also keeps what later stages need from the converted text, so they
    never re-parse the HTML and take it from the reader cache on later
    builds: the toc extension's heading tokens (`toc_tokens`) and the
    number of words readers see (`word_count`).

    Pelican builds a new Markdown instance, with every extension, for each
    file; here one instance serves every file, reset between them as
    Python-Markdown intends, which makes reading a fifth faster."""

    _markdown = None

    def read(self, source_path):
        shown = shown_path(source_path)
        is_case = _is_case(source_path, self.settings)
        try:
            with open(source_path, encoding="utf-8") as handle:
                text = handle.read()
            check_header(text, self.settings, is_case)
            content, metadata = self._convert(source_path, text)
            metadata["toc_tokens"] = self._toc_tokens
            metadata["word_count"] = len(Markup(content).striptags().split())
            return content, metadata
        except ContentError as error:
            report(error.located(shown))
            raise

    def _convert(self, source_path: str, text: str) -> tuple[str, dict]:
        """What `MarkdownReader.read` does, on the reused instance."""
        self._source_path = source_path
        self._md = self._reset_markdown()
        try:
            content = self._md.convert(text)
            metadata = self._parse_metadata(self._md.Meta)
        except BaseException:
            self._markdown = None  # a conversion cut short: start afresh
            raise
        return content, metadata

    def _reset_markdown(self) -> Markdown:
        """The instance, reset, with the meta preprocessor that Pelican's
        `_parse_metadata` removes (so that a summary keeps its lines)."""
        if self._markdown is None:
            self._markdown = Markdown(**self.settings["MARKDOWN"])
            self._meta = self._markdown.preprocessors["meta"]
            self._meta_priority = next(item.priority for item in
                                       self._markdown.preprocessors._priority
                                       if item.name == "meta")
        elif "meta" not in self._markdown.preprocessors:
            self._markdown.preprocessors.register(self._meta, "meta", self._meta_priority)
        return self._markdown.reset()

    def _parse_metadata(self, meta):
        # Called right after the body is converted; converting the summary
        # next resets the Markdown instance and its toc tokens.
        self._toc_tokens = getattr(self._md, "toc_tokens", [])
        return super()._parse_metadata(meta)


def _is_case(source_path: str, settings: dict) -> bool:
    source = os.path.abspath(source_path)
    return any(source.startswith(os.path.join(os.path.abspath(settings["PATH"]), folder, ""))
               for folder in settings["ARTICLE_PATHS"])


def use_case_reader(readers) -> None:
    for extension in CaseReader.file_extensions:
        readers.reader_classes[extension] = CaseReader


def attach_facets(content) -> None:
    """Give each case `case_facets`: (facet, label, [FacetValue]) in order."""
    if not isinstance(content, Article):
        return
    settings = content.settings
    content.case_facets = []
    for facet, spec in settings["CASE_FACETS"].items():
        values = [facet_value(settings, facet, name)
                  for name in split_values(str(content.metadata.get(facet, "")))]
        content.case_facets.append((facet, spec["label"], values))
        setattr(content, f"{facet}_values", values)


def index_facets(generator) -> None:
    """`case_facets` in the template context: facet -> value -> cases."""
    index = {facet: defaultdict(list) for facet in generator.settings["CASE_FACETS"]}
    for article in generator.articles:
        for facet, _label, values in article.case_facets:
            for value in values:
                index[facet][value].append(article)
    ordered = {}
    for facet, spec in generator.settings["CASE_FACETS"].items():
        by_name = {value.name: value for value in index[facet]}
        ordered[facet] = [(by_name[name], index[facet][by_name[name]])
                          for name in spec["values"] if name in by_name]
    generator.context["case_facets"] = ordered


def write_facet_pages(generator, writer) -> None:
    settings = generator.settings
    write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
    facet_template = generator.get_template("facet")
    index_template = generator.get_template("facet_index")
    for facet, values in generator.context["case_facets"].items():
        spec = settings["CASE_FACETS"][facet]
        write(f"{spec['url']}/index.html", index_template, generator.context,
              url=f"{spec['url']}/", facet=facet, facet_label=spec["label"],
              facet_values=values)
        for value, articles in values:
            members = {id(article) for article in articles}
            dates = [article for article in generator.dates if id(article) in members]
            write(value.save_as, facet_template, generator.context, url=value.url,
                  facet_value=value, articles=articles, dates=dates,
                  template_name="facet", blog=True, page_name=value.url.rstrip("/"),
                  all_articles=generator.articles)


class ErrorCollector(logging.Handler):
    """Counts Pelican's own errors (a file it could not process, a template
    that failed) so that they fail the build too, not only scroll past."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == logger.name or self.already_reported(record):
            return
        PROBLEMS.append(record.getMessage())

    @staticmethod
    def already_reported(record: logging.LogRecord) -> bool:
        """Pelican's "Could not process <file>" after our own located report."""
        return record.msg == "Could not process %s" and any(
            f"{record.args[0]}:" in problem for problem in PROBLEMS)


COLLECTOR = ErrorCollector()


def start_build(pelican) -> None:
    PROBLEMS.clear()
    logging.getLogger().addHandler(COLLECTOR)


def fail_on_problems(pelican) -> None:
    logging.getLogger().removeHandler(COLLECTOR)
    if PROBLEMS:
        raise BuildFailed(list(PROBLEMS))


def register() -> None:
    signals.initialized.connect(start_build)
    signals.readers_init.connect(use_case_reader)
    signals.content_object_init.connect(attach_facets)
    signals.article_generator_finalized.connect(index_facets)
    signals.article_writer_finalized.connect(write_facet_pages)
    signals.finalized.connect(fail_on_problems)
