"""The check cache never hides a failure: after each kind of change, a check
that reuses the cache finds exactly what a check from scratch finds."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from conftest import ROOT, build, copy_project, invoke
from hyva_tools.check import CHECKS, CheckCache, cache_file, report, run_checks, summary
from hyva_tools.check.cache import checksum
from hyva_tools.check.output import digest

CASE = "koulukahvilan-vastaus-moitteeseen"
pytestmark = pytest.mark.skipif(not Path(shutil.which("java") or "/nonexistent").exists(),
                                reason="the Nu HTML Checker needs java")


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> tuple[Path, Path]:
    """The real content and its publish build, checked once to fill a cache."""
    folder = tmp_path_factory.mktemp("original")
    content = Path(shutil.copytree(ROOT / "content", folder / "content"))
    output = build(content, folder / "output", "publishconf.py", SEARCH_INDEX=False).output
    run = checked(content, output)
    assert run.problems == [], report(run.problems)
    return content, output


@pytest.fixture
def site_copy(original, tmp_path) -> tuple[Path, Path]:
    """A copy of the content, its output and its filled cache."""
    content, output = original
    copy = Path(shutil.copytree(content.parent, tmp_path / "site", symlinks=True))
    return copy / "content", copy / "output"


def publish_settings(content: Path, **overrides) -> dict:
    return read_settings(str(ROOT / "publishconf.py"),
                         override={"PATH": str(content), **overrides})


def checked(content: Path, output: Path, use_cache: bool = True, **overrides):
    settings = publish_settings(content, **overrides)
    cache = CheckCache(cache_file(settings)) if use_cache else CheckCache(None)
    try:
        return run_checks(output, settings, CHECKS, cache)
    finally:
        cache.close()


def warm_and_cold(content: Path, output: Path, **overrides):
    """The check with the cache, then without it; both must agree."""
    warm = checked(content, output, **overrides)
    cold = checked(content, output, use_cache=False, **overrides)
    assert [str(problem) for problem in warm.problems] == [
        str(problem) for problem in cold.problems]
    return warm, cold


def test_an_unchanged_site_is_taken_from_the_cache(site_copy):
    content, output = site_copy
    warm, cold = warm_and_cold(content, output)
    assert warm.problems == [] and warm.checked == 0
    assert warm.from_cache == cold.checked == len([path for path in output.rglob("*")
                                                   if path.is_file()])
    assert summary(warm)[0] == (f"check: {warm.from_cache} files, 0 checked, "
                                f"{warm.from_cache} taken from the cache")


def test_a_case_edited_to_break_html_links_and_privacy_fails_again(site_copy):
    content, output = site_copy
    case = content / "cases" / f"{CASE}.md"
    case.write_text(case.read_text(encoding="utf-8") + (
        '\nSe tapahtui <time datetime="eilen">eilen</time>.\n\n'
        "[Linkki](../ei-ole-olemassa/) ja osoite matti.meikalainen@example.com.\n"),
        encoding="utf-8")
    shutil.rmtree(output)
    build(content, output, "publishconf.py", SEARCH_INDEX=False)
    warm, _cold = warm_and_cold(content, output)
    found = report(warm.problems)
    page = f"{CASE}/index.html"
    assert re.search(rf"^{page}: line \d+: HTML error: Bad value “eilen”", found,
                     re.MULTILINE), found
    assert f"{page}: link to ../ei-ole-olemassa/ does not resolve" in found
    assert re.search(rf"^{page}: line \d+: an email address \(m…@e…\)", found, re.MULTILINE)
    assert 0 < warm.checked < warm.from_cache, "only what the edit changed is checked again"


def cross_page_link(content: Path) -> tuple[str, str, str]:
    """(linking page, linked page, id) of a link from one page to an id on
    another, from the links check's facts in the cache."""
    with sqlite3.connect(cache_file(publish_settings(content))) as db:
        rows = db.execute("SELECT path, facts FROM facts WHERE check_name = 'links' "
                          "AND path LIKE '%.html' ORDER BY path").fetchall()
    for page, facts in rows:
        for _url, linked, fragment in json.loads(facts)["links"]:
            if fragment and linked.endswith(".html") and linked != page:
                return page, linked, fragment
    raise AssertionError("no page links to an id on another page")


def test_an_id_removed_from_a_page_breaks_the_unchanged_pages_linking_to_it(site_copy):
    content, output = site_copy
    source, linked, fragment = cross_page_link(content)
    path = output / linked
    path.write_text(path.read_text(encoding="utf-8").replace(
        f'id="{fragment}"', f'id="{fragment}-poistettu"'), encoding="utf-8")
    warm, _cold = warm_and_cold(content, output)
    assert any(problem.file == source and f"#{fragment}" in problem.message
               and linked in problem.message for problem in warm.problems), report(warm.problems)


def test_a_changed_setting_the_checks_read_judges_everything_again(site_copy):
    content, output = site_copy
    contact = publish_settings(content)["CONTACT_EMAIL"]
    assert any(contact in path.read_text(encoding="utf-8") for path in output.rglob("*.html"))
    warm, cold = warm_and_cold(content, output, CONTACT_EMAIL="toinen@hyvavastaus.fi")
    assert warm.problems and all("an email address" in problem.message
                                 for problem in warm.problems)
    assert warm.checked > 0


