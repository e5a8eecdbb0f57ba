"""Feeds as feed readers show them: every link in an entry leads to a page and
an anchor of the built site (or elsewhere, absolutely), feeds name their
language, and a browser opening a feed shows a Finnish page, not raw XML."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from conftest import ROOT, axe_violations, build

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
ORIGIN = SETTINGS["SITE_ORIGIN"].rstrip("/")
ATOM = "{http://www.w3.org/2005/Atom}"


def feeds(site) -> list[str]:
    return sorted(path.relative_to(site.output).as_posix()
                  for path in site.output.glob("feeds/**/*.xml"))


def parse(site, feed: str):
    """The feed as a reader parses it: relative links resolve against the
    feed's own address, as they do in newsboat and feedparser."""
    return feedparser.parse(site.path(feed).read_bytes(),
                            response_headers={"content-location": f"{ORIGIN}/{feed}",
                                              "content-type": "application/xml"})


def entry_links(entry) -> list[str]:
    bodies = [content.value for content in entry.get("content", [])]
    bodies.append(entry.get("summary", ""))
    return [link for body in bodies for link in re.findall(r'\s(?:href|src)="([^"]*)"', body)]


def target(site, url: str) -> tuple[str, str] | None:
    """The built file and fragment a link of this site leads to, or None for
    a link elsewhere (another host, mailto:)."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    path = parts.path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, parts.fragment


def ids(site, page: str, cache: dict) -> set[str] | None:
    if page not in cache:
        file = site.path(page)
        cache[page] = {tag["id"] for tag in BeautifulSoup(
            file.read_text(encoding="utf-8"), "html.parser").find_all(id=True)} \
            if file.is_file() and page.endswith(".html") else None
    return cache[page]


def test_every_link_in_every_feed_entry_leads_to_a_page_and_anchor_that_exist(site):
    cache: dict = {}
    broken, to_anchors, checked = [], 0, 0
    for feed in feeds(site):
        parsed = parse(site, feed)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            for link in entry_links(entry):
                found = target(site, link)
                if found is None:
                    assert urlsplit(link).scheme in ("http", "https", "mailto"), (feed, link)
                    continue
                checked += 1
                page, fragment = found
                anchors = ids(site, page, cache)
                if anchors is None or (fragment and fragment not in anchors):
                    broken.append(f"{feed}: {entry.title}: {link}")
                to_anchors += bool(fragment)
    assert broken == []
    # Every note and back-link of every case is in the site feed at least.
    assert checked > 50 and to_anchors > 50


def test_a_notes_links_lead_to_its_own_case_page(site):
    parsed = parse(site, "feeds/kaikki.atom.xml")
    for entry in parsed.entries:
        for link in entry_links(entry):
            if "#vertailu-" in link:
                assert link.startswith(entry.link + "#"), (entry.title, link)


def test_feed_content_carries_no_ids_to_clash_in_a_river_of_entries(site):
    bodies = 0
    for feed in feeds(site):
        root = ElementTree.parse(site.path(feed)).getroot()
        for body in [*root.iter(f"{ATOM}content"), *root.iter("description")]:
            bodies += 1
            assert not re.search(r"\sid=", body.text or ""), feed
    assert bodies > 10


@pytest.mark.parametrize("feed", ["feeds/kaikki.atom.xml", "feeds/kaikki.rss.xml",
                                  "feeds/aihe/reklamaatiot.atom.xml",
                                  "feeds/aihe/reklamaatiot.rss.xml"])
def test_case_feeds_name_their_language(site, feed):
    assert parse(site, feed).feed.language == "fi"


def test_links_outside_the_cases_content_are_made_absolute_or_unlinked(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    (content / "cases").mkdir()
    (content / "cases" / "kokeilu.md").write_text(
        "Title: Kokeilu\nDate: 2020-01-02 10:00\nCategory: Reklamaatiot\n"
        "Channel: sähköposti\nSector: tele\nOutcome: huono\n\n"
        "## Alku {#alku}\n\nKatso [alku](#alku), [puuttuva kohta](#ei-ole) ja "
        "[arkisto](../arkisto/).\n", encoding="utf-8")
    built = build(content, tmp_path / "output", SEARCH_INDEX=False)
    entry = parse(built, "feeds/kaikki.atom.xml").entries[0]
    body = entry.content[0].value
    assert f'href="{ORIGIN}/kokeilu/#alku"' in body
    assert f'href="{ORIGIN}/arkisto/"' in body
    assert "puuttuva kohta" in body and "ei-ole" not in body


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_browser_shows_a_feed_as_a_finnish_page(page, served_site, site, scheme):
    page.emulate_media(color_scheme=scheme)
    for feed in ("feeds/kaikki.atom.xml", "feeds/avainsana/savy.rss.xml"):
        page.goto(f"{served_site}/{feed}")
        parsed = parse(site, feed)
        assert page.locator("html").get_attribute("lang") == "fi"
        assert page.locator("h1").inner_text() == parsed.feed.title
        assert "Tämä on syöte." in page.locator("main").inner_text()
        links = page.locator("main li a")
        assert links.count() == len(parsed.entries)
        assert {links.nth(i).get_attribute("href") for i in range(links.count())} \
            == {entry.link for entry in parsed.entries}
        # Chromium adds a banner of its own about XSLT; the rest is ours.
        page.evaluate("document.querySelector('xslt-warning-banner')?.remove()")
        assert axe_violations(page) == [], feed
