"""Validated case metadata and the facet pages readers browse by.

A case names its channel, sector and outcome in its header. Each value must
be one of `CASE_FACETS` in pelicanconf.py, so a typo cannot quietly create a
new listing page. Mistakes stop the build with file, line and a fix.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from functools import partial
from pathlib import Path

from markdown import Markdown
from pelican import signals
from pelican.contents import Article
from pelican.readers import MarkdownReader
from pelican.utils import truncate_html_words

from hyva import signals as hyva_signals
from hyva.cases import is_case_file, is_slug, read_text, theme_outputs
from hyva.errors import ContentError, report, shown_path
from hyva.facets import facet_value, spec_problem, split_values
from hyva.header import check_header, read_header
from hyva.settings import SettingsError
from hyva.xmltext import FORBIDDEN, xml_safe

from .html_checks import check_fragments

logger = logging.getLogger(__name__)


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
            text = without_xml_forbidden(read_text(Path(source_path)), shown)
            check_header(text, self.settings, is_case)
            check_paths(text)
            check_nesting(text)
            content, metadata = self._convert(source_path, text.lstrip("\ufeff"))
            check_fragments(text.lstrip("\ufeff"), content, metadata, read_header(text),
                            self.settings["THEME"])
            if is_case and "summary" not in metadata:
                metadata["summary"] = summary_before_comparison(content, self.settings)
            return content, metadata
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


def without_xml_forbidden(text: str, shown: str) -> str:
    """The text less the characters XML forbids, each line that held one
    named in a warning (they are invisible, so nothing an author meant is lost)."""
    if not FORBIDDEN.search(text):
        return text
    for number, line in enumerate(text.split("\n"), 1):
        found = sorted(set(FORBIDDEN.findall(line)))
        if found:
            logger.warning("%s:%d: removed %s, which XML does not allow. Fix: delete %s in "
                           "your editor", shown, number,
                           ", ".join(f"U+{ord(character):04X}" for character in found),
                           "it" if len(found) == 1 else "them")
    return xml_safe(text)


# Where a reply comparison starts in a case's HTML (plugins/reply_compare).
COMPARISON_START = re.compile(r'<section\b[^>]*\bclass="reply-compare"')


def summary_before_comparison(content: str, settings: dict) -> str:
    """Pelican's automatic summary, cut from the text before the first
    comparison: half a comparison in a listing has notes that link nowhere."""
    found = COMPARISON_START.search(content)
    before = content[:found.start()] if found else content
    if not re.sub(r"<[^>]*>", "", before).strip():
        raise ContentError("the case has no Summary and opens with a comparison, so no "
                           "summary can be cut from its text", line=1,
                           hint="add a line 'Summary: …' to the header, or a paragraph before "
                                "the comparison")
    if settings["SUMMARY_MAX_LENGTH"] is None:
        return before
    return truncate_html_words(before, settings["SUMMARY_MAX_LENGTH"],
                               settings["SUMMARY_END_SUFFIX"])


def check_paths(text: str) -> None:
    """A Slug is one path segment; Save_as and Url stay inside the site."""
    fields = read_header(text)
    if "slug" in fields and not is_slug(fields["slug"][1]):
        line, value = fields["slug"]
        raise ContentError(f"Slug {value!r} is not one URL segment", line=line,
                           hint="use letters, digits and hyphens only, e.g. 'Slug: "
                                "maksumuistutus', or leave the line out")
    for key in ("save_as", "url"):
        if key in fields:
            line, value = fields[key]
            parts = value.replace("\\", "/").split("/")
            if value.startswith("/") or ".." in parts or "\0" in value:
                raise ContentError(f"{key.capitalize()} {value!r} points outside the site",
                                   line=line, hint="give a path inside the site, e.g. "
                                   "'Save_as: maksumuistutus/index.html', or leave the line out")


# Deeper lists and quotes than anyone writes: Python-Markdown's time grows
# fast with the depth, so deeper ones are refused before converting.
MAX_NESTING = 20
LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
QUOTE_RUN = re.compile(r"[ \t]*(?:>[ \t]*)+")


def check_nesting(text: str) -> None:
    """ContentError at the first line nested deeper than MAX_NESTING."""
    for number, line in enumerate(text.split("\n"), 1):
        expanded = line.expandtabs(4)
        depth = (len(expanded) - len(expanded.lstrip())) // 4
        quoted = QUOTE_RUN.match(line)
        rest = line
        if quoted:
            depth, rest = depth + quoted.group().count(">"), line[quoted.end():]
        while depth <= MAX_NESTING and (marker := LIST_MARKER.match(rest)):
            depth, rest = depth + 1, rest[marker.end():]
        if depth > MAX_NESTING:
            raise ContentError(f"a list or quote nested more than {MAX_NESTING} levels deep",
                               line=number, hint="flatten the list or quote (code blocks "
                                                 "count their indentation too)")


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


def header_line(content, key: str) -> int:
    """The line of `key` in the content's header, or 1 when it has none."""
    fields = read_header(read_text(Path(content.source_path)))
    return fields.get(key, (1, ""))[0]


def check_outputs(generator) -> None:
    """Once cases and pages are known, and before anything is written: no
    two of them, and nothing the theme writes, share an output file, and
    every Template they name exists."""
    settings = generator.settings
    contents = [content for content in generator.context["generated_content"].values()
                if content is not None and getattr(content, "source_path", None)]
    owners = {path: [what] for path, what in theme_outputs(settings).items()}
    # Pages first: a case that takes a page's slug is the one to rename.
    for content in sorted(contents, key=lambda content: (isinstance(content, Article),
                                                         content.source_path)):
        if content.save_as:
            owners.setdefault(content.save_as, []).append(content)
        if "template" in content.metadata:
            try:
                generator.get_template(content.template)
            except Exception:
                report(ContentError(
                    f"Template {content.template!r} is not a template of the theme",
                    line=header_line(content, "template"), path=shown_path(content.source_path),
                    hint="leave the Template line out, or name a file of theme/templates "
                         "without .html"))
    for save_as, [first, *others] in owners.items():
        first_name = first if isinstance(first, str) else shown_path(first.source_path)
        for other in others:
            report(ContentError(
                f"the slug {other.slug!r} is taken: {first_name} is written to {save_as} too",
                line=header_line(other, "slug"), path=shown_path(other.source_path),
                hint="give one of them another 'Slug:' line (or rename the file)"))


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
    signals.page_generator_finalized.connect(check_outputs)
    signals.article_writer_finalized.connect(write_facet_pages)