def stored_verdict(content: Path, check: str) -> list:
    with sqlite3.connect(cache_file(publish_settings(content))) as db:
        (problems,) = db.execute("SELECT problems FROM verdicts WHERE check_name = ?",
                                 (check,)).fetchone()
    return json.loads(problems)


def test_a_kept_verdict_goes_when_a_file_it_did_not_scan_goes(site_copy):
    """The links judge's last verdict is kept, but removing a script (a file
    no check scans for links) still breaks the pages that load it."""
    content, output = site_copy
    assert checked(content, output).problems == []
    assert stored_verdict(content, "links") == []
    script = output / "theme" / "js" / "search.js"
    script.unlink()
    warm, _cold = warm_and_cold(content, output)
    broken = [problem for problem in warm.problems if "search.js does not resolve" in
              problem.message]
    assert broken and warm.checked == 0, report(warm.problems)
    assert [file for file, _message in stored_verdict(content, "links")] == [
        problem.file for problem in broken]
    again = checked(content, output)
    assert [str(problem) for problem in again.problems] == [
        str(problem) for problem in warm.problems]


def test_facts_the_cache_did_not_write_give_a_clear_error(site_copy):
    """A row whose checksum was recomputed over facts that are not JSON is
    reported, never a traceback, once a judge needs it."""
    content, output = site_copy
    settings = publish_settings(content)
    with sqlite3.connect(cache_file(settings)) as db:
        version, file_hash = db.execute(
            "SELECT version, file_hash FROM facts WHERE check_name = 'links' "
            "AND path = 'index.html'").fetchone()
        db.execute("UPDATE facts SET facts = '{', checksum = ? WHERE check_name = 'links' "
                   "AND path = 'index.html'",
                   (checksum("links", "index.html", version, file_hash, "{"),))
    page = output / "tietoa" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>Uusi.</p></main>"),
                    encoding="utf-8")
    run = checked(content, output)
    assert [problem.file for problem in run.problems] == [str(cache_file(settings))]
    assert "--no-cache" in run.problems[0].message
    assert checked(content, output, use_cache=False).problems == []


def damaged_in_the_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbage", "middle", "rows"])
def test_a_damaged_cache_is_never_trusted(site_copy, damage):
    content, output = site_copy
    page = output / "tietoa" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</main>", "<p>pekka.virtanen@example.org</p></main>"), encoding="utf-8")
    cache = cache_file(publish_settings(content))
    with sqlite3.connect(cache) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        cache.write_bytes(os.urandom(20000))
    elif damage == "middle":
        damaged_in_the_middle(cache)
    else:
        # Facts rewritten behind the cache's back, as if the page had passed.
        page_hash = digest(page.read_bytes())
        with sqlite3.connect(cache) as db:
            db.execute("UPDATE facts SET facts = '[]', file_hash = ? "
                       "WHERE check_name = 'addresses' AND path = 'tietoa/index.html'",
                       (page_hash,))
    warm, _cold = warm_and_cold(content, output)
    assert [problem.file for problem in warm.problems] == ["tietoa/index.html"]
    if damage == "garbage":
        assert warm.cache_started_afresh


def project_with(output: Path, tmp_path: Path) -> Path:
    """A copy of the project with `output` as its output/ (and no check cache)."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(output, project / "output")
    return project


def test_ctrl_c_stops_cleanly_and_leaves_a_consistent_cache(original, tmp_path):
    project = project_with(original[1], tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "invoke", "check"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith(("feeds:", "links:", "addresses:")):
            break  # the Python scans are done; the HTML checker is still at work
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    lines += stderr.splitlines()
    assert process.returncode == 130, stdout + "".join(lines)
    assert "check: stopped" in stderr
    assert any(line.startswith("html: stopped after") for line in lines), lines
    assert "Traceback" not in stderr
    warm, _cold = warm_and_cold(project / "content", project / "output")
    assert warm.problems == [] and warm.from_cache > 0


def test_invoke_check_prints_counts_timings_and_a_line_per_check(original, tmp_path):
    project = project_with(original[1], tmp_path)
    shutil.copytree(original[0].parent / "cache", project / "cache")
    result = invoke(project, "check", "--timings")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^check: \d+ files, 0 checked, \d+ taken from the cache$", result.stdout,
                     re.MULTILINE), result.stdout
    for check in CHECKS:
        assert re.search(rf"^check: {check.name}: scanning [\d.]+ s, judging [\d.]+ s$",
                         result.stdout, re.MULTILINE), check.name
        # Not a terminal: one plain line per check on stderr.
        assert re.search(rf"^{check.name}: \d+ of \d+ files, [\d.]+ s$", result.stderr,
                         re.MULTILINE), result.stderr
    nothing_reused = invoke(project, "check", "--no-cache")
    assert nothing_reused.returncode == 0, nothing_reused.stderr
    assert re.search(r"^check: (\d+) files, \1 checked, 0 taken from the cache$",
                     nothing_reused.stdout, re.MULTILINE), nothing_reused.stdout
