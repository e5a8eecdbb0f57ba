"""Charts of how many cases each facet value has, drawn at build time.

The counts come from the published cases' headers through `hyva.facets`,
the same reading the facet listings are made of, so every bar can link to a
listing that exists. The facet index pages show their facet's chart; the
overview page (the direct template `charts`, CHARTS_SAVE_AS in
pelicanconf.py) shows every facet's and a cross chart of two facets,
FACET_CHARTS_CROSS (sector × outcome: which sectors answer well and which
badly). The charts are data (`hyva.charts`); the theme's partials draw them.
"""

from __future__ import annotations

from collections import Counter

from pelican import signals

from hyva.charts import bar_chart, cross_chart
from hyva.facets import facet_value, split_values
from hyva.settings import Setting, SettingsError, settle
from hyva.translations import N_


def _cross_problem(value) -> str | None:
    if len(value) != 2 or not all(isinstance(facet, str) for facet in value):
        return "must name two facets of CASE_FACETS, rows first, e.g. ('sector', 'outcome')"
    return None


SETTINGS = {
    "FACET_CHARTS_CROSS": Setting(("sector", "outcome"), (tuple, list),
                                  "a pair of CASE_FACETS names (rows, columns)", _cross_problem),
    # A msgid of the theme catalogue, as the facets' titles are.
    "FACET_CHARTS_CROSS_TITLE": Setting(N_("Outcomes by sector"), str, "a msgid (str)"),
}


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)
    unknown = [facet for facet in pelican.settings["FACET_CHARTS_CROSS"]
               if facet not in pelican.settings["CASE_FACETS"]]
    if unknown:
        raise SettingsError(f"FACET_CHARTS_CROSS: {unknown[0]!r} is not a facet of CASE_FACETS")


def facet_counts(articles, settings: dict) -> dict[str, Counter]:
    """facet -> value -> number of cases naming it."""
    counts = {facet: Counter() for facet in settings["CASE_FACETS"]}
    for article in articles:
        for facet, counter in counts.items():
            counter.update(split_values(str(article.metadata.get(facet, ""))))
    return counts


def pair_counts(articles, rows: str, columns: str) -> Counter:
    """(row value, column value) -> number of cases naming both."""
    counts = Counter()
    for article in articles:
        for row in split_values(str(article.metadata.get(rows, ""))):
            for column in split_values(str(article.metadata.get(columns, ""))):
                counts[row, column] += 1
    return counts


def make_charts(generator) -> None:
    """`facet_charts` (facet -> chart) and `facet_cross_chart` in the
    template context, before anything is written."""
    settings, articles = generator.settings, generator.articles
    facets = settings["CASE_FACETS"]
    counts = facet_counts(articles, settings)

    def listing(facet: str, name: str) -> str | None:
        return facet_value(settings, facet, name).url if counts[facet][name] else None

    generator.context["facet_charts"] = {
        facet: bar_chart(f"kaavio-{spec['url']}", spec["title"], spec["label"],
                         [(name, counts[facet][name], listing(facet, name))
                          for name in spec["values"] if counts[facet][name]])
        for facet, spec in facets.items()}
    rows, columns = settings["FACET_CHARTS_CROSS"]
    pairs = pair_counts(articles, rows, columns)
    generator.context["facet_cross_chart"] = cross_chart(
        f"kaavio-{facets[rows]['url']}-{facets[columns]['url']}",
        settings["FACET_CHARTS_CROSS_TITLE"],
        facets[rows]["label"],
        [(name, listing(columns, name)) for name in facets[columns]["values"]],
        [(row, listing(rows, row), [pairs[row, column] for column in facets[columns]["values"]])
         for row in facets[rows]["values"] if counts[rows][row]])


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(make_charts)
