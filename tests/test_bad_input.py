"""Broken case metadata stops the build with the file, the line and a fix."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, case_text, run_pelican

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
