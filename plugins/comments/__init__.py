"""Comments by email: approved comments shown under their cases, with feeds.

The import (importer.py and friends) turns approved mail into comment files;
this plugin reads those files into threads (site.py), renders their text
safely (render.py) and writes the comment feeds (feeds.py).
"""

from pelican import signals

from .feeds import write_comment_feeds
from .site import attach_comments, start_loading


def register():
    signals.article_generator_init.connect(start_loading)
    signals.article_generator_finalized.connect(attach_comments)
    signals.article_writer_finalized.connect(write_comment_feeds)
