"""Pages of the real site pass the Nu HTML Checker with zero errors.

A page with a known error goes along in the same run: the checker must
report it, so a checker that did not start, crashed or printed nothing
fails the test instead of passing it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"),
                    reason="vnu-jar (npm) and Java are installed by ./dev.sh test")
def test_every_template_kind_has_zero_vnu_errors(site, tmp_path):
    pages = ["index.html", "404.html", "arkisto/index.html", "avainsanat/index.html",
             "aiheet/index.html", "kanava/index.html", "tietoa/index.html",
             "kirjoittajille/index.html", "haku/index.html", "tilastot/index.html",
             "toimiala/index.html", "lopputulos/index.html",
             # The phrasebook: a pattern with an opposite, and one without.
             "fraasit/index.html", "fraasit/syyllistaminen/index.html",
             "fraasit/lammin-lopetus/index.html"]
    pages += [str(next(site.output.glob(f"{folder}/*/index.html")).relative_to(site.output))
              for folder in ("avainsana", "aihe", "kanava", "toimiala", "lopputulos")]
    cases = [p for p in site.output.glob("*/index.html")
             if p.parent.name not in {"arkisto", "avainsanat", "aiheet", "kanava", "toimiala",
                                      "lopputulos", "tietoa", "sivu", "feeds", "theme",
                                      "tilastot", "fraasit"}]
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text('<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"></head>'
                         "<body><p>Otsikko puuttuu.</p></body></html>", encoding="utf-8")
    files = [str(site.output / p) for p in pages] + [str(p) for p in cases] + [str(known_bad)]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *files], capture_output=True, text=True)
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the Nu HTML Checker did not report (exit {result.returncode}):\n"
                    f"{result.stderr}{result.stdout}")
    seen = [m for m in messages if m.get("url", "").endswith("/known-bad.html")]
    assert seen, f"the checker missed the known error, so it checked nothing: {messages}"
    messages = [m for m in messages if m not in seen]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)
