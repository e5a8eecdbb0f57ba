"""Keep Pagefind's bundle between builds, so it writes only what changed.

Pagefind names each page fragment and index chunk after its content, and
when a file of that name already exists it keeps it rather than compress
and write it again. Writing is the part of its run that uses one core. So
Pagefind writes into a bundle kept in the cache folder, and each build then
takes from it exactly the files of its own index (listed in each language's meta file): those left
from earlier builds are deleted, so neither the cache nor the site grows.

The bundle follows the reader cache: it is kept when CACHE_CONTENT is on
and reused when LOAD_CONTENT_CACHE is (`pelican --ignore-cache` starts it
afresh). A run that did not finish leaves no bundle to reuse, and a build
that finds the bundle in use by another build indexes into its own output.
"""

from __future__ import annotations

import fcntl
import fnmatch
import gzip
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path

import cbor2

# Pagefind's meta file: gzip of this signature followed by CBOR.
META_SIGNATURE = b"pagefind_dcd"
# Marks a bundle whose last run finished, so its files are whole.
COMPLETE = ".complete"


class BundleFormatChanged(Exception):
    """The bundle's meta file is not laid out as this module expects."""


class BundleCache:
    """One build's use of the kept bundle: `claim` it before Pagefind runs,
    then `publish` it into the output (or `discard` it if the run failed)."""

    def __init__(self, cache_path: str, reuse: bool):
        self.folder = Path(cache_path, f"pagefind-{version('pagefind')}")
        self.reuse = reuse
        self._lock: int | None = None

    def claim(self) -> bool:
        """Lock the bundle for this build and mark it unfinished; False when
        another build holds it."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(f"{self.folder}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            return False
        self._lock = lock
        complete = self.folder / COMPLETE
        if not (self.reuse and complete.exists()):
            shutil.rmtree(self.folder, ignore_errors=True)
        complete.unlink(missing_ok=True)
        return True

    def publish(self, bundle: Path, unused: tuple[str, ...]) -> None:
        """Delete what this run's index does not use, mark the bundle
        finished, and put the files of the index in `bundle` (the output's
        pagefind/ folder). A bundle this module cannot read is not kept."""
        try:
            try:
                current = index_files(self.folder)
            except BundleFormatChanged:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise
            for name in all_files(self.folder) - current:
                os.unlink(self.folder / name)
            (self.folder / COMPLETE).touch()
            _place(self.folder, bundle, sorted(
                name for name in current
                if not any(fnmatch.fnmatchcase(name.rpartition("/")[2], pattern)
                           for pattern in unused)))
        finally:
            self._release()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def index_files(folder: Path) -> set[str]:
    """The files of the index Pagefind last wrote in `folder`, relative to it:
    the loader files at its top, and per language the meta file and the
    fragments, word chunks and filters that meta file lists."""
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    files = {path.name for path in folder.iterdir()
             if path.is_file() and path.suffix != ".pf_meta" and path.name != COMPLETE}
    for language in entry["languages"].values():
        meta = f"pagefind.{language['hash']}.pf_meta"
        files.add(meta)
        try:
            _, pages, chunks, filters, *_ = read_meta(folder / meta)
            files |= {f"fragment/{page[0]}.pf_fragment" for page in pages}
            files |= {f"index/{chunk[-1]}.pf_index" for chunk in chunks}
            files |= {f"filter/{filter_[-1]}.pf_filter" for filter_ in filters}
        except (ValueError, TypeError, IndexError, cbor2.CBORDecodeError) as error:
            raise BundleFormatChanged(f"{folder / meta}: {error}") from error
    return files


def read_meta(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(META_SIGNATURE):
        raise ValueError("no Pagefind signature")
    return cbor2.loads(data[len(META_SIGNATURE):])


def all_files(folder: Path) -> set[str]:
    """Every file under `folder`, relative to it (os.walk, cheaper than rglob
    over thousands of fragments)."""
    root = str(folder)
    return {f"{path[len(root) + 1:]}/{name}".lstrip("/")
            for path, _folders, names in os.walk(root) for name in names}


def _place(source: Path, target: Path, names: list[str]) -> None:
    """Link the files named after their content (Pagefind never rewrites
    one); copy the loader files, which every run rewrites in place."""
    folders = {os.path.dirname(name) for name in names}
    for folder in sorted(folders):
        os.makedirs(os.path.join(target, folder), exist_ok=True)
    for name in names:
        source_file, target_file = os.path.join(source, name), os.path.join(target, name)
        if "/" in name or name.endswith(".pf_meta"):
            try:
                os.link(source_file, target_file)
                continue
            except OSError:  # another file system
                pass
        shutil.copyfile(source_file, target_file)
