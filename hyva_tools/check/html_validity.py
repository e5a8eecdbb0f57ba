"""Every page passes the Nu HTML Checker (npm `vnu-jar`) with zero errors.

All pages go to one Java process: the checker takes seconds to start and
milliseconds per page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hyva_tools.check.output import BuiltOutput, Problem

VNU_JAR = (Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist"
           / "vnu.jar")
# A short run gains nothing from the optimising compiler or parallel GC, which
# only compete for the CPU: these make the check several times quicker. The
# quick compiler needs a deeper stack for the schema (vnu asks for -Xss).
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m")


def run_vnu(pages: list[Path]) -> list[dict]:
    """The checker's error messages for `pages` (its JSON `messages`)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        raise FileNotFoundError("the Nu HTML Checker needs java and node_modules/vnu-jar "
                                "(./dev.sh test installs both)")
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         *map(str, pages)],
        capture_output=True, text=True,
    )
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(f"the Nu HTML Checker failed: {result.stderr.strip()}") from None


def check(site: BuiltOutput, settings: dict) -> Iterator[Problem]:
    pages = [site.root / page for page in site.html_files]
    if not pages:
        return
    try:
        messages = run_vnu(pages)
    except (FileNotFoundError, RuntimeError) as error:
        yield Problem(".", f"cannot check HTML: {error}")
        return
    for message in messages:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        where = site.relative(path) if path.is_relative_to(site.root) else str(path)
        line = f"line {message['lastLine']}: " if "lastLine" in message else ""
        yield Problem(where, f"{line}HTML error: {message['message']}")
