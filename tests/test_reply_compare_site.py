"""Reply comparisons in a real Pelican build: pages, feeds, listings, errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, run_pelican
from reply_compare_support import GOLDEN, HEADER_LINES, content_folder, write_case

CASE = "vertailuja/"


def test_case_page_holds_every_comparison_with_unique_ids(compare_site):
    page = compare_site.soup(CASE)
    comparisons = page.select("section.reply-compare")
    assert [c.h2.get_text() for c in comparisons] == [
        "Maksumuistutus, joka syyllisti asiakasta", "Vastaus korjattuna", "Kolme vastausta"]
    for comparison in comparisons:
        assert page.find(id=comparison["aria-labelledby"]) is comparison.h2
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_replies_are_labelled_in_words_and_quoted(compare_site):
    first = compare_site.soup(CASE).select_one("section.reply-compare")
    replies = first.select("article.reply")
    assert [r.h3.get_text(" ", strip=True) for r in replies] == [
        "✗ Huono vastaus: Verkkokaupan vastaus", "✓ Hyvä vastaus: Parempi vastaus"]
    assert [shape["aria-hidden"] for shape in first.select(".verdict-shape")] == ["true"] * 2
    assert "Hei, kiitos meilistäsi!" in replies[0].blockquote.get_text()


def test_phrases_are_numbered_and_their_numbers_linked_to_the_notes_and_back(compare_site):
    """The footnote pattern: the phrase is no link, its number is."""
    for comparison in compare_site.soup(CASE).select("section.reply-compare"):
        marks = comparison.select("mark.reply-annotation")
        notes = comparison.select("ol.reply-notes li")
        assert len(marks) == len(notes)
        for number, (mark, note) in enumerate(zip(marks, notes, strict=True), 1):
            assert mark.find_parent("a") is None and mark.find("a") is None
            assert [edge.get_text() for edge in mark.select(".mark-edge")] == ["[", "]"]
            reference = mark.find_next_sibling()
            assert reference.name == "sup" and reference.get_text() == f"huomautus {number}"
            assert reference.a["href"] == f"#{note['id']}"
            back = note.select_one("a.note-back")
            assert back["href"] == f"#{mark['id']}"
            assert back.get_text() == f"↩ Takaisin kohtaan {number}"


def test_notes_follow_their_reply_and_say_fault_or_strength(compare_site):
    replies = compare_site.soup(CASE).select("article.reply")
    bad, good = replies[0], replies[1]
    assert bad.blockquote.find_next_sibling("ol")["class"] == ["reply-notes"]
    assert bad.select_one(".reply-notes li").get_text(" ", strip=True).startswith(
        "Virhe: Läksyttää asiakasta.")
    assert good.select_one(".reply-notes li").get_text(" ", strip=True).startswith(
        "Vahvuus: Ottaa vastuun heti alussa.")


def test_edits_are_labelled_in_words(compare_site):
    mended = compare_site.soup(CASE).select("section.reply-compare")[1]
    text = mended.select_one("article.reply-good blockquote").get_text()
    assert "[poistettu: valitettavasti emme voi auttaa][lisätty: autamme mielellämme]" in text
    assert "[poistettu: viikkoja lisätty: kaksi päivää]" in text
    assert mended.find("del").get_text() == "valitettavasti emme voi auttaa"


def test_atom_feed_carries_the_full_comparison(compare_site):
    feed = feedparser.parse(compare_site.path("feeds/kaikki.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Vertailuja")
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert len(content.select("section.reply-compare")) == 3
    assert len(content.select("blockquote")) == 7
    notes = [li.get_text(" ", strip=True) for li in content.select("ol.reply-notes li")]
    assert len(notes) == 7
    assert all(re.match(r"(Virhe|Vahvuus): ", note) for note in notes)


def test_only_a_page_with_a_comparison_loads_its_styles(compare_site):
    def stylesheets(page):
        return [link["href"] for link in compare_site.soup(page).select("link[rel=stylesheet]")]

    assert any(href.endswith("/compare.css") for href in stylesheets(CASE))
    assert not any(href.endswith("/compare.css") for href in stylesheets("ilman-vertailua/"))


def test_every_mistake_fails_the_build_with_file_and_line(tmp_path):
    """All error sources as cases of one site: each is reported where it is."""
    content = content_folder(tmp_path)
    expected = []
    for source in sorted((GOLDEN / "errors").glob("*.md")):
        case = write_case(content / "cases", source.stem, source.stem,
                          source.read_text(encoding="utf-8"))
        golden = source.with_suffix(".txt").read_text(encoding="utf-8").strip()
        line, message = re.fullmatch(r"[^:]+:(\d+): (.*)", golden).groups()
        expected.append(f"{case}:{int(line) + HEADER_LINES}: {message}")
    result = run_pelican(content, tmp_path / "output")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert f"Build failed: {len(expected)} problems" in output
    for message in expected:
        assert message in output


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"),
                    reason="vnu-jar (npm) and Java are installed by ./dev.sh test")
def test_every_golden_form_builds_a_valid_page(tmp_path):
    """Each form, links and footnotes inside a phrase included, as a case
    page of its own: the Nu HTML Checker finds no error."""
    content = content_folder(tmp_path)
    forms = sorted(GOLDEN.glob("*.md"))
    for source in forms:
        write_case(content / "cases", source.stem, source.stem, source.read_text(encoding="utf-8"))
    built = build(content, tmp_path / "output", SEARCH_INDEX=False)
    pages = [str(built.path(f"{source.stem}/index.html")) for source in forms]
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stderr)["messages"]
    assert messages == [], json.dumps(messages, indent=1, ensure_ascii=False)
