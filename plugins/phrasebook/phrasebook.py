"""The phrasebook: every annotated phrase of every case, by pattern.

The comparison extension leaves each case's phrases in its metadata
(`hyva.patterns.PHRASES`); once all cases are read they are gathered here
by pattern, into `phrasebook` in the template context (the menu shows the
phrasebook when it is there). Once the cases are written, the phrasebook
writes `<PHRASEBOOK_URL>/` (every pattern), `<PHRASEBOOK_URL>/<slug>/` (its
phrases, beside its opposite's), an Atom feed per pattern of the cases that
add phrases to it, and the export (export.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial

from pelican import signals

from hyva import patterns as pattern_spec
from hyva.charts import bar_chart
from hyva.patterns import Pattern, Phrase
from hyva.settings import Setting, settle
from hyva.translations import N_, interface

from .export import phrase_link, write_export

SETTINGS = {
    "PHRASEBOOK_FEED_ATOM": Setting("feeds/fraasit/{slug}.atom.xml", (str, type(None)),
                                    "a feed path with {slug}, or None",
                                    lambda path: None if path is None or "{slug}" in path
                                    else "must hold {slug}"),
}


@dataclass(frozen=True)
class Entry:
    """One phrase of one case, as a pattern page lists it. `case_url` is
    the case's URL, worked out once: Pelican formats `case.url` anew on
    every call."""

    case: object
    phrase: Phrase
    case_url: str

    @property
    def url(self) -> str:
        """The phrase on its case page."""
        return phrase_link(self.case_url, self.phrase)


@dataclass
class PatternPage:
    """A pattern with every phrase that names it, in the cases' order."""

    pattern: Pattern
    entries: list[Entry] = field(default_factory=list)
    opposite: PatternPage | None = None

    @cached_property
    def case_entries(self) -> list[Entry]:
        """The first entry of each case its phrases come from, in order."""
        first = {}
        for entry in self.entries:
            first.setdefault(id(entry.case), entry)
        return list(first.values())

    @property
    def cases(self) -> list:
        """The cases its phrases come from, each once, in order."""
        return [entry.case for entry in self.case_entries]

    def feed_path(self, settings: dict) -> str | None:
        """Where its feed goes; None without feeds, or without phrases (an
        empty feed would be dated at build time)."""
        template = settings["PHRASEBOOK_FEED_ATOM"]
        return template.format(slug=self.pattern.slug) if template and self.entries else None

    @property
    def columns(self) -> list[PatternPage]:
        """This pattern and its opposite, the fault first ("don't write
        this", then "write this rather"); only this one without an opposite."""
        pair = [self, self.opposite] if self.opposite else [self]
        return sorted(pair, key=lambda page: not page.pattern.is_fault)


def check_settings(pelican) -> None:
    settle(pelican.settings, pattern_spec.SETTINGS)
    settle(pelican.settings, SETTINGS)


def gather(generator) -> None:
    """`phrasebook`: a PatternPage per pattern, in REPLY_PATTERNS' order,
    its phrases from the oldest case to the newest; each case gets
    `phrase_patterns`, the patterns its notes name (its facts list links
    them, and the search filters by them)."""
    known = pattern_spec.known_patterns(generator.settings)
    pages = {key: PatternPage(pattern) for key, pattern in known.items()}
    for case in sorted(generator.articles, key=lambda case: (case.date, case.source_path)):
        found, case_url = {}, case.url
        for phrase in case.metadata.get(pattern_spec.PHRASES, []):
            entry = Entry(case, phrase, case_url)
            for key in phrase.patterns:
                pages[key].entries.append(entry)
                found[key] = known[key]
        case.phrase_patterns = list(found.values())
    for page in pages.values():
        if page.pattern.opposite:
            page.opposite = pages[page.pattern.opposite]
    generator.context["phrasebook"] = list(pages.values())


def write_phrasebook(generator, writer) -> None:
    settings, context = generator.settings, generator.context
    book = context["phrasebook"]
    folder = settings["PHRASEBOOK_URL"]
    write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
    write(f"{folder}/index.html", generator.get_template("phrasebook"), context,
          url=f"{folder}/", phrasebook=book, page_name=folder, phrasebook_chart=bar_chart(
              "kaavio-fraasit", N_("Phrases per pattern"), N_("Pattern"),
              [(page.pattern.name, len(page.entries), page.pattern.url) for page in book],
              count_label=N_("Number of phrases")))
    template = generator.get_template("pattern")
    gettext = interface(settings).gettext
    for page in book:
        feed_path = page.feed_path(settings)
        write(page.pattern.url + "index.html", template, context, url=page.pattern.url,
              pattern_page=page, pattern_feed=feed_path, page_name=page.pattern.url.rstrip("/"))
        if feed_path:
            newest_first = sorted(page.cases, key=lambda case: case.date, reverse=True)
            # Pelican puts the site's name before the title.
            writer.write_feed(newest_first, context, feed_path, feed_path,
                              feed_title=gettext("Phrasebook: “%(pattern)s”")
                              % {"pattern": page.pattern.name})
    write_export(book, settings, writer.output_path)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(gather)
    signals.article_writer_finalized.connect(write_phrasebook)
