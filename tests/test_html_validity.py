"""Pages of the real site pass the Nu HTML Checker with zero errors."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"),
                    reason="vnu-jar (npm) and Java are installed by ./dev.sh test")
def test_every_template_kind_has_zero_vnu_errors(site):
    pages = ["index.html", "404.html", "arkisto/index.html", "avainsanat/index.html",
             "aiheet/index.html", "kanava/index.html", "tietoa/index.html"]
    pages += [str(next(site.output.glob(f"{folder}/*/index.html")).relative_to(site.output))
              for folder in ("avainsana", "aihe", "kanava", "toimiala", "lopputulos")]
    cases = [p for p in site.output.glob("*/index.html")
             if p.parent.name not in {"arkisto", "avainsanat", "aiheet", "kanava", "toimiala",
                                      "lopputulos", "tietoa", "sivu", "feeds", "theme"}]
    files = [str(site.output / p) for p in pages] + [str(p) for p in cases]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *files], capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)
