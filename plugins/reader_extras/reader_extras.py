"""What a reader gets around a case: reading time, a table of contents for
long cases, related cases, previous/next links, and the page metadata
(canonical URL, OpenGraph, JSON-LD) that `partials/head_meta.html` prints.
"""

from __future__ import annotations

from functools import partial

from jinja2 import pass_environment
from pelican import signals

from . import reading, related, structured_data


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
        case.reading_time = reading.reading_minutes(case.word_count,
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
    signals.generator_init.connect(install_filters)
    signals.article_generator_finalized.connect(annotate_cases)
