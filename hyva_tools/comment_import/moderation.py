"""The import summary's moderation part: rejected mail grouped by reason,
with one line of advice for each, so a moderator knows what to do next.

Reasons are matched by how they start (they carry details after that, such
as the slug or a length); one that no group knows falls under "other".
"""

from __future__ import annotations

import re
from collections import Counter

from hyva_tools.comment_import.mail import MAX_COMMENT_CHARS

# (the start of the reasons, the group's name, the advice)
GROUPS = (
    (r"the subject names no case", "the subject names no case",
     "ask the sender to use the link on the case page (its subject names the case)"),
    (r"there is no case", "the subject names a case that does not exist",
     "check the slug against content/cases/, or ask the sender to use the link on the case page"),
    (r"the case .* is a draft", "the case is a draft",
     "publish the case (remove its Status: draft line), then import again"),
    (r"the (text|comment) is \d+ characters long", "the comment is too long",
     f"ask the sender for a comment of at most {MAX_COMMENT_CHARS} characters"),
    (r"no comment text left", "nothing left but quotes and a signature",
     "read it in the mail program; ask the sender to write the comment above the quote"),
    (r"no sender address|no valid Date|the Date header says",
     "the mail's From or Date header is missing or wrong",
     "such mail rarely comes from a person's mail program; delete it from the approved folder"),
    (r"the body cannot be read|cannot be parsed", "the mail is damaged",
     "ask the sender to send the comment again, as plain text"),
    (r"cannot be imported", "a comment file could not be written or read",
     "fix the file or disk problem the line names, then import again"),
)
OTHER = ("other reasons", "read each message's reason above; the mail stays in the source")
_MATCHERS = [(re.compile(pattern), name, advice) for pattern, name, advice in GROUPS]


def group_of(reason: str) -> tuple[str, str]:
    """(group name, advice) for one rejection reason."""
    return next(((name, advice) for pattern, name, advice in _MATCHERS if pattern.match(reason)),
                OTHER)


def reason_counts(rejected) -> list[tuple[str, int, str]]:
    """(group name, count, advice) of the rejections, most frequent first."""
    counts = Counter(group_of(rejection.reason) for rejection in rejected)
    return [(name, count, advice) for (name, advice), count in
            sorted(counts.items(), key=lambda item: -item[1])]


def rejection_groups(rejected) -> list[str]:
    """Lines for the summary: each group with its count and its advice;
    none when nothing was rejected."""
    groups = reason_counts(rejected)
    if not groups:
        return []
    return ["Rejected by reason (the mail stays in the source):"] + [
        f"- {name}: {count} message(s). Advice: {advice}." for name, count, advice in groups]
