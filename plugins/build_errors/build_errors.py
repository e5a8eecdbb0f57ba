"""The build-failure policy: any content error fails the build.

Pelican logs a file it cannot process and goes on, so a mistake could
scroll past while the build still exits 0. Here every located content
error (`hyva.signals.content_error`) and every error Pelican itself logs
(a file it could not read, a template that failed) is collected, and the
build ends with exit status 1 and the list, each as
`file:line: problem. Fix: …`.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil

from pelican import signals

from hyva import signals as hyva_signals
from hyva.cases import CASE_SUFFIXES
from hyva.errors import BuildFailed, ContentError
from hyva.errors import logger as content_logger
from hyva.xmltext import FORBIDDEN

# Problems found during the current build, reported together at the end.
PROBLEMS: list[str] = []


def collect(error: ContentError) -> None:
    PROBLEMS.append(error.located())


class ErrorCollector(logging.Handler):
    """Counts the errors Pelican logs, besides the located ones."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == content_logger.name or self.already_reported(record):
            return
        PROBLEMS.append(record.getMessage())

    @staticmethod
    def already_reported(record: logging.LogRecord) -> bool:
        """Pelican's "Could not process <file>" after our own located report."""
        return record.msg == "Could not process %s" and any(
            f"{record.args[0]}:" in problem for problem in PROBLEMS)


COLLECTOR = ErrorCollector()


# What the maintainer must do about an error that ends a build but is no
# bug: a full disk, a folder that cannot be written.
WRITE_FIXES = {
    errno.ENOSPC: "free space on that disk (the output and cache/ folders), then build again",
    errno.EDQUOT: "free space within your disk quota, then build again",
    errno.EROFS: "build onto a writable disk (`-o` another folder)",
    errno.EACCES: "make the folder writable for you, or build into another one",
    errno.EPERM: "make the folder writable for you, or build into another one",
}
CONTENT: list[str] = []
# The build's settings (plugins may move its cache folder), and how little
# room on a disk counts as full.
SETTINGS: list[dict] = []
FULL_BELOW_BYTES = 64 * 1024


class PlainFailure(logging.Filter):
    """Pelican logs the exception that ended a build with its traceback. For a
    full or read-only disk, or a character XML forbids, one located line
    says more: the traceback is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OSError) and error.errno in WRITE_FIXES:
            where = f"{error.filename}: " if error.filename else ""
            self.plain(record, f"Build failed: {where}{error.strerror}. "
                               f"Fix: {WRITE_FIXES[error.errno]}")
        elif error is not None and (full := full_folder()):
            # What a full disk leaves half-written fails later as something
            # else (a truncated JSON or cache file): name the cause instead.
            self.plain(record, f"Build failed: the disk holding {full} is full "
                               f"({type(error).__name__}: {error}). "
                               f"Fix: {WRITE_FIXES[errno.ENOSPC]}")
        elif isinstance(error, ValueError) and "XML compatible" in str(error):
            found = forbidden_characters(CONTENT[0]) if CONTENT else []
            self.plain(record, "Build failed: a character XML does not allow reached a feed or "
                               "page" + "".join(f"\n  {place}" for place in found)
                       + "\nFix: delete the character in your editor")
        return True

    @staticmethod
    def plain(record: logging.LogRecord, message: str) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = "%s", (message,), None, None


def full_folder() -> str | None:
    """The output or cache folder of this build if its disk has no room left."""
    folders = [settings.get(key) for settings in SETTINGS for key in ("OUTPUT_PATH", "CACHE_PATH")]
    for folder in filter(None, folders):
        try:
            if shutil.disk_usage(folder).free < FULL_BELOW_BYTES:
                return folder
        except OSError:
            continue
    return None


def forbidden_characters(root: str) -> list[str]:
    """`file:line: U+0001` for each content line holding a character XML forbids."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(name for name in files if name.endswith(CASE_SUFFIXES)):
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as stream:
                    for number, line in enumerate(stream, 1):
                        for character in sorted(set(FORBIDDEN.findall(line))):
                            found.append(f"{path}:{number}: U+{ord(character):04X}")
            except OSError:
                continue
    return found


def start_build(pelican) -> None:
    PROBLEMS.clear()
    CONTENT[:] = [pelican.settings["PATH"]]
    SETTINGS[:] = [pelican.settings]
    logging.getLogger().addHandler(COLLECTOR)


def fail_on_problems(pelican) -> None:
    logging.getLogger().removeHandler(COLLECTOR)
    if PROBLEMS:
        raise BuildFailed(list(PROBLEMS))


def fail_before_writing(generators) -> None:
    """Content errors found while reading end the build before any page is
    written, so a broken build never leaves half a site."""
    if PROBLEMS:
        fail_on_problems(None)


def register() -> None:
    logging.getLogger("pelican").addFilter(PlainFailure())
    signals.initialized.connect(start_build)
    hyva_signals.content_error.connect(collect)
    signals.all_generators_finalized.connect(fail_before_writing)
    signals.finalized.connect(fail_on_problems)
