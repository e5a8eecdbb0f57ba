"""Malformed and unusual cases, as authors write them: each one either
fails the build with `file:line: problem. Fix: …` and no traceback, or is
built into pages the Nu HTML Checker passes.

All mutations are cases of one site, so the whole set costs two builds and
one run of the checker: the first build names every case it refuses, the
second builds the rest.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, case_text, run_pelican
from hyva_tools.check.html_validity import VNU_JAR, run_vnu

BODY = """Asiakas kirjoitti kaupalle ja sai vastauksen.

//// compare | Vastausvertailu
/// bad | Kaupan vastaus
Hei, {==valitettavasti emme voi auttaa.==}{>>Torjuu asiakkaan.<<}
///
/// good | Parempi vastaus
Hei, {==autamme mielellämme.==}{>>Tarjoaa apua heti.<<}
///
////

Lopuksi asiakas kiitti.
"""


def case(title: str = "Tapaus", body: str = BODY, **fields: str | None) -> str:
    fields.setdefault("summary", "Tapaus, jossa kauppa vastasi.")
    return case_text(title, body, **fields)


def header_line(text: str, line: str) -> str:
    """`text` with `line` added at the end of its header."""
    head, blank, body = text.partition("\n\n")
    return f"{head}\n{line}{blank}{body}"


def body_with(extra: str) -> str:
    return case(body=BODY + "\n" + extra + "\n")


def in_reply(phrase: str) -> str:
    return case(body=BODY.replace("{==valitettavasti emme voi auttaa.==}", phrase))


MUTATIONS = {
    # The header.
    "otsikko-lainausmerkit": case('Sano "kiitos" ja \'heti\' & nopeasti'),
    "otsikko-html": case("<b>Lihava</b> otsikko"),
    "otsikko-vertailu": case("3 < 5 ja 5 > 3"),
    "otsikko-entiteetti": case("Tom &amp; Jerry &copy; &bogus;"),
    "otsikko-pitka": case("Pitkä " * 200),
    "otsikko-emoji": case("Kiitos 🙏 שלום مرحبا"),
    "otsikko-puuttuu": case("Tapaus").replace("Title: Tapaus\n", ""),
    "otsikko-tyhja": case("Tapaus").replace("Title: Tapaus", "Title:"),
    "otsikko-kahdesti": header_line(case("Eka"), "Title: Toka"),
    "avainsana-lainaus": case(tags='"lainaus", o\'hara, <b>x</b>'),
    "avainsana-tyhja": case(tags=", ,"),
    "avainsana-sama": case(tags="Sama, sama, SAMA"),
    "aihe-lainaus": case(category='Aihe "x" & <i>y</i>'),
    "aihe-kauttaviiva": case(category="Palaute/kiitos"),
    "tiivistelma-html": case(summary='<b>lihava</b> & "lainaus" <a href="x">'),
    "tiivistelma-markdown": case(summary="*korostus* ja [linkki](https://example.org)"),
    "tiivistelma-tyhja": case(summary=""),
    "paivays-vain-paiva": case(date="2020-01-01"),
    "paivays-aikavyohyke": case(date="2020-01-01T10:00:00+02:00"),
    "paivays-mahdoton": case(date="2020-02-30"),
    "paivays-teksti": case(date="eilen"),
    "muokattu-huono": header_line(case(), "Modified: huomenna"),
    "muokattu-hyva": header_line(case(), "Modified: 2021-01-01"),
    "tila-tuntematon": header_line(case(), "Status: valmis"),
    "tila-piilotettu": header_line(case(), "Status: hidden"),
    "tila-luonnos": header_line(case(), "Status: draft"),
    "slug-polku": header_line(case(), "Slug: ../../ulos"),
    "slug-aakkoset": header_line(case(), "Slug: ääkkönen"),
    "slug-valilyonti": header_line(case(), "Slug: kaksi sanaa"),
    "slug-sivu": header_line(case(), "Slug: haku"),
    "slug-arkisto": header_line(case(), "Slug: arkisto"),
    "tallenna-ulos": header_line(case(), "Save_as: ../ulos.html"),
    "pohja-olematon": header_line(case(), "Template: olematon"),
    "kanava-isoin": case(channel="SÄHKÖPOSTI"),
    "kanava-tuntematon": case(channel="savumerkki"),
    "kanava-tyhja": case(channel=""),
    "toimiala-valit": case(sector="  tele ,  muutto "),
    "lopputulos-kaksi": case(outcome="hyvä, huono"),
    "kirjoittaja-html": header_line(case(), 'Author: "Matti" <b>M</b>'),
    "kieli-englanti": header_line(case(), "Lang: en"),
    "bom": "\ufeff" + case(),
    "latin1": case(body="Mätti kirjoitti.\n"),
    "ohjausmerkit": case(body="Ohjaus\x01merkki\x0b ja \ufffe loppu.\n"),
    # The body: Markdown and raw HTML.
    "otsikko-sisalto": body_with("## Sisältö\n\nTeksti."),
    "otsikko-kommentit": body_with("## Kommentit\n\nTeksti."),
    "otsikot-samat": body_with("## Sama\n\nA\n\n## Sama\n\nB"),
    "otsikko-h1": body_with("# Toinen pääotsikko\n\nTeksti."),
    "alaviitteet": body_with("Väite.[^1]\n\n[^1]: Lähde."),
    "taulukko": body_with("| a | b |\n| - | - |\n| 1 | 2 |"),
    "koodi-critic": body_with("    {==ei merkintä==}{>>vaan koodia<<}"),
    "koodi-aidattu": body_with("```\n<script>alert(1)</script>\n{==x==}\n```"),
    "kuva-ilman-osoitetta": body_with("![kuvateksti]()"),
    "kuva-ilman-tekstia": body_with("![](kuva.png)"),
    "linkki-tyhja": body_with("[linkki]()"),
    "linkki-valilyonti": body_with("<https://example.org/a b>"),
    "automaattilinkki": body_with("<https://example.org/>"),
    "korostus-sisakkain": body_with("***x*** **_y_** ~~z~~"),
    "pitka-sana": body_with("a" * 100_000),
    "sisakkainen-lista": body_with("".join("    " * n + "- kohta\n" for n in range(30))),
    "lainaus-sisakkain": body_with("> " * 30 + "lainaus"),
    "html-div-auki": body_with("<div>\nteksti"),
    "html-loppu-yksin": body_with("</div>"),
    "html-kommentti-auki": body_with("<!-- kesken"),
    "html-p-sisakkain": body_with("teksti <p>sisä</p> lisää"),
    "html-img-ilman-alt": body_with('<img src="kuva.png">'),
    "html-details": body_with("<details><summary>Lisää</summary>\n\nPiilossa.\n\n</details>"),
    "html-iframe": body_with('<iframe src="https://example.org/" title="x"></iframe>'),
    "attr-list-id": body_with("## Otsikko {: #sisalto }"),
    "attr-list-outo": body_with("Kappale.\n{: foo=\"bar\" }"),
    "md-in-html": body_with('<div markdown="1">*korostus*</div>'),
    "lyhenne": body_with("HTML on kieli.\n\n*[HTML]: Hyper Text Markup Language"),
    "maaritelmalista": body_with("Termi\n:   Selitys"),
    "entiteetti-rikki": body_with("a &bogus; b &#0; c &#xD800; d"),
    # Reply comparisons.
    "vertailu-linkki-fraasissa": in_reply("{==[linkki](https://example.org) tässä==}{>>Huom.<<}"),
    "vertailu-alaviite-fraasissa": in_reply("{==väite[^2]==}{>>Huom.<<}\n\n[^2]: Lähde."),
    "vertailu-tuntematon": case(body=BODY.replace("/// good", "/// keskinkertainen")),
    "vertailu-yksi": case(body=BODY.split("/// good")[0] + "////\n"),
    "vertailu-auki": case(body=BODY.replace("////\n\nLopuksi", "\nLopuksi")),
    "vertailu-sisakkain": case(body=BODY.replace("/// bad", "//// compare\n/// bad", 1)),
    "vertailu-ilman-huomiota": in_reply("{==ilman huomiota==}"),
    "vertailu-tyhja-huomio": in_reply("{==tyhjä huomio==}{>><<}"),
    "vertailu-ylimaarainen-loppu": case(body=BODY + "\n///\n"),
    "vertailu-kesken-korvaus": in_reply("{~~vanha~>uusi"),
    "vertailu-tyhja-poisto": in_reply("{----}"),
    "vertailu-alussa": case(body=BODY.split("\n\n", 1)[1], summary=None),
    "vertailu-ilman-tiivistelmaa": case(summary=None),
}

LOCATED = re.compile(r"^  (?P<file>\S+?\.md):(?P<line>\d+): .+\. Fix: .+$", re.MULTILINE)


@pytest.fixture(scope="module")
def mutations(tmp_path_factory):
    """The first build's refusals, and the pages of the second build."""
    base = tmp_path_factory.mktemp("mutations")
    content = base / "content"
    (content / "cases").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    for name, text in MUTATIONS.items():
        data = text.encode("latin-1") if name == "latin1" else text.encode("utf-8")
        (content / "cases" / f"{name}.md").write_bytes(data)
    first = run_pelican(content, base / "first", SEARCH_INDEX=False)
    log = first.stdout + first.stderr
    refused = {match["file"].rsplit("/", 1)[-1].removesuffix(".md")
               for match in LOCATED.finditer(log)}
    for name in refused:
        (content / "cases" / f"{name}.md").unlink()
    second = run_pelican(content, base / "second", SEARCH_INDEX=False)
    return first, refused, second, base / "second"


def test_refused_mutations_are_located_without_a_traceback(mutations):
    first, refused, _, _ = mutations
    log = first.stdout + first.stderr
    assert first.returncode == 1
    assert "Traceback" not in log
    problems = log.split("Build failed: ", 1)[1].splitlines()[1:]
    unlocated = [line for line in problems if line.startswith("  ") and not LOCATED.match(line)]
    assert unlocated == []
    assert refused >= {"otsikko-puuttuu", "paivays-teksti", "tila-tuntematon", "slug-polku",
                       "slug-sivu", "pohja-olematon", "latin1", "vertailu-tuntematon"}


def test_accepted_mutations_build_into_valid_html(mutations):
    if not VNU_JAR.is_file() or not shutil.which("java"):
        pytest.skip("the Nu HTML Checker needs java and node_modules/vnu-jar")
    _, refused, second, output = mutations
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    accepted = set(MUTATIONS) - refused
    pages = sorted(output.rglob("*.html"))
    assert len(accepted) > 40 and len(pages) > len(accepted)
    errors = [f"{message.get('url', '').rsplit('/second/', 1)[-1]}:{message.get('lastLine')}: "
              f"{message['message']}" for message in run_vnu(pages)]
    assert errors == []
