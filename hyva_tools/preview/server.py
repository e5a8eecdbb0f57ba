"""Serve the built site on 127.0.0.1 and keep it current while authors edit."""

from __future__ import annotations

import functools
import http.server
import logging
import queue
import threading
import time
from contextlib import contextmanager

from hyva.errors import BuildFailed

from .live_site import LiveSite
from .watch import Changes, compare, snapshot

logger = logging.getLogger(__name__)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from the output folder, never cached by the browser."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args) -> None:
        logger.debug(format, *args)


def start_server(site: LiveSite, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PreviewHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Watcher:
    """Applies changes to `site`: one edited case fast, anything else by a
    full build. Mistakes in content are reported and the old page stays."""

    def __init__(self, site: LiveSite):
        self.site = site
        self.stamps: dict[str, int] = {}

    def build(self) -> None:
        """A full build; files saved while it runs are seen by the next poll."""
        self.stamps = snapshot(self.site.watched_folders())
        try:
            self.site.build()
        except BuildFailed as failure:
            logger.error("%s", failure)

    def apply(self, changes: Changes) -> None:
        cases = [self.site.case(path) for path in changes.modified]
        if changes.added or changes.removed or not all(cases):
            self.build()
            return
        for path in sorted(changes.modified):
            started = time.perf_counter()
            try:
                same_header = self.site.refresh_case(path)
            except Exception as error:  # the reader already reported file and line
                logger.error("%s not refreshed: %s", path, error)
                continue
            logger.info("Refreshed %s in %.0f ms", path, 1000 * (time.perf_counter() - started))
            if not same_header:
                logger.info("The header of %s changed: rebuilding listings", path)
                self.build()
                return

    def poll(self) -> None:
        current = snapshot(self.site.watched_folders())
        changes = compare(self.stamps, current)
        self.stamps = current
        if changes:
            self.apply(changes)

    def run(self, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            self.poll()


def serve(site: LiveSite, host: str = "127.0.0.1", port: int = 8000,
          interval: float = 0.1, stop: threading.Event | None = None,
          on_ready=None) -> None:
    """Build once, serve on http://host:port and follow edits until `stop`;
    `on_ready(url)` is called once the site is served."""
    watcher = Watcher(site)
    watcher.build()
    server = start_server(site, host, port)
    url = f"http://{host}:{server.server_address[1]}/"
    logger.info("Preview on %s (Ctrl-C stops)", url)
    if on_ready:
        on_ready(url)
    try:
        watcher.run(interval, stop or threading.Event())
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running(site: LiveSite, interval: float = 0.05):
    """The preview in a background thread, yielding its URL: for tests."""
    stop, urls = threading.Event(), queue.Queue()
    thread = threading.Thread(target=serve, daemon=True, kwargs={
        "site": site, "port": 0, "interval": interval, "stop": stop, "on_ready": urls.put})
    thread.start()
    try:
        yield urls.get(timeout=300)
    finally:
        stop.set()
        thread.join()
