"""The phrasebook in the real site's build: pattern pages, export, feeds.

What the pages and the export should hold is read from the case sources
themselves (every `{==phrase==}{>>note #tags<<}`), not from the build.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import datetime

import feedparser
import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, build, real_settings, run_pelican, write_case
from hyva.cases import case_files
from hyva.patterns import split_tags

SCHEMA = ROOT / "plugins" / "phrasebook" / "fraasikirja.schema.json"
ANNOTATION = re.compile(r"\{==(.+?)==\}\{>>(.+?)<<\}")
PATTERNS = real_settings()["REPLY_PATTERNS"]


def tagged_phrases() -> dict[str, list[tuple[str, str]]]:
    """pattern key -> [(case slug, phrase)] from the real content's sources."""
    found = defaultdict(list)
    settings = {**real_settings(), "PATH": str(ROOT / "content")}
    for path in case_files(settings):
        for phrase, note in ANNOTATION.findall(path.read_text(encoding="utf-8")):
            for key in split_tags(note)[1]:
                found[key].append((path.stem, phrase))
    return found


def slug_of(key: str) -> str:
    return key.translate(str.maketrans("äöå", "aoa"))


def column(site, key: str):
    """The column of pattern `key` on its own page."""
    page = site.soup(f"fraasit/{slug_of(key)}/")
    return page.select_one(f'section[aria-labelledby="sarake-{slug_of(key)}"]')


def test_every_note_of_every_case_names_a_pattern():
    settings = {**real_settings(), "PATH": str(ROOT / "content")}
    notes = [(path.name, note) for path in case_files(settings)
             for _, note in ANNOTATION.findall(path.read_text(encoding="utf-8"))]
    assert len(notes) >= 36
    assert [(name, note) for name, note in notes if not split_tags(note)[1]] == []


def test_each_pattern_has_phrases_from_two_cases_or_more():
    found = tagged_phrases()
    assert set(found) == set(PATTERNS)
    assert {key: len({case for case, _ in found[key]}) for key in PATTERNS
            if len({case for case, _ in found[key]}) < 2} == {}


def test_each_pattern_page_lists_exactly_its_phrases(site):
    found = tagged_phrases()
    for key in PATTERNS:
        shown = [quote.get_text(" ", strip=True)
                 for quote in column(site, key).select(".phrase-text")]
        assert sorted(shown) == sorted(phrase for _, phrase in found[key]), key


def test_every_link_from_a_pattern_page_reaches_its_phrase(site):
    checked = 0
    for key in PATTERNS:
        page = site.soup(f"fraasit/{slug_of(key)}/")
        for phrase in page.select(".phrase"):
            link = phrase.select_one(".phrase-source a")["href"]
            path, anchor = link.removeprefix("../../").split("#")
            target = site.soup(path).find(id=anchor)
            assert target is not None, link
            quoted = phrase.select_one(".phrase-text").get_text(" ", strip=True)
            assert target.name == "mark"
            assert target.get_text().strip("[]") == quoted
            checked += 1
    assert checked >= 2 * len(tagged_phrases())


def test_a_fault_shows_its_opposite_beside_it(site):
    page = site.soup("fraasit/syyllistaminen/")
    titles = [title.get_text(" ", strip=True) for title in page.select(".phrase-column-title")]
    assert titles == ["✗ Älä kirjoita näin", "✓ Kirjoita mieluummin näin"]
    opposite = page.select(".phrase-column")[1]
    assert opposite.select_one(".phrase-column-pattern a")["href"] == "../../fraasit/vastuunotto/"
    assert len(opposite.select(".phrase")) == len(tagged_phrases()["vastuunotto"])
    alone = site.soup("fraasit/lammin-lopetus/")
    assert [t.get_text(" ", strip=True) for t in alone.select(".phrase-column-title")] == [
        "✓ Fraasit"]


