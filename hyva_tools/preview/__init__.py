"""Instant preview: a local server that re-renders only the case you edit.

A full Pelican build runs once and stays in memory; when a case file
changes, `LiveSite` re-reads that one file with the same readers and plugins
and re-renders its page with the same templates and context, so the page
is what a full build would write. Anything else that changes (a new or
deleted file, a comment, a page, the theme, or a case header) triggers a
full rebuild in the same process. Not a Pelican plugin: `invoke serve`
runs it.
"""

from .live_site import LiveSite  # noqa: F401 - the package's interface
from .server import running, serve  # noqa: F401 - the package's interface
