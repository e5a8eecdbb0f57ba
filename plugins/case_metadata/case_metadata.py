"""Validated case metadata and the facet pages readers browse by.

A case names its channel, sector and outcome in its header. Each value must
be one of `CASE_FACETS` in pelicanconf.py, so a typo cannot quietly create a
new listing page. Mistakes stop the build with file, line and a fix.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.contents import Article
from pelican.readers import MarkdownReader

from hyva import signals as hyva_signals
from hyva.cases import is_case_file, read_text
from hyva.errors import ContentError, report, shown_path
from hyva.facets import facet_value, spec_problem, split_values
from hyva.header import check_header
from hyva.settings import SettingsError


class CaseReader(MarkdownReader):
    """Markdown reader that checks the header and locates content errors.

    Right after converting the body it sends `case_converted`, so other
    plugins can keep what they need of the converted text in the case's
    metadata (and so in the reader cache) without parsing the HTML again.

    Pelican builds a new Markdown instance, with every extension, for each
    file; here one instance serves every file, reset between them as
    Python-Markdown intends (see README, "Speed")."""

    _markdown = None

    def read(self, source_path):
        shown = shown_path(source_path)
        is_case = is_case_file(Path(source_path), self.settings)
        try:
            text = read_text(Path(source_path))
            check_header(text, self.settings, is_case)
            return self._convert(source_path, text.lstrip("\ufeff"))
        except ContentError as error:
            error.path = error.path or shown
            report(error)
            raise

    def _convert(self, source_path: str, text: str) -> tuple[str, dict]:
        """What `MarkdownReader.read` does, on the reused instance."""
        self._source_path = source_path
        self._md = self._reset_markdown()
        try:
            content = self._md.convert(text)
            # Before the summary is converted, which resets the instance
            # and with it what extensions found in the body.
            kept = {}
            for _receiver, found in hyva_signals.case_converted.send(self._md, content=content):
                kept.update(found or {})
            metadata = {**self._parse_metadata(self._md.Meta), **kept}
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


def check_settings(pelican) -> None:
    """CASE_FACETS has the shape hyva.facets expects, checked once."""
    facets = pelican.settings.get("CASE_FACETS")
    if not isinstance(facets, dict):
        raise SettingsError("CASE_FACETS must be a dict: facet name -> its spec")
    for facet, spec in facets.items():
        problem = spec_problem(facet, spec)
        if problem:
            raise SettingsError(problem)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.readers_init.connect(use_case_reader)
    signals.content_object_init.connect(attach_facets)
    signals.article_generator_finalized.connect(index_facets)
    signals.article_writer_finalized.connect(write_facet_pages)