def test_the_phrasebook_lists_every_pattern_with_counts_and_cases(site):
    page = site.soup("fraasit/")
    found = tagged_phrases()
    entries = page.select(".pattern-summary")
    assert [entry.h2.get_text() for entry in entries] == [p["name"] for p in PATTERNS.values()]
    for entry, key in zip(entries, PATTERNS, strict=True):
        cases = {case for case, _ in found[key]}
        count = entry.select_one(".pattern-count")
        assert count.get_text().startswith(f"{len(found[key])} fraasi")
        assert f"{len(cases)} tapauksesta" in count.get_text()
        assert {a["href"].strip("./").rstrip("/") for a in count.select("a")} == cases
    assert page.select_one(".site-nav a[aria-current='page']").get_text() == "Fraasikirja"
    assert site.soup("").select_one(".site-nav a[href='./fraasit/']").get_text() == "Fraasikirja"


def test_the_case_page_links_each_notes_patterns(site):
    page = site.soup("maksumuistutus-ja-saarna/")
    note = page.select(".reply-notes li")[1]
    assert [a.get_text() for a in note.select(".pattern-link")] == ["Syyllistäminen"]
    assert note.select_one(".pattern-link")["href"] == (
        f"{real_settings()['SITE_ORIGIN']}/fraasit/syyllistaminen/")
    # The facts list names the case's patterns, as the search filter reads them.
    filters = [a.get_text() for a in page.select('.case-facts a[data-pagefind-filter="pattern"]')]
    assert "Syyllistäminen" in filters and "Lämmin lopetus" in filters


def export(site) -> dict:
    return json.loads(site.path("fraasit/fraasikirja.json").read_text(encoding="utf-8"))


def test_the_json_validates_against_the_schema_in_the_repository(site):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = export(site)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(data)] == []
    assert site.path("fraasit/fraasikirja.schema.json").read_bytes() == SCHEMA.read_bytes()
    broken = {**data, "phrases": [{**data["phrases"][0], "verdict": "meh"}]}
    assert list(validator.iter_errors(broken)), "the schema checks nothing"


def test_the_json_matches_the_pages(site):
    data = export(site)
    origin = real_settings()["SITE_ORIGIN"]
    for key in PATTERNS:
        page_phrases = [(phrase.select_one(".phrase-text").get_text(" ", strip=True),
                         phrase.select_one(".phrase-source a")["href"].removeprefix("../../"))
                        for phrase in column(site, key).select(".phrase")]
        json_phrases = [(p["phrase"], p["url"].removeprefix(origin + "/"))
                        for p in data["phrases"] if key in p["patterns"]]
        assert sorted(json_phrases) == sorted(page_phrases), key
        [pattern] = [p for p in data["patterns"] if p["key"] == key]
        assert pattern["phrases"] == len(page_phrases)
        assert pattern["kind"] == PATTERNS[key]["kind"]
    for phrase in data["phrases"]:
        datetime.fromisoformat(phrase["date"])
        assert phrase["kind"] == {PATTERNS[key]["kind"] for key in phrase["patterns"]}.pop()
        assert "#" not in phrase["note"]


