"""Lighthouse budgets on the real site: accessibility, SEO and best practices
100, performance at least 95, on the home, a case, a tag and the search page.

Lighthouse (npm) drives Debian's Chromium against the site served on
127.0.0.1, one page at a time, after the other tests (marked "alone": load
on the machine skews the performance score).
The back/forward-cache check navigates away and back, doubling the time,
and counts towards no category, so it is skipped.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import CHROMIUM, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.alone]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
MINIMUM = {"accessibility": 1.0, "seo": 1.0, "best-practices": 1.0, "performance": 0.95}


def lighthouse(url: str, report) -> dict:
    command = [
        str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--output=json", f"--output-path={report}", "--quiet",
        f"--only-categories={','.join(MINIMUM)}",
        "--skip-audits=bf-cache", "--disable-full-page-screenshot",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def shortfalls(report: dict) -> list[str]:
    """Each audit that cost points, to say what to fix."""
    missed = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                missed.append(f"{category['id']}: {ref['id']} {audit['score']} "
                              f"{audit.get('displayValue', '')}".strip())
    return missed


@pytest.mark.skipif(not LIGHTHOUSE.exists() or not CHROMIUM.exists(),
                    reason="lighthouse (npm) and chromium are installed by ./dev.sh test")
@pytest.mark.parametrize("kind", ["home", "case", "tag", "search"])
def test_lighthouse_scores_meet_the_budget(served_site, site, tmp_path, kind):
    paths = {
        "home": "",
        "case": site.soup("").select_one(".case-list h2 a")["href"],
        "tag": site.soup("avainsanat/").select_one(".term-list a")["href"].removeprefix("../"),
        "search": "haku/",
    }
    report = lighthouse(f"{served_site}/{paths[kind]}", tmp_path / "report.json")
    scores = {name: category["score"] for name, category in report["categories"].items()}
    below = {name: score for name, score in scores.items() if score < MINIMUM[name]}
    assert below == {}, f"{paths[kind] or '/'}: {below}; " + "; ".join(shortfalls(report))
