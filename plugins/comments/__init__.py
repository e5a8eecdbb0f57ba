"""Comments by email: approved comments shown under their cases, with feeds.

The import (hyva_tools/comment_import) turns approved mail into comment
files (hyva/commentfile.py); this plugin reads those files into threads
(site.py), renders their text safely (hyva/commentrender.py, which the
import's preview shares) and writes the comment
feeds (feeds.py).
"""

from pelican import signals

from hyva.settings import Setting, settle

from .feeds import write_comment_feeds
from .site import attach_comments

SETTINGS = {
    "COMMENT_FEED_ATOM": Setting("feeds/kommentit/{slug}.atom.xml", (str, type(None)),
                                 "a path with {slug}, or None"),
    "COMMENT_FEED_ALL_ATOM": Setting("feeds/kommentit.atom.xml", (str, type(None)),
                                     "a path, or None"),
}


def check_settings(pelican) -> None:
    settle(pelican.settings, SETTINGS)


def register():
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(attach_comments)
    signals.article_writer_finalized.connect(write_comment_feeds)
