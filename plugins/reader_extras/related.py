"""Which cases to suggest after a case: those sharing the most tags and
facet values (channel, sector, outcome), newest first among equals.

Cases are matched through an index of who holds each term, so a site of
thousands of cases does not compare every pair.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import itemgetter


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


def related_cases(cases: list, limit: int) -> list[list[RelatedCase]]:
    """For each case in `cases` (oldest first), up to `limit` related cases:
    most shared terms first, then the newer (higher index) of equals."""
    case_terms = [terms(case) for case in cases]
    holders = defaultdict(list)
    for index, found in enumerate(case_terms):
        for term in found:
            holders[term].append(index)
    suggestions = []
    for index, found in enumerate(case_terms):
        shared_counts = Counter()
        for term in found:
            shared_counts.update(holders[term])
        del shared_counts[index]
        best = [other for other, _count in
                heapq.nlargest(limit, shared_counts.items(), key=itemgetter(1, 0))]
        suggestions.append([
            RelatedCase(cases[other], tuple(dict.fromkeys(
                name for term, name in case_terms[other].items() if term in found)))
            for other in best])
    return suggestions
