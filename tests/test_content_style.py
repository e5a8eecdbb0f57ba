"""`invoke check` finds writing accidents: a one-item numbered list inside a
reply, a fault note that calls itself a strength, straight quotes."""

from __future__ import annotations

import shutil

from pelican.settings import read_settings

from conftest import ROOT, build
from hyva_tools.check import check_site, content_style

CASE = """Title: Kokeilu
Date: 2020-01-02 10:00
Category: Reklamaatiot
Channel: sähköposti
Sector: tele
Outcome: huono
Summary: Vastaus, jossa on "suorat" lainausmerkit.

Asiakas kirjoitti: "missä tilaukseni on?"

```text
Koodissa "lainausmerkit" saavat olla.
```

Myös `"koodi"` ja [linkki](https://example.org "otsikko") ovat sallittuja.

//// compare
/// bad
1. {==Tilaus on matkalla.==}{>>Ainoa vahvuus: lyhyt.<<}

2 ja 3. {==Emme tiedä enempää.==}{>>Ei selvitä mitään.<<}
///
/// good
{==Tilauksesi lähti tänään.==}{>>Kertoo päivän.<<}
///
////
"""


def check(content, tmp_path) -> list[str]:
    output = tmp_path / "output"
    build(content, output, SEARCH_INDEX=False)
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    found = check_site(output, settings, checks=[content_style.CHECK])
    return [str(problem) for problem in found]


def test_accidents_are_reported_at_their_source_line_with_a_fix(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    (content / "cases").mkdir()
    (content / "cases" / "kokeilu.md").write_text(CASE, encoding="utf-8")
    found = check(content, tmp_path)
    assert sorted(problem.split(". Fix: ")[0] for problem in found) == [
        'content/cases/kokeilu.md:19: a note of a bad reply is labelled as a fault but calls '
        'itself a strength: "Ainoa vahvuus: lyhyt."',
        'content/cases/kokeilu.md:19: a reply paragraph starting "1." became a one-item '
        'numbered list',
        'content/cases/kokeilu.md:7: straight quotes ("…") in Finnish text',
        'content/cases/kokeilu.md:9: straight quotes ("…") in Finnish text',
    ]
    assert all(". Fix: " in problem for problem in found)

def test_the_real_content_has_none(site):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    problems = check_site(site.output, settings, checks=[content_style.CHECK])
    assert [str(problem) for problem in problems] == []
