"""The facets readers browse cases by (channel, sector, outcome, …).

`CASE_FACETS` in pelicanconf.py is the only list of them: its entries say
what each facet is called, where its listings live, whether a case must
name it and may name several values, and which values exist. Everything
else (the reader's checks, the facet pages, `invoke new`, the tests) is
built from it, so adding a facet means changing the settings, the
catalogues, the content and the README only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pelican.utils import slugify

# The keys of one CASE_FACETS entry, with what each must be.
SPEC_KEYS = {
    "label": (str, "the facet's name, a msgid of the theme catalogue"),
    "title": (str, "the title of its index page, a msgid"),
    "url": (str, "the URL folder of its listing pages"),
    "multiple": (bool, "True if a case may name several values"),
    "required": (bool, "True if every case must name it"),
    "values": (list, "the allowed values"),
}


def spec_problem(facet: str, spec) -> str | None:
    """What is wrong with one CASE_FACETS entry, or None."""
    if not isinstance(spec, dict):
        return f"CASE_FACETS[{facet!r}] must be a dict with the keys {', '.join(SPEC_KEYS)}"
    for key, (kind, meaning) in SPEC_KEYS.items():
        if not isinstance(spec.get(key), kind):
            return f"CASE_FACETS[{facet!r}][{key!r}] must be {meaning} ({kind.__name__})"
    if not spec["values"] or not all(isinstance(v, str) and v == v.strip().lower()
                                     for v in spec["values"]):
        return f"CASE_FACETS[{facet!r}]['values'] must be lower-case strings, at least one"
    return None


def header_key(facet: str) -> str:
    """The header line's key: "channel" -> "Channel"."""
    return facet.capitalize()


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
    return slugify(name, regex_subs=substitutions)


def value_slug(name: str, substitutions) -> str:
    """A name's URL segment by the site's SLUG_REGEX_SUBSTITUTIONS
    ("sähköposti" -> "sahkoposti")."""
    return _slug(name, tuple(map(tuple, substitutions)))


def facet_value(settings: dict, facet: str, name: str) -> FacetValue:
    spec = settings["CASE_FACETS"][facet]
    slug = value_slug(name, settings["SLUG_REGEX_SUBSTITUTIONS"])
    url = f"{spec['url']}/{slug}/"
    return FacetValue(facet, spec["label"], name, slug, url, url + "index.html")


def split_values(raw: str) -> list[str]:
    return [part.strip().lower() for part in str(raw).split(",") if part.strip()]


def value_problem(settings: dict, facet: str, raw: str) -> tuple[str, str] | None:
    """(problem, fix) for a header value of `facet`, or None if allowed."""
    spec = settings["CASE_FACETS"][facet]
    allowed = ", ".join(spec["values"])
    name, values = header_key(facet), split_values(raw)
    if not values:
        return (f"{name} has no value", f"write one of: {allowed}")
    if len(values) > 1 and not spec["multiple"]:
        return (f"{name} takes one value, not {raw!r}", f"choose one of: {allowed}")
    unknown = [value for value in values if value not in spec["values"]]
    if unknown:
        return (f"{name} {unknown[0]!r} is not a known {facet}",
                f"use one of: {allowed} (or add it to CASE_FACETS['{facet}'] in pelicanconf.py)")
    return None


def example_values(settings: dict) -> dict[str, str]:
    """The first allowed value of every facet: what a new case starts with."""
    return {facet: spec["values"][0] for facet, spec in settings["CASE_FACETS"].items()}
