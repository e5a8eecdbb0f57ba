"""`invoke remove-comment`: take one comment down for good.

The comment's id is recorded first (`removed.py`), so an interrupted run
loses nothing and a rerun finishes it; then its replies move up to its
parent, their text unchanged, and its file is deleted. The removal is also
logged with the erasures, so publishing drops older releases that still
show it (`hyva.privacy.record_erasure`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hyva import commentfile
from hyva.privacy import record_erasure
from hyva_tools.comment_import.importer import exclusive
from hyva_tools.comment_import.removed import record_removal, removed_comments


class NoSuchComment(LookupError):
    """The case has no comment of that id (and none was removed under it)."""


@dataclass
class Removal:
    removed: Path
    moved: list[Path]
    """The replies that now answer the removed comment's parent."""
    already: bool = False
    """The comment had been removed before; only its leftovers were tidied."""


def remove_comment(comments_dir: Path, case: str, own_id: str, reason: str = "",
                   *, ignored: Callable[[str], bool]) -> Removal:
    """Remove comment `own_id` of `case`. Raises NoSuchComment, Busy, or
    ContentError for a case or id that is not one path segment."""
    path = commentfile.comment_path(comments_dir, commentfile.Comment(
        id=own_id, case=case, author="", date=None, text=""))
    with exclusive(comments_dir):
        earlier = removed_comments(comments_dir).get(own_id)
        if path.is_file():
            comment = commentfile.load(path)
            parent = comment.parent
        elif earlier and earlier.case == case:
            parent = earlier.parent
        else:
            raise NoSuchComment(
                f"{path}: the case {case!r} has no comment {own_id!r}. Fix: take both from the "
                "comment's link (…/<case-slug>/#kommentti-<comment-id>) or from the file name "
                "content/comments/<case-slug>/<comment-id>.md")
        if earlier is None:
            record_removal(comments_dir, own_id, case, parent, reason)
            record_erasure(comments_dir, f"removed-comment-{own_id}")
        moved = []
        for reply_path in sorted(path.parent.glob("*.md")):
            if ignored(reply_path.name) or reply_path == path:
                continue
            reply = commentfile.load(reply_path)
            if reply.parent == own_id:
                commentfile.save(comments_dir, dataclasses.replace(reply, parent=parent))
                moved.append(reply_path)
        path.unlink(missing_ok=True)
        return Removal(path, moved, already=earlier is not None)
