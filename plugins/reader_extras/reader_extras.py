"""What a reader gets around a case: reading time, a table of contents for
long cases, related cases, previous/next links, and the page metadata
(canonical URL, OpenGraph, JSON-LD) that `partials/head_meta.html` prints.
"""

from __future__ import annotations

from functools import partial

from jinja2 import pass_environment
from markupsafe import Markup
from pelican import signals

from hyva import signals as hyva_signals
from hyva.settings import Setting, is_positive, settle

from . import reading, related, structured_data

SETTINGS = {
    # Finnish words are long, so fewer a minute than the usual 200-250.
    "READING_WORDS_PER_MINUTE": Setting(160, int, "a number of words", is_positive),
    "TOC_MIN_MINUTES": Setting(3, int, "a number of minutes"),
    "TOC_MIN_HEADINGS": Setting(3, int, "a number of headings"),
    "RELATED_CASES_MAX": Setting(3, int, "a number of cases"),
    "OG_LOCALE": Setting("fi_FI", str, "an OpenGraph locale such as 'fi_FI'"),
}


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)


def keep_body_facts(md, content: str) -> dict:
    """What the reading time and table of contents need from the converted
    body, kept in the reader cache: the toc extension's heading tokens and
    the number of words readers see."""
    return {"toc_tokens": getattr(md, "toc_tokens", []),
            "word_count": len(Markup(content).striptags().split())}


def table_of_contents(tokens: list[dict], minutes: int, settings: dict) -> list[dict]:
    """Heading entries for a long case with enough headings, else none."""
    if minutes < settings["TOC_MIN_MINUTES"]:
        return []
    entries = reading.toc_entries(tokens)
    return entries if reading.count_entries(entries) >= settings["TOC_MIN_HEADINGS"] else []


def annotate_cases(generator) -> None:
    """Give every case `reading_time`, `toc`, `related_cases`, `prev_case`
    (older) and `next_case` (newer), once all cases are read."""
    settings = generator.settings
    cases = sorted(generator.articles, key=lambda case: case.date)
    suggestions = related.related_cases(cases, settings["RELATED_CASES_MAX"])
    for index, case in enumerate(cases):
        case.reading_time = reading.reading_minutes(getattr(case, "word_count", 0),
                                                    settings["READING_WORDS_PER_MINUTE"])
        case.toc = table_of_contents(getattr(case, "toc_tokens", []), case.reading_time, settings)
        case.related_cases = suggestions[index]
        case.prev_case = cases[index - 1] if index > 0 else None
        case.next_case = cases[index + 1] if index + 1 < len(cases) else None


def install_filters(generator) -> None:
    settings = generator.settings

    @pass_environment
    def case_json_ld(env, case) -> dict:
        return structured_data.article_data(case, settings, env.getattr)

    generator.env.filters["case_json_ld"] = case_json_ld
    generator.env.filters["absolute_url"] = partial(
        structured_data.absolute_url, settings["SITE_ORIGIN"])


def register() -> None:
    signals.initialized.connect(check_settings)
    hyva_signals.case_converted.connect(keep_body_facts)
    signals.generator_init.connect(install_filters)
    signals.article_generator_finalized.connect(annotate_cases)
