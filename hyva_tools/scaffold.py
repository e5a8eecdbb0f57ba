"""A new case for `invoke new "Otsikko"`: a draft with every header field and
a comparison skeleton, so an author starts from a file that already builds.

The file name is the Finnish slug of the title (Pelican's slugify: "ä" -> "a",
"ö" -> "o"), which is also the case's URL. The facet lines come from
CASE_FACETS, so a new facet needs no change here. An existing file is never
overwritten, and a title whose slug a case or a page already has is refused:
Pelican would write one over the other.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.utils import slugify

from hyva.cases import (
    case_slug,
    case_sources,
    new_case_folder,
    page_files,
    page_slug,
    theme_outputs,
)
from hyva.errors import ContentError, shown_path
from hyva.facets import example_values, split_values, value_problem
from hyva.header import write_header

SUMMARY = "Yhden virkkeen tiivistelmä: mitä tapahtui ja miten yritys vastasi."

BODY = """\
## Mitä tapahtui

Kerro tapaus lukijalle: kuka otti yhteyttä, missä kanavassa ja miksi.

## Vastaukset rinnakkain

//// compare | {title}
/// bad | Yrityksen vastaus
{{==lause==}}{{>>miksi se epäonnistuu<<}}
///
/// good | Parempi vastaus
{{==lause==}}{{>>miksi se toimii<<}}
///
////
"""


class ScaffoldError(ValueError):
    """The case cannot be created; the message says why and what to do."""


def file_stem(title: str, settings: dict) -> str:
    """The file name Pelican's slugify makes of the title."""
    return slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
                   preserve_case=settings["SLUGIFY_PRESERVE_CASE"],
                   use_unicode=settings["SLUGIFY_USE_UNICODE"])


def usual_category(settings: dict) -> str:
    """The category most existing cases use (a new blog: DEFAULT_CATEGORY)."""
    counts = Counter(source.header.get("category", (0, ""))[1] for source in case_sources(settings))
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else settings["DEFAULT_CATEGORY"]


def facet_values(settings: dict, given: list[str]) -> dict[str, str]:
    """Every facet's value: `given` ("channel=puhelin", repeatable) over the
    first allowed values, each checked as the build checks it."""
    facets = settings["CASE_FACETS"]
    chosen: dict[str, list[str]] = {}
    for item in given:
        name, equals, value = item.partition("=")
        name = name.strip().lower()
        if not equals or not split_values(value):
            raise ScaffoldError(f"--facet {item!r} is not name=value; "
                                f"write e.g. --facet {next(iter(facets))}=<value>")
        if name not in facets:
            raise ScaffoldError(f"there is no facet {name!r}; the facets are: {', '.join(facets)}")
        chosen.setdefault(name, []).extend(split_values(value))
    values = example_values(settings) | {name: ", ".join(parts) for name, parts in chosen.items()}
    for name, value in values.items():
        problem = value_problem(settings, name, value)
        if problem:
            raise ScaffoldError(f"{problem[0]}; {problem[1]}")
    return values


def slug_owner(slug: str, settings: dict) -> str | None:
    """What already has `slug`, if anything: a case or page file, or a
    page the theme writes (the archive, a facet index)."""
    for source in case_sources(settings):
        if source.slug == slug:
            return shown_path(source.path)
    page = next((path for path in page_files(settings) if page_slug(path, settings) == slug), None)
    if page:
        return shown_path(page)
    return theme_outputs(settings).get(settings["ARTICLE_SAVE_AS"].format(slug=slug))


def create_case(title: str, settings: dict, *, today: date | None = None,
                category: str | None = None, tags: str = "", facets: list[str] = (),
                folder: str | None = None) -> Path:
    """Write <first ARTICLE_PATHS folder>[/<folder>]/<slug>.md and return its path."""
    title = " ".join(title.split())
    stem = file_stem(title, settings)
    if not stem:
        raise ScaffoldError(f"the title {title!r} has no letters to name the file by")
    try:
        cases = new_case_folder(settings, folder)
    except ContentError as error:
        raise ScaffoldError(f"{error.problem}; {error.hint}") from None
    path = cases / f"{stem}.md"
    if path.exists():
        raise ScaffoldError(f"{shown_path(path)} already exists; edit it, or choose another title")
    header = {"title": title,
              "date": (today or datetime.now(ZoneInfo(settings["TIMEZONE"])).date()).isoformat(),
              "status": "draft",
              "category": category or usual_category(settings),
              "tags": tags,
              **facet_values(settings, list(facets)),
              "summary": SUMMARY}
    slug = case_slug(path, settings, {key: (0, value) for key, value in header.items()})
    owner = slug_owner(slug, settings)
    if owner:
        raise ScaffoldError(f"the slug {slug!r} is taken by {owner}; "
                            "choose another title")
    cases.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:
        stream.write(write_header(header) + BODY.format(title=title))
    return path
