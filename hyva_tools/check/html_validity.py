"""Every page passes the Nu HTML Checker (npm `vnu-jar`) with zero errors.

The pages go to the checker in batches, one Java process per batch, and
one checker at work per core, since one checker uses one core and would
otherwise be the whole run's critical path. The pages are shared evenly
among as few batches as keep every core busy: each checker pays its
start-up once, and none is left running alone at the end. A batch holds
at most `BATCH` pages, because a finished batch is cached even if the run
is stopped later.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hyva_tools.check.output import Check, html_page

VNU_JAR = (Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist"
           / "vnu.jar")
# A short run gains nothing from the optimising compiler or parallel GC, which
# only compete for the CPU: these make the check several times quicker. The
# quick compiler needs a deeper stack for the schema (vnu asks for -Xss).
# The heap is bounded: the checker holds one page at a time.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-Xmx256m")
BATCH = 2000
# `--no-langdetect`: guessing each page's language only ever gives warnings,
# which `--errors-only` drops, so it would be work for nothing.


def java() -> str:
    found = shutil.which("java")
    if found is None or not VNU_JAR.is_file():
        raise FileNotFoundError("the Nu HTML Checker needs java and node_modules/vnu-jar "
                                "(./dev.sh test installs both)")
    return found


def vnu_command(pages: list[Path], verbose: bool = False) -> list[str]:
    return [java(), *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect",
            "--format", "json",
            *(["--verbose"] if verbose else []), *map(str, pages)]


def parse_messages(report: str) -> list[dict]:
    try:
        return json.loads(report)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(f"the Nu HTML Checker failed: {report.strip()[:2000]}") from None


def run_vnu(pages: list[Path]) -> list[dict]:
    """The checker's error messages for `pages` (its JSON `messages`)."""
    result = subprocess.run(vnu_command(pages), capture_output=True, text=True)
    return parse_messages(result.stderr or result.stdout)


def message_text(message: dict) -> str:
    line = f"line {message['lastLine']}: " if "lastLine" in message else ""
    return f"{line}HTML error: {message['message']}"


def validate_batch(pages: list[Path], job) -> dict[Path, list[str]]:
    """Error messages per page; the checker names each page on stdout as it
    starts it, which is the progress."""
    messages: dict[Path, list[str]] = {page: [] for page in pages}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as report:
        process = subprocess.Popen(vnu_command(pages, verbose=True), stdout=subprocess.PIPE,
                                   stderr=report, text=True)
        job.track(process)
        started = 0
        for _line in process.stdout:
            if started:
                job.advance()
            started += 1
        process.wait()
        report.seek(0)
        found = parse_messages(report.read())
    for message in found:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        messages.setdefault(path, []).append(message_text(message))
    job.advance(1 if started else 0)
    return messages


def even_batches(pages: list, cores: int) -> list[list]:
    """`pages` in a multiple of `cores` batches of nearly equal size, each at
    most BATCH (fewer batches when there are fewer pages than cores)."""
    count = min(len(pages), cores * math.ceil(len(pages) / (cores * BATCH)))
    return [pages[index::count] for index in range(count)]


def scan_pages(pages: list[Path], site, job) -> Iterator[tuple[str, list[str]]]:
    cores = os.cpu_count() or 1
    batches = even_batches(pages, cores)
    lanes = ThreadPoolExecutor(max(1, min(len(batches), cores)))
    try:
        running = [lanes.submit(validate_batch, batch, job) for batch in batches]
        for done in as_completed(running):
            for path, found in done.result().items():
                yield (site.relative(path) if path.is_relative_to(site.root) else str(path)), found
    finally:
        lanes.shutdown(cancel_futures=True)


def checker_version() -> str:
    """The checker's jar, by its size and time: a new checker judges every
    page afresh (hashing its 30 MB would cost a warm check more than the rest)."""
    try:
        found = VNU_JAR.stat()
    except OSError:
        return "no checker"
    return f"{found.st_size}:{found.st_mtime_ns}"


CHECK = Check("html", scan_pages=scan_pages, wants=html_page, version=checker_version)
