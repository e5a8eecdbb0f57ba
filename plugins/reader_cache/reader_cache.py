"""Keep each content folder's reader cache apart and current.

Pelican's reader cache (CACHE_CONTENT) skips Markdown for files whose mtime
is unchanged, but it lives in one folder and never notices a change of
code. Here it goes to `<PATH>/../cache/<digest>/`: one per content folder
(test and benchmark sites never share or grow the real one), and a new one
whenever a plugin, a settings file or a Markdown library changes, so a
cached page is always what reading the file now would give; the one it
replaces is deleted. The cache file is replaced atomically, so builds
running side by side (parallel tests) never read half of one, and only
when the build read a file anew (see README, "Speed").
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from pelican import signals

from hyva.cases import cache_root

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("pelican", "markdown", "pymdown-extensions")
# Settings whose value decides what the reader returns, besides the files.
# (MARKDOWN by its configuration: plugins add extension objects to it.)
# The notes' pattern links are absolute, so a local and a public build of
# one content folder read it into caches of their own.
READER_SETTINGS = ("THEME_LANG", "CASE_FACETS", "SLUG_REGEX_SUBSTITUTIONS", "REPLY_PATTERNS",
                   "PHRASEBOOK_URL", "SITE_ORIGIN")


def code_digest(settings: dict) -> str:
    """Everything besides the content file that decides what a reader
    returns: the plugins, the core, the settings files, the interface
    catalogues (the comparison's labels), the reader settings as this build
    has them (`-e` overrides included) and the Markdown libraries."""
    digest = hashlib.sha256()
    sources = [*sorted((ROOT / "plugins").rglob("*.py")), *sorted((ROOT / "hyva").rglob("*.py")),
               *sorted(ROOT.glob("*conf.py")),
               *sorted(Path(settings["THEME"], "translations").rglob("*.po"))]
    for source in sources:
        digest.update(str(source).encode() + b"\0" + source.read_bytes())
    for name in READER_SETTINGS:
        digest.update(f"{name}={settings.get(name)!r}".encode())
    markdown = settings["MARKDOWN"]
    digest.update(repr((markdown.get("extension_configs"), markdown.get("output_format"))).encode())
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()[:16]


def place_cache(pelican) -> None:
    settings = pelican.settings
    if settings["CACHE_CONTENT"] or settings["LOAD_CONTENT_CACHE"]:
        content = Path(settings["PATH"]).resolve()
        folder = cache_root(settings) / f"{content.name}-{code_digest(settings)}"
        settings["CACHE_PATH"] = str(folder)
        if folder.exists():
            os.utime(folder)
        else:
            remove_outdated(folder)


def remove_outdated(current: Path) -> None:
    """Delete the caches earlier code or settings left for the same content
    folder, all but the one used last: a preview and a publish build differ
    in settings the cache is keyed by (SITE_ORIGIN), and they alternate."""
    name = current.name.rpartition("-")[0]
    others = sorted((folder for folder in current.parent.glob(f"{name}-*")
                     if folder != current
                     and re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{16}}", folder.name)),
                    key=lambda folder: folder.stat().st_mtime_ns, reverse=True)
    for folder in others[1:]:
        shutil.rmtree(folder, ignore_errors=True)


def save_atomically(readers) -> None:
    """Pelican's `save_cache`, written to a temporary file and then renamed."""
    if not readers._cache_data_policy:
        return
    target = Path(readers._cache_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    os.close(handle)
    try:
        with readers._cache_open(temporary, "wb") as stream:
            pickle.dump(readers._cache, stream)
        os.replace(temporary, target)
    except (OSError, pickle.PicklingError, TypeError) as error:
        os.unlink(temporary)
        logger.warning("Could not save the reader cache %s: %s", target, error)


def atomic_cache(generator) -> None:
    readers = generator.readers
    cache_data, read_anew = readers.cache_data, []

    def cache_and_note(filename, data):
        read_anew.append(filename)
        cache_data(filename, data)

    readers.cache_data = cache_and_note
    readers.save_cache = lambda: read_anew and save_atomically(readers)


def register() -> None:
    signals.initialized.connect(place_cache)
    signals.generator_init.connect(atomic_cache)
