"""Which cases to suggest after a case: those sharing the most tags and
facet values (channel, sector, outcome), newest first among equals."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedCase:
    case: object
    shared: tuple[str, ...]
    """The tag and facet names both cases have, shown as the reason."""


def terms(case) -> dict[object, str]:
    """A case's tags and facet values, each with the name readers see."""
    found = {tag: str(tag) for tag in getattr(case, "tags", [])}
    for _facet, _label, values in getattr(case, "case_facets", []):
        found.update((value, value.name) for value in values)
    return found


def related_cases(case, cases, limit: int) -> list[RelatedCase]:
    mine = terms(case)
    scored = []
    for other in cases:
        if other is case:
            continue
        shared = dict.fromkeys(name for term, name in terms(other).items() if term in mine)
        if shared:
            scored.append(RelatedCase(other, tuple(shared)))
    scored.sort(key=lambda related: (len(related.shared), related.case.date), reverse=True)
    return scored[:limit]
