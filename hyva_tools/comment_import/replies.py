"""Which comment a mail answers: the subject's `#<comment id>` token first,
then In-Reply-To/References.

A comment's "Reply" link (theme/templates/partials/comments.html) opens a
mail with the subject `[kommentti] <case-slug> #<comment id>`, so a reply
is threaded even when the mail client dropped the threading headers. Only
the subject is read (after address masking): a token in the body, quoted
text included, threads nothing. The rules, each case noted in the summary:

- The token wins over the headers when they disagree.
- Any place in the subject counts (`Re: VS: SV: Fwd: AW:` in front, text after).
- Two different tokens: neither is trusted; the headers thread the mail.
- A token of a removed comment: under that comment's nearest surviving
  ancestor. A token naming no comment (erased, mistyped): top of the case.
- A token of a comment on another case than the subject names: top of the
  named case (a case named in the subject is never overruled).
- A token that carried an address (`#<id>@host`) was masked with it before
  this module sees it, so it names nothing; that is noted, and no address
  reaches the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hyva_tools.comment_import.removed import RemovedComment, surviving

# Ids are 16 hex digits (hyva.privacy.comment_id); nothing address-like
# may touch the token, so `#<id>@host` is never half read.
COMMENT_TOKEN = re.compile(r"(?<![\w#])#([0-9a-fA-F]{16})(?![\w@.+%-])")


@dataclass
class Threading:
    case: str | None
    parent: str | None
    how: str
    """In words, for the dry run: "reply to comment X (subject #id)"."""
    notes: list[str] = field(default_factory=list)


def subject_tokens(subject: str) -> list[str]:
    """The distinct comment ids the subject names, in order, lower case."""
    return list(dict.fromkeys(token.lower() for token in COMMENT_TOKEN.findall(subject)))


def thread(subject: str, subject_case: str | None, answered: list[str], mask: str,
           cases: dict[str, str], removed: dict[str, RemovedComment]) -> Threading:
    """Where a mail goes. `answered` are the comment ids its headers name,
    nearest first; `cases` maps every comment id to its case."""
    notes = []
    if mask in subject:
        notes.append("the subject held an address; it was masked, and a #token it was part of "
                     "threads nothing")
    tokens = subject_tokens(subject)
    if len(tokens) > 1:
        notes.append(f"the subject names {len(tokens)} comments "
                     f"({', '.join('#' + token for token in tokens)}); threaded by its headers")
    elif tokens:
        return _by_token(tokens[0], subject_case, cases, removed, notes)
    return _by_headers(subject_case, answered, cases, removed, notes)


def _case_of(own_id: str, cases: dict[str, str], removed: dict[str, RemovedComment]) -> str | None:
    return cases.get(own_id) or (removed[own_id].case if own_id in removed else None)


def _by_token(token: str, subject_case: str | None, cases: dict[str, str],
              removed: dict[str, RemovedComment], notes: list[str]) -> Threading:
    token_case = _case_of(token, cases, removed)
    if token_case is None:
        notes.append(f"the subject names comment #{token}, which is not a comment (erased, or "
                     "mistyped); placed at the top of the case")
        return Threading(subject_case, None, "top of the case (its #id names no comment)", notes)
    if subject_case and subject_case != token_case:
        notes.append(f"the subject names comment #{token} of another case, {token_case!r}; "
                     f"placed at the top of {subject_case!r}")
        return Threading(subject_case, None, "top of the case (its #id is another case's)",
                         notes)
    parent = surviving(token, removed)
    if parent != token:
        where = f"comment {parent}" if parent else "the top of the case"
        notes.append(f"comment #{token} it answers was removed; placed under {where}")
    how = (f"reply to comment {parent} (subject #{token})" if parent
           else "top of the case (the comment its #id names was removed)")
    return Threading(token_case, parent, how, notes)


def _by_headers(subject_case: str | None, answered: list[str], cases: dict[str, str],
                removed: dict[str, RemovedComment], notes: list[str]) -> Threading:
    known = next((own_id for own_id in answered if _case_of(own_id, cases, removed)), None)
    case = subject_case or (known and _case_of(known, cases, removed))
    parent = surviving(known, removed) if known and _case_of(known, cases, removed) == case \
        else None
    if known and known != parent and known in removed:
        where = f"comment {parent}" if parent else "the top of the case"
        notes.append(f"comment {known} it answers was removed; placed under {where}")
    how = f"reply to comment {parent} (In-Reply-To/References)" if parent else "top of the case"
    return Threading(case, parent, how, notes)
