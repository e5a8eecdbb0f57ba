"""Which cases to suggest after a case: those sharing the most tags and
facet values (channel, sector, outcome), newest first among equals.

Each term (a tag, a facet value) keeps the set of cases holding it as the
bits of one integer, and a case's shared-term counts with every other case
are added up bit-sliced over those integers, so thousands of cases cost
milliseconds rather than a count per pair.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple


class SharedTerm(NamedTuple):
    """A tag or facet value two cases both have: its facet (None for a tag),
    the facet's label (its msgid) and the name readers see."""

    facet: str | None
    label: str | None
    name: str


@dataclass(frozen=True)
class RelatedCase:
    case: object
    shared: tuple[SharedTerm, ...]
    """What both cases have, shown as the reason, in the order of the case
    it is suggested after: its facets first, then its tags."""


def terms(case) -> dict[tuple[str | None, str], SharedTerm]:
    """A case's facet values and tags, each as readers see it. Keyed as
    they compare (a facet value by its facet and name, a tag by its slug)
    in plain tuples, which hash far faster than the objects."""
    found = {}
    for facet, label, values in getattr(case, "case_facets", []):
        found.update(((facet, value.name), SharedTerm(facet, label, value.name))
                     for value in values)
    found.update(((None, tag.slug), SharedTerm(None, None, str(tag)))
                 for tag in getattr(case, "tags", []))
    return found


def count_planes(sets: list[int]) -> list[int]:
    """How many of `sets` hold each case, as binary digits: bit i of
    planes[k] is bit k of case i's count."""
    planes: list[int] = []
    for members in sets:
        carry = members
        for level, plane in enumerate(planes):
            planes[level], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    return planes


def most_shared(planes: list[int], limit: int) -> list[int]:
    """Up to `limit` case indexes: highest count first, then highest index."""
    best: list[int] = []
    for count in range((1 << len(planes)) - 1, 0, -1):
        members = -1
        for level, plane in enumerate(planes):
            members &= plane if count >> level & 1 else ~plane
        while members and len(best) < limit:
            top = members.bit_length() - 1
            best.append(top)
            members ^= 1 << top
        if len(best) == limit:
            break
    return best


def related_cases(cases: list, limit: int) -> list[list[RelatedCase]]:
    """For each case in `cases` (oldest first), up to `limit` related cases:
    most shared terms first, then the newer (higher index) of equals."""
    case_terms = [terms(case) for case in cases]
    holders: dict[tuple[str | None, str], int] = defaultdict(int)
    for index, found in enumerate(case_terms):
        for term in found:
            holders[term] |= 1 << index
    suggestions = []
    for index, found in enumerate(case_terms):
        others = ~(1 << index)
        planes = count_planes([holders[term] & others for term in found])
        suggestions.append([
            RelatedCase(cases[other], tuple(dict.fromkeys(
                shown for term, shown in found.items() if term in case_terms[other])))
            for other in most_shared(planes, limit)])
    return suggestions