def test_the_csv_holds_the_same_phrases(site):
    with open(site.path("fraasit/fraasikirja.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["phrase"], row["url"], row["patterns"].split()) for row in rows] == [
        (p["phrase"], p["url"], p["patterns"]) for p in export(site)["phrases"]]


def test_each_pattern_feed_reads_cleanly_with_the_cases_that_add_phrases(site):
    found = tagged_phrases()
    origin = real_settings()["SITE_ORIGIN"]
    for key in PATTERNS:
        feed = feedparser.parse(site.path(f"feeds/fraasit/{slug_of(key)}.atom.xml").read_bytes())
        assert not feed.bozo, (key, feed.get("bozo_exception"))
        links = {entry.link.removeprefix(origin + "/").rstrip("/") for entry in feed.entries}
        assert links == {case for case, _ in found[key]}, key
        assert PATTERNS[key]["name"] in feed.feed.title


@pytest.fixture(scope="module")
def english_phrasebook(tmp_path_factory):
    return build(ROOT / "content", tmp_path_factory.mktemp("english-phrasebook"),
                 THEME_LANG="en", SEARCH_INDEX=False)


def test_the_phrasebook_speaks_english(english_phrasebook):
    page = english_phrasebook.soup("fraasit/syyllistaminen/")
    assert [t.get_text(" ", strip=True) for t in page.select(".phrase-column-title")] == [
        "✗ Don't write this", "✓ Write this rather"]
    assert page.select_one(".pattern-kind").get_text(" ", strip=True) == "✗ Fault"
    assert "Phrasebook" in page.title.get_text()
    note = english_phrasebook.soup("maksumuistutus-ja-saarna/").select_one(".note-patterns")
    assert note.get_text().startswith("In the phrasebook:")


def test_a_case_cannot_take_the_phrasebooks_slug(tmp_path):
    content = tmp_path / "content"
    write_case(content / "cases", "fraasit", "Fraasit", "Tapaus, jonka nimi on huono.\n",
               summary="Huono nimi.")
    (content / "pages").mkdir()
    result = run_pelican(content, tmp_path / "output", SEARCH_INDEX=False)
    assert result.returncode != 0
    assert ("fraasit.md:1: the slug 'fraasit' is taken: the phrasebook is written to "
            "fraasit/index.html too") in result.stdout + result.stderr


def test_a_pattern_without_phrases_has_a_page_but_no_feed(tmp_path):
    content = tmp_path / "content"
    write_case(content / "cases", "yksi", "Yksi tapaus", "Johdanto.\n\n//// compare\n/// bad\n"
               "{==Maksa ajoissa.==}{>>Läksyttää. #syyllistäminen<<}\n///\n/// good\n"
               "{==Virhe oli meidän.==}{>>Ottaa vastuun.<<}\n///\n////\n", summary="Yksi.")
    (content / "pages").mkdir()
    built = build(content, tmp_path / "output", SEARCH_INDEX=False)
    assert built.path("feeds/fraasit/syyllistaminen.atom.xml").is_file()
    assert not built.path("feeds/fraasit/vastuunotto.atom.xml").exists()
    page = built.soup("fraasit/vastuunotto/")
    assert page.select_one(".pattern-count").get_text() == "Ei vielä fraaseja."
    assert not page.select('link[type="application/atom+xml"][href*="fraasit"]')
    assert len(page.select(".phrase-column")[0].select(".phrase")) == 1


def test_the_search_form_offers_each_pattern_with_phrases(site):
    form = site.soup("haku/").select_one("form.search")
    assert [legend.get_text() for legend in form.select("legend")][-1] == "Fraasityypit"
    offered = [box["value"] for box in form.select('input[name="pattern"]')]
    assert offered == [entry["name"] for entry in PATTERNS.values()]


def test_the_phrasebook_charts_each_patterns_number_of_phrases(site):
    found = tagged_phrases()
    chart = site.soup("fraasit/").select_one("table#kaavio-fraasit")
    rows = chart.select("tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == [p["name"] for p in PATTERNS.values()]
    for row, key in zip(rows, PATTERNS, strict=True):
        bar = row.select_one("a.chart-bar")
        assert int(bar.select_one(".chart-count").contents[-1]) == len(found[key])
        assert bar["href"].strip("./").rstrip("/") == f"fraasit/{slug_of(key)}"
    assert chart.caption.get_text() == "Fraaseja fraasityypeittäin"


def test_a_public_build_and_a_local_one_link_patterns_to_their_own_origin(tmp_path):
    """The notes' links are absolute and come through the reader cache, so
    the two builds of one content folder must not share cached pages."""
    content = tmp_path / "content"
    write_case(content / "cases", "syyllistava", "Syyllistävä vastaus", "Johdanto.\n\n"
               "//// compare\n/// bad\n{==Olisit lukenut ehdot.==}{>>Syyttää asiakasta. "
               "#syyllistäminen<<}\n///\n/// good\nPahoittelemme.\n///\n////\n", summary="Yksi.")
    (content / "pages").mkdir()
    origins = {}
    for settings in ("publishconf.py", "pelicanconf.py"):
        built = build(content, tmp_path / settings, settings, SEARCH_INDEX=False)
        link = built.soup("syyllistava/").select_one(".pattern-link")["href"]
        origins[settings] = link.removesuffix("/fraasit/syyllistaminen/")
    assert origins["pelicanconf.py"] == real_settings()["SITE_ORIGIN"]
    assert origins["publishconf.py"] != origins["pelicanconf.py"]
