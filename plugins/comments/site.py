"""Approved comments attached to their cases as threads.

Reads `content/comments/<case-slug>/*.md` (see commentfile.py) and gives
every case two attributes that templates, feeds and JSON-LD read:

- `article.comments`: the thread, a list of top-level `ThreadedComment`
  (oldest first); each has `id`, `author` (display name, plain text: escape
  it; the catalogue's "Anonymous" for a file with no Author line), `date`
  (aware datetime in the site's TIMEZONE), `html` (safe Markup from
  hyva/commentrender.py), `role` (`"author"` for the blog's own replies, else
  None; `by_blog_author` says the same), `anchor` (the element id on the
  case page), `parent` (id or None) and `replies` (the same, nested,
  oldest first).
- `article.comment_count`: all comments of the case, replies included.

A reply whose parent was erased stays visible at the top level. A folder
without a case, or a file that cannot be read, is a content error, reported
with the file and a fix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup

from hyva import commentfile
from hyva.cases import comments_root, ignored
from hyva.commentrender import comment_html
from hyva.errors import ContentError, report, shown_path
from hyva.translations import interface


@dataclass
class ThreadedComment:
    id: str
    author: str
    date: datetime
    html: Markup
    role: str | None = None
    parent: str | None = None
    replies: list[ThreadedComment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kommentti-{self.id}"

    @property
    def by_blog_author(self) -> bool:
        return self.role == "author"


def read_comment(path: Path, shown: str, case_slug: str, zone: ZoneInfo,
                 anonymous: str) -> ThreadedComment | None:
    """One comment file, or None after logging what is wrong with it
    (`shown` is its path as reported; `anonymous` the name shown when the
    file names no author)."""
    try:
        comment = commentfile.load(path)
    except ContentError as error:
        error.path = shown
        report(error)
        return None
    if comment.case != case_slug:
        report(ContentError(
            f"Case {comment.case!r} does not match the folder {case_slug!r}",
            line=comment.line_of("Case"), path=shown,
            hint="move the file to the folder of its case or correct the Case line"))
        return None
    date = comment.date if comment.date.tzinfo else comment.date.replace(tzinfo=zone)
    return ThreadedComment(id=comment.id, author=comment.author or anonymous,
                           date=date.astimezone(zone),
                           html=Markup(comment_html(comment.text)), role=comment.role,
                           parent=comment.parent)


def build_thread(comments: list[ThreadedComment], folder: Path) -> list[ThreadedComment]:
    """Nest replies under their parents; every level oldest first."""
    by_id = {comment.id: comment for comment in comments}
    children: dict[str | None, list[ThreadedComment]] = defaultdict(list)
    for comment in sorted(comments, key=lambda c: (c.date, c.id)):
        parent = comment.parent if comment.parent in by_id else None
        children[parent].append(comment)
    placed = 0
    pending = list(children[None])
    while pending:
        comment = pending.pop()
        comment.replies = children[comment.id]
        pending.extend(comment.replies)
        placed += 1
    if placed < len(comments):
        report(ContentError("the Parent lines of some comments form a loop",
                            path=shown_path(folder),
                            hint="remove the Parent line of the oldest comment in the loop"))
    return children[None]


def count(thread: list[ThreadedComment]) -> int:
    return sum(1 + count(comment.replies) for comment in thread)


def load_threads(settings: dict) -> dict[str, list[ThreadedComment]]:
    """Case slug -> thread, for every comment folder (dot files, such as the
    import's `.forgotten` list, and editor leftovers are not comments)."""
    threads = {}
    zone = ZoneInfo(settings["TIMEZONE"])
    anonymous = interface(settings).gettext("Anonymous")
    for folder, files in commentfile.comment_folders(comments_root(settings),
                                                     lambda name: ignored(name, settings)):
        shown = shown_path(folder)
        comments = [read_comment(path, f"{shown}/{path.name}", folder.name, zone, anonymous)
                    for path in files]
        threads[folder.name] = build_thread([c for c in comments if c], folder)
    return threads


def attach_comments(generator) -> None:
    """Give every case its thread and count; report folders with no case."""
    settings = generator.settings
    comments_dir = comments_root(settings)
    threads = load_threads(settings)
    cases = [*generator.articles, *generator.translations, *generator.drafts,
             *generator.drafts_translations, *generator.hidden_articles,
             *generator.hidden_translations]
    for article in cases:
        article.comments = threads.get(article.slug, [])
        article.comment_count = count(article.comments)
    for slug in sorted(set(threads) - {article.slug for article in cases}):
        report(ContentError(f"no case has the slug {slug!r}",
                            path=shown_path(comments_dir / slug),
                            hint="rename the folder to the slug of the case the comments "
                                 "belong to, or delete it"))
