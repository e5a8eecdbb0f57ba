"""A new case for `invoke new "Otsikko"`: a draft with every header field and
a comparison skeleton, so an author starts from a file that already builds.

The file name is the Finnish slug of the title (Pelican's slugify: "ä" -> "a",
"ö" -> "o"), which is also the case's URL. An existing file is never
overwritten.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.utils import slugify

from hyva.header import read_header

TEMPLATE = """\
Title: {title}
Date: {today}
Status: draft
Category: {category}
{tags}Channel: {channel}
Sector: {sector}
Outcome: {outcome}
Summary: Yhden virkkeen tiivistelmä: mitä tapahtui ja miten yritys vastasi.

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


def case_slug(title: str, settings: dict) -> str:
    return slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
                   preserve_case=False, use_unicode=False)


def usual_category(cases: Path, settings: dict) -> str:
    """The category most existing cases use (a new blog: DEFAULT_CATEGORY)."""
    counts = Counter(read_header(path.read_text(encoding="utf-8")).get("category", (0, ""))[1]
                     for path in cases.glob("*.md"))
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else settings["DEFAULT_CATEGORY"]


def facet_value(settings: dict, facet: str, value: str | None) -> str:
    """`value` if CASE_FACETS allows it; None means the first allowed value."""
    allowed = settings["CASE_FACETS"][facet]["values"]
    if value is None:
        return allowed[0]
    values = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in values if part not in allowed]
    if unknown or not values:
        raise ScaffoldError(f"{facet.capitalize()} {value!r} is not allowed; "
                            f"use one of: {', '.join(allowed)}")
    return ", ".join(values)


def create_case(title: str, settings: dict, *, today: date | None = None,
                category: str | None = None, tags: str = "", channel: str | None = None,
                sector: str | None = None, outcome: str | None = None) -> Path:
    """Write content/<first ARTICLE_PATHS folder>/<slug>.md and return its path."""
    title = " ".join(title.split())
    slug = case_slug(title, settings)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters to name the file by")
    cases = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0]
    path = cases / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or choose another title")
    today = today or datetime.now(ZoneInfo(settings["TIMEZONE"])).date()
    text = TEMPLATE.format(
        title=title, today=today.isoformat(), category=category or usual_category(cases, settings),
        tags=f"Tags: {tags}\n" if tags.strip() else "",
        channel=facet_value(settings, "channel", channel),
        sector=facet_value(settings, "sector", sector),
        outcome=facet_value(settings, "outcome", outcome),
    )
    cases.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:
        stream.write(text)
    return path
