"""Builds with several processes (plugins/parallel_build) report errors as
a one-process build does and fail when any process fails. That their output
is byte-identical is tests/test_output_identical.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib

from conftest import ROOT, run_pelican

sys.path.insert(0, str(ROOT))
from benchmarks.corpus import generate  # noqa: E402


def test_a_broken_case_is_reported_as_in_a_one_process_build(tmp_path):
    content = generate(12, tmp_path)
    case = content / "cases" / "tapaus-00007.md"
    case.write_text(re.sub(r"^Outcome: .*$", "Outcome: savumerkki",
                           case.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")
    logs = {}
    for processes in (1, 3):
        result = run_pelican(content, tmp_path / f"output-{processes}", SEARCH_INDEX=False,
                             BUILD_PROCESSES=processes, LOAD_CONTENT_CACHE=False)
        assert result.returncode == 1
        logs[processes] = result.stdout + result.stderr
        assert "tapaus-00007.md:7: Outcome 'savumerkki' is not a known outcome" in logs[processes]
    assert logs[3].count("savumerkki") == logs[1].count("savumerkki")


def theme_failing_on_a_helpers_page(tmp_path) -> Path:
    """A theme whose article template fails for one case whose page the main
    process does not write (share 0 of 3)."""
    slug = next(f"tapaus-{number:05d}" for number in range(1, 13)
                if zlib.crc32(f"tapaus-{number:05d}/index.html".encode()) % 3 != 0)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "{% block content %}",
        f"{{% block content %}}{{% if article.slug == '{slug}' %}}{{{{ no_such.thing }}}}"
        "{% endif %}", 1), encoding="utf-8")
    return theme


def test_a_page_a_helper_process_fails_to_render_fails_the_build(tmp_path):
    content = generate(12, tmp_path)
    theme = theme_failing_on_a_helpers_page(tmp_path)
    for processes in (1, 3):
        result = run_pelican(content, tmp_path / f"output-{processes}", SEARCH_INDEX=False,
                             BUILD_PROCESSES=processes, THEME=str(theme))
        log = result.stdout + result.stderr
        assert result.returncode == 1, log
        assert "'no_such' is undefined" in log
    assert "1 of the processes writing the site failed" in log


def test_a_failing_helper_never_returns_into_the_program_that_runs_pelican(tmp_path):
    content = generate(12, tmp_path)
    theme = theme_failing_on_a_helpers_page(tmp_path)
    program = f"""
import sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
    "PATH": {str(content)!r}, "OUTPUT_PATH": {str(tmp_path / "output")!r},
    "THEME": {str(theme)!r}, "SEARCH_INDEX": False, "BUILD_PROCESSES": 3}})
try:
    Pelican(settings).run()
except Exception as error:
    print("caught", type(error).__name__)
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.stdout.splitlines() == ["caught WritingFailed"], result.stdout + result.stderr


def test_the_search_index_may_start_once_every_case_page_is_written(tmp_path):
    """`case_pages_written` comes once, in the main process, when every case
    page is complete; with one process, before any listing is written."""
    content = generate(12, tmp_path)
    program = f"""
import os, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT / "plugins")!r})
from blinker import signal
from pelican import Pelican
from pelican.settings import read_settings

def check(writer):
    output = Path(writer.output_path)
    pages = sorted(output.glob("tapaus-*/index.html"))
    complete = all(page.read_text(encoding="utf-8").rstrip().endswith("</html>") for page in pages)
    print("announced", os.getpid() == MAIN, len(pages), complete,
          (output / "arkisto" / "index.html").exists())

MAIN = os.getpid()
signal("parallel_build.case_pages_written").connect(check)
for processes in (1, 3):
    settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
        "PATH": {str(content)!r}, "OUTPUT_PATH": {str(tmp_path)!r} + f"/output-{{processes}}",
        "SEARCH_INDEX": False, "BUILD_PROCESSES": processes}})
    Pelican(settings).run()
    print("built", processes)
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("announced", "built"))]
    assert lines[:2] == ["announced True 12 True False", "built 1"]
    assert lines[2].startswith("announced True 12 True") and lines[3] == "built 3"
    assert len(lines) == 4


def test_helpers_leave_their_cores_only_to_whoever_wants_them(tmp_path):
    """The helpers write listings too, unless a receiver of
    `cores_wanted_after_case_pages` (the search index) wants the cores once
    the case pages are written."""
    content = generate(12, tmp_path)
    program = f"""
import os, sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
from blinker import signal
from pelican import Pelican
from pelican.settings import read_settings
from pelican.writers import Writer

open_w = Writer._open_w
def logged_open_w(self, filename, *args, **kwargs):
    with open({str(tmp_path / "written.log")!r}, "a", encoding="utf-8") as log:
        log.write(f"{{os.getpid() != MAIN}} {{sys.argv[1]}} {{filename}}\\n")
    return open_w(self, filename, *args, **kwargs)
Writer._open_w = logged_open_w

MAIN = os.getpid()
signal("parallel_build.cores_wanted_after_case_pages").connect(
    lambda writer: sys.argv[1] == "wanted", weak=False)
settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
    "PATH": {str(content)!r}, "OUTPUT_PATH": {str(tmp_path)!r} + "/output-" + sys.argv[1],
    "SEARCH_INDEX": False, "BUILD_PROCESSES": 2}})
Pelican(settings).run()
"""
    for wanted in ("wanted", "free"):
        result = subprocess.run([sys.executable, "-c", program, wanted], cwd=ROOT,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    helper_pages = {"wanted": [], "free": []}
    for line in (tmp_path / "written.log").read_text(encoding="utf-8").splitlines():
        by_helper, wanted, path = line.split(" ", 2)
        if by_helper == "True":
            helper_pages[wanted].append(path)
    for wanted, paths in helper_pages.items():
        assert any(re.search(r"/tapaus-[^/]+/index\.html$", path) for path in paths), wanted
    tag_page = re.compile(r"/avainsana/[^/]+/index\.html$")
    assert not any(tag_page.search(path) for path in helper_pages["wanted"])
    assert any(tag_page.search(path) for path in helper_pages["free"])
