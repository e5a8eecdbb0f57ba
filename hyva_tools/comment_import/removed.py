"""The list of comments a moderator took down: `content/comments/.removed`.

One line per comment, tab-separated: its id, its case, the id of its parent
(`-` at the top of the case), the UTC time, and the moderator's reason
(addresses masked, control characters escaped, so it stays one line). The
import skips mail whose comment id is listed, replies to a listed comment
go to its nearest surviving ancestor, and `invoke check` fails while a
listed comment's file is back in `content/comments/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hyva.privacy import printable

REMOVED_FILE = ".removed"
TOP_LEVEL = "-"


@dataclass(frozen=True)
class RemovedComment:
    id: str
    case: str
    parent: str | None
    when: str
    reason: str


def removed_comments(comments_dir: Path) -> dict[str, RemovedComment]:
    """Comment id -> what was recorded when it was taken down."""
    path = comments_dir / REMOVED_FILE
    if not path.exists():
        return {}
    removed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t", 4)
        if len(fields) == 5:
            own_id, case, parent, when, reason = fields
            removed[own_id] = RemovedComment(own_id, case, None if parent == TOP_LEVEL else parent,
                                             when, reason)
    return removed


def record_removal(comments_dir: Path, own_id: str, case: str, parent: str | None,
                   reason: str) -> None:
    """Append one line in a single write to a file opened for appending, and
    sync it: the record is on disk before anything is deleted."""
    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    line = "\t".join((own_id, case, parent or TOP_LEVEL, when, printable(reason))) + "\n"
    handle = os.open(comments_dir / REMOVED_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, line.encode("utf-8"))
        os.fsync(handle)
    finally:
        os.close(handle)


def surviving(own_id: str | None, removed: dict[str, RemovedComment]) -> str | None:
    """`own_id`, or, when it was removed, its nearest ancestor that was not
    (None: the top of the case). A loop in the records ends at the top."""
    seen = set()
    while own_id in removed and own_id not in seen:
        seen.add(own_id)
        own_id = removed[own_id].parent
    return None if own_id in seen else own_id
