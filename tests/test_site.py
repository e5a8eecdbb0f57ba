"""The real site, built into a temp folder: pages, Finnish dates, facets, feeds."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from babel.dates import format_date
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from conftest import ROOT, real_settings
from hyva.cases import case_files, case_slug
from hyva.facets import split_values
from hyva.header import read_header

CASE_FILES = case_files(real_settings())
FACET_FOLDERS = {facet: spec["url"] for facet, spec in real_settings()["CASE_FACETS"].items()}


def slugify(value: str) -> str:
    """The slug Pelican gives a tag or facet value: "hyvä palaute" -> "hyva-palaute"."""
    return pelican_slugify(value, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def header(path: Path) -> dict[str, str]:
    return {key: value for key, (_, value) in read_header(path.read_text(encoding="utf-8")).items()}


def case_url(path: Path) -> str:
    return case_slug(path, real_settings())


def test_at_least_five_cases_are_written():
    assert len(CASE_FILES) >= 5


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_case_page_shows_title_finnish_date_and_facet_links(site, case):
    meta = header(case)
    soup = site.soup(f"{case_url(case)}/")
    assert soup.html["lang"] == "fi"
    assert soup.h1.get_text(strip=True) == meta["title"]
    published = datetime.fromisoformat(meta["date"].replace(" ", "T"))
    time = soup.select_one(".case-facts time")
    assert time.get_text() == format_date(published, "long", locale="fi")
    assert re.fullmatch(r"\d{1,2}\. \w+ta \d{4}", time.get_text()), time.get_text()
    for facet, folder in FACET_FOLDERS.items():
        for value in split_values(meta.get(facet, "")):
            link = soup.select_one(f'.case-header a[href$="{folder}/{slugify(value)}/"]')
            assert link is not None and link.get_text() == value, (facet, value)
    for tag in (t.strip() for t in meta.get("tags", "").split(",") if t.strip()):
        assert soup.find("a", rel="tag", string=tag), tag


@pytest.mark.parametrize("facet", FACET_FOLDERS)
def test_facet_pages_list_exactly_their_cases(site, facet):
    expected: dict[str, set[str]] = {}
    for case in CASE_FILES:
        for value in split_values(header(case).get(facet, "")):
            expected.setdefault(slugify(value), set()).add(header(case)["title"])
    for slug, titles in expected.items():
        soup = site.soup(f"{FACET_FOLDERS[facet]}/{slug}/")
        listed = {a.get_text(strip=True) for a in soup.select(".case-summary h2 a")}
        assert listed == titles, slug
    index = site.soup(f"{FACET_FOLDERS[facet]}/")
    assert {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in index.select(".term-list a")} \
        == set(expected)


def test_tag_pages_list_their_cases(site):
    tagged: dict[str, set[str]] = {}
    for case in CASE_FILES:
        for tag in (t.strip() for t in header(case).get("tags", "").split(",") if t.strip()):
            tagged.setdefault(slugify(tag), set()).add(header(case)["title"])
    assert tagged
    for slug, titles in tagged.items():
        soup = site.soup(f"avainsana/{slug}/")
        assert {a.get_text(strip=True) for a in soup.select(".case-summary h2 a")} == titles


def test_listing_pages_exist_and_are_finnish(site):
    for page, heading in [("", "Uusimmat tapaukset"), ("arkisto/", "Arkisto"),
                          ("avainsanat/", "Avainsanat"), ("aiheet/", "Aiheet"),
                          ("tietoa/", None)]:
        soup = site.soup(page)
        assert soup.html["lang"] == "fi"
        assert soup.select_one("a.skip-link")["href"] == "#sisalto"
        if heading:
            assert soup.h1.get_text(strip=True) == heading
    not_found = site.soup("404.html")
    assert not_found.h1.get_text(strip=True) == "Sivua ei löytynyt"


def test_index_paginates_in_finnish_urls(tmp_path):
    from conftest import build

    built = build(ROOT / "content", tmp_path, DEFAULT_PAGINATION=2)
    assert (tmp_path / "sivu" / "2" / "index.html").exists()
    soup = built.soup("")
    assert soup.select_one('.pagination a[rel="next"]')["href"].endswith("sivu/2/")
    assert len(soup.select(".case-summary")) == 2


FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}


def test_no_page_loads_anything_from_another_origin(site):
    for page in site.html_files():
        soup = site.soup(str(page.relative_to(site.output)))
        for element, attribute in [("script", "src"), ("link", "href"), ("img", "src"),
                                   ("iframe", "src"), ("source", "src")]:
            for node in soup.find_all(element):
                value = node.get(attribute, "")
                if element == "link" and not FETCHED_LINKS & set(node.get("rel", [])):
                    continue  # canonical and alternate links name a URL, nothing loads it
                assert not re.match(r"(https?:)?//", value), (page, value)


FEEDS = ["feeds/kaikki.atom.xml", "feeds/kaikki.rss.xml"]


@pytest.mark.parametrize("feed", FEEDS)
def test_site_feeds_carry_every_case_with_full_content(site, feed):
    parsed = feedparser.parse(site.path(feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {entry.title for entry in parsed.entries} == {header(c)["title"] for c in CASE_FILES}
    for entry in parsed.entries:
        body = entry.content[0].value if "content" in entry else entry.description
        assert len(body) > 400, entry.title


def test_tag_and_category_feeds_are_valid(site):
    feeds = sorted(site.output.glob("feeds/avainsana/*.xml")) + \
        sorted(site.output.glob("feeds/aihe/*.xml"))
    assert feeds
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.entries, feed


def test_english_catalogue_translates_the_interface(tmp_path):
    from conftest import build

    built = build(ROOT / "content", tmp_path, THEME_LANG="en")
    soup = built.soup("")
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True) == "Latest cases"
    case = CASE_FILES[0]
    published = datetime.fromisoformat(header(case)["date"].replace(" ", "T"))
    assert built.soup(f"{case_url(case)}/").select_one(".case-facts time").get_text() \
        == format_date(published, "long", locale="en")
