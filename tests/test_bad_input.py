"""Broken case metadata stops the build with the file, the line and a fix."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, case_text, mounted_tmpfs, run_pelican, without_speed_layer

# The header lines, without the blank line that ends them: Title, Date,
# Category and Tags on lines 1-4, then Channel, Sector, Outcome and
# whatever facets CASE_FACETS adds.
GOOD_HEADER = case_text("Testitapaus", date="2020-02-03 12:00", category="Testit", tags="testi",
                        channel="sähköposti", sector="tele", outcome="huono").removesuffix("\n")


def content_with(tmp_path, header: str):
    cases = tmp_path / "content" / "cases"
    cases.mkdir(parents=True)
    (tmp_path / "content" / "pages").mkdir()
    case = cases / "rikki.md"
    case.write_text(header + "\nTeksti.\n", encoding="utf-8")
    return tmp_path / "content", case


@pytest.mark.parametrize("broken, line, words", [
    (GOOD_HEADER.replace("2020-02-03 12:00", "2020-31-02"), 2, ["Date '2020-31-02' is not a date",
                                                                "YYYY-MM-DD"]),
    (GOOD_HEADER.replace("Title: Testitapaus\n", ""), 1, ["no Title", "Title:"]),
    (GOOD_HEADER.replace("Channel: sähköposti", "Channel: savumerkki"), 5,
     ["Channel 'savumerkki' is not a known channel", "sähköposti, puhelin"]),
    (GOOD_HEADER.replace("Outcome: huono", "Outcome: hyvä, huono"), 7, ["Outcome takes one value"]),
    (GOOD_HEADER.replace("Sector: tele\n", ""), 1, ["no Sector", "Sector: <value>"]),
])
def test_broken_metadata_fails_with_file_line_and_fix(tmp_path, broken, line, words):
    content, case = content_with(tmp_path, broken)
    result = run_pelican(content, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"rikki.md:{line}: " in output
    assert "Fix: " in output
    for word in words:
        assert word in output


def test_good_metadata_builds(tmp_path):
    content, _ = content_with(tmp_path, GOOD_HEADER)
    result = run_pelican(content, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "rikki" / "index.html").exists()


def test_invoke_build_exits_non_zero_on_broken_case(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", "output", ".git", "__pycache__", "test-artifacts", "cache",
        "results"))
    (project / "content" / "cases" / "rikki.md").write_text(
        GOOD_HEADER.replace("Outcome: huono", "Outcome: surkea") + "\nTeksti.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "invoke", "build"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "rikki.md:7: Outcome 'surkea' is not a known outcome" in result.stdout + result.stderr


def header(extra: str = "") -> str:
    """GOOD_HEADER's seven lines, `extra` lines after them, and the blank
    line that ends a header."""
    return GOOD_HEADER.rstrip("\n") + "\n" + extra + "\n"


def build_cases(tmp_path, cases: dict[str, str], pages: dict[str, str] = (), **settings):
    """Build a content folder of `cases` (file name -> text) and `pages`."""
    content = tmp_path / "content"
    (content / "cases").mkdir(parents=True)
    (content / "pages").mkdir()
    for folder, files in (("cases", cases), ("pages", dict(pages))):
        for name, text in files.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            (content / folder / name).write_bytes(data)
    result = run_pelican(content, tmp_path / "out", SEARCH_INDEX=False, **settings)
    return result, result.stdout + result.stderr


@pytest.mark.parametrize("extra, line, words", [
    ("Modified: eilen\n", 8, ["Modified 'eilen' is not a date", "YYYY-MM-DD"]),
    ("Status: julkaistu\n", 8, ["Status 'julkaistu' is not a status", "draft", "hidden"]),
    ("Slug: ../../ulos\n", 8, ["Slug '../../ulos' is not one URL segment"]),
    ("Save_as: ../ulos.html\n", 8, ["Save_as '../ulos.html' points outside the site"]),
    ("Url: /../ulos/\n", 8, ["Url '/../ulos/' points outside the site"]),
    ("Template: olematon\n", 8, ["Template 'olematon' is not a template of the theme"]),
])
def test_more_header_mistakes_are_located(tmp_path, extra, line, words):
    result, log = build_cases(tmp_path, {"rikki.md": header(extra) + "Teksti.\n"})
    assert result.returncode == 1
    assert f"rikki.md:{line}: " in log and "Fix: " in log
    assert "Traceback" not in log
    for word in words:
        assert word in log
    assert not (tmp_path / "out").exists(), "nothing is written"


@pytest.mark.parametrize("data, line", [
    (header().encode() + "Mätti\n".encode("latin-1"), 9),
    ((header() + "Teksti\n").encode("utf-16"), 1),
    (header().encode() + b"\x89PNG\r\n\x1a\n\xff\xd8\n", 9),
])
def test_a_file_that_is_not_utf8_is_located(tmp_path, data, line):
    result, log = build_cases(tmp_path, {"rikki.md": data})
    assert result.returncode == 1
    assert f"rikki.md:{line}: the file is not UTF-8 text. Fix: save it as UTF-8" in log
    assert "Traceback" not in log


def test_a_byte_order_mark_is_accepted(tmp_path):
    result, log = build_cases(tmp_path, {"rikki.md": "\ufeff" + header() + "Teksti.\n"})
    assert result.returncode == 0, log
    page = (tmp_path / "out" / "rikki" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Testitapaus</h1>" in page


def test_characters_xml_forbids_are_removed_and_located(tmp_path):
    body = "Ensimmäinen rivi.\n\nOhjaus\x01merkki\x0b ja \ufffe loppu.\n"
    result, log = build_cases(tmp_path, {"rikki.md": header() + body})
    assert result.returncode == 0, log
    assert "rikki.md:11: removed U+0001, U+000B, U+FFFE, which XML does not allow" in log
    page = (tmp_path / "out" / "rikki" / "index.html").read_text(encoding="utf-8")
    assert "Ohjausmerkki ja  loppu." in page
    feed = (tmp_path / "out" / "feeds" / "kaikki.atom.xml").read_text(encoding="utf-8")
    assert "\x01" not in feed and "Ohjausmerkki" in feed


@pytest.mark.parametrize("body, line", [
    ("".join("    " * level + "- kohta\n" for level in range(2000)), 31),
    ("> " * 2000 + "lainaus\n", 11),
    ("- " * 2000 + "kohta\n", 11),
])
def test_deep_nesting_is_refused_quickly(tmp_path, body, line):
    result, log = build_cases(tmp_path, {"rikki.md": header() + "Alku.\n\n" + body})
    assert result.returncode == 1
    assert f"rikki.md:{line}: a list or quote nested more than 20 levels deep. Fix: " in log


def test_a_case_taking_a_pages_slug_fails_naming_both(tmp_path):
    page = "Title: Haku\nSlug: haku\n\nHakusivu.\n"
    result, log = build_cases(tmp_path, {"haku.md": header() + "Teksti.\n"}, {"haku.md": page})
    assert result.returncode == 1
    assert ("cases/haku.md:1: the slug 'haku' is taken: " in log
            and "pages/haku.md is written to haku/index.html too" in log)
    assert "Fix: give one of them another 'Slug:' line" in log
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("speed_layer", [True, False], ids=["with", "without the speed layer"])
def test_two_cases_with_one_slug_fail_naming_both_and_the_slug_line(tmp_path, speed_layer):
    cases = {"eka.md": header("Slug: sama\n") + "Yksi.\n",
             "toka.md": header("Slug: sama\n") + "Kaksi.\n",
             "arkisto.md": header() + "Kolme.\n"}
    result, log = build_cases(tmp_path, cases, **({} if speed_layer else without_speed_layer()))
    assert result.returncode == 1
    assert "toka.md:8: the slug 'sama' is taken: " in log and "eka.md is written to" in log
    assert "arkisto.md:1: the slug 'arkisto' is taken: the archives page" in log
    assert "Traceback" not in log
    assert not (tmp_path / "out").exists()


@pytest.fixture
def small_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "disk", "200k") as mount:
        yield mount


def test_a_full_output_disk_fails_in_one_line(small_disk):
    result = run_pelican(ROOT / "content", small_disk / "out", SEARCH_INDEX=False)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Build failed: No space left on device. Fix: free space on that disk" in log
    assert "Traceback" not in log


COMPARISON = """//// compare | Vertailu
/// bad | Vastaus
{==Emme voi auttaa.==}{>>Torjuu asiakkaan.<<}
///
/// good | Parempi
{==Autamme mielellämme.==}{>>Tarjoaa apua.<<}
///
////
"""


def test_an_automatic_summary_stops_before_the_comparison(tmp_path):
    body = "Asiakas kysyi toimitusajasta.\n\n" + COMPARISON + "\nLopuksi " + "sana " * 80 + "\n"
    result, log = build_cases(tmp_path, {"rikki.md": header() + body})
    assert result.returncode == 0, log
    listing = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Asiakas kysyi toimitusajasta." in listing
    assert "reply-compare" not in listing and "Torjuu" not in listing


def test_a_case_opening_with_a_comparison_needs_a_summary(tmp_path):
    result, log = build_cases(tmp_path, {"rikki.md": header() + COMPARISON})
    assert result.returncode == 1
    assert "rikki.md:1: the case has no Summary and opens with a comparison" in log
    assert "Fix: add a line 'Summary: …'" in log
    with_summary = header("Summary: Vastaus, joka torjui.\n") + COMPARISON
    result, log = build_cases(tmp_path / "toinen", {"rikki.md": with_summary})
    assert result.returncode == 0, log


def test_a_full_cache_disk_fails_in_one_line_naming_it(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    cache = tmp_path / "cache"  # where the build keeps its cache for this content
    cache.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(cache)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        result = run_pelican(tmp_path / "content", tmp_path / "out")
    finally:
        subprocess.run(["umount", str(cache)], check=True)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Build failed: the disk holding" in log and "is full" in log
    assert "Traceback" not in log
