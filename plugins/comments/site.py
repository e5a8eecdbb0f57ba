"""Approved comments attached to their cases as threads.

Reads `content/comments/<case-slug>/*.md` (see commentfile.py) and gives
every case two attributes that templates, feeds and JSON-LD read:

- `article.comments`: the thread, a list of top-level `ThreadedComment`
  (oldest first); each has `id`, `author` (display name, plain text: escape
  it), `date` (aware datetime in the site's TIMEZONE), `html` (safe Markup
  from render.py), `role` (`"author"` for the blog's own replies, else
  None; `by_blog_author` says the same), `anchor` (the element id on the
  case page), `parent` (id or None) and `replies` (the same, nested,
  oldest first).
- `article.comment_count`: all comments of the case, replies included.

A reply whose parent was erased stays visible at the top level. A folder
without a case, or a file that cannot be read, is logged as an error, which
fails the build with the file and a fix.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup

from content_errors import shown_path
from parallel_build.background import Background
from parallel_build.parallel_build import processes

from . import commentfile
from .render import comment_html

logger = logging.getLogger(__name__)


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


def read_comment(path: Path, shown: str, case_slug: str,
                 zone: ZoneInfo) -> ThreadedComment | None:
    """One comment file, or None after logging what is wrong with it
    (`shown` is its path as reported)."""
    try:
        text = path.read_text(encoding="utf-8")
        comment = commentfile.loads(text, shown)
    except (ValueError, UnicodeDecodeError) as error:
        problem = str(error) if str(error).startswith(shown) else f"{shown}: {error}"
        logger.error("%s. Fix: correct the header (see plugins/comments/commentfile.py) "
                     "or delete the file and import the message again", problem)
        return None
    if comment.case != case_slug:
        line = next(number for number, text_line in enumerate(text.splitlines(), 1)
                    if text_line.startswith("Case:"))
        logger.error("%s:%d: Case %r does not match the folder %r. Fix: move the file "
                     "to the folder of its case or correct the Case line",
                     shown, line, comment.case, case_slug)
        return None
    date = comment.date if comment.date.tzinfo else comment.date.replace(tzinfo=zone)
    return ThreadedComment(id=comment.id, author=comment.author, date=date.astimezone(zone),
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
        logger.error("%s: the Parent lines of some comments form a loop. Fix: remove the "
                     "Parent line of the oldest comment in the loop", shown_path(folder))
    return children[None]


def count(thread: list[ThreadedComment]) -> int:
    return sum(1 + count(comment.replies) for comment in thread)


def visible(paths):
    """Skip dot files: the import's `.forgotten` list and unfinished writes."""
    return (path for path in paths if not path.name.startswith("."))


def load_threads(comments_dir: Path, zone: ZoneInfo) -> dict[str, list[ThreadedComment]]:
    """Case slug -> thread, for every folder under `comments_dir`."""
    threads = {}
    if not comments_dir.is_dir():
        return threads
    for folder in sorted(path for path in visible(comments_dir.iterdir()) if path.is_dir()):
        shown = shown_path(folder)
        comments = [read_comment(path, f"{shown}/{path.name}", folder.name, zone)
                    for path in sorted(visible(folder.glob("*.md")))]
        threads[folder.name] = build_thread([c for c in comments if c], folder)
    return threads


# Comment folder -> its threads being loaded beside the reading of the cases.
_LOADING: dict[Path, Background] = {}


def comments_folder(settings: dict) -> Path:
    return Path(settings["PATH"], settings["COMMENTS_PATH"])


def start_loading(generator) -> None:
    """With more than one core, load the comments in another process while
    Pelican reads the cases: they do not depend on each other."""
    settings = generator.settings
    if processes(settings) > 1:
        folder = comments_folder(settings)
        _LOADING[folder] = Background(load_threads, folder, ZoneInfo(settings["TIMEZONE"]))


def attach_comments(generator) -> None:
    """Give every case its thread and count; report folders with no case."""
    settings = generator.settings
    comments_dir = comments_folder(settings)
    loading = _LOADING.pop(comments_dir, None)
    threads = (loading.result() if loading
               else load_threads(comments_dir, ZoneInfo(settings["TIMEZONE"])))
    cases = [*generator.articles, *generator.translations, *generator.drafts,
             *generator.drafts_translations, *generator.hidden_articles,
             *generator.hidden_translations]
    for article in cases:
        article.comments = threads.get(article.slug, [])
        article.comment_count = count(article.comments)
    for slug in sorted(set(threads) - {article.slug for article in cases}):
        logger.error("%s: no case has the slug %r. Fix: rename the folder to the slug of "
                     "the case the comments belong to, or delete it",
                     shown_path(comments_dir / slug), slug)
