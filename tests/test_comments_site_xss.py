"""Every XSS payload of the shared corpus, posted as a comment text and as a
display name, is inert on the built page and in the feeds: checked in the
HTML and by loading the page in real Chromium."""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from comments_site_support import at, build_site, write_case, write_comment
from conftest import axe_violations

PAGE_TAGS = {"section", "h2", "h3", "ol", "li", "article", "p", "span", "a", "time", "div",
             "br", "code"}


def payloads(corpora) -> list[str]:
    files = sorted((corpora / "xss").glob("*.txt"))
    assert files, "no XSS payload files in the shared corpora"
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        found.append(text)
        found.extend(line for line in text.splitlines() if line.strip())
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, shared_corpora):
    content = tmp_path_factory.mktemp("content")
    write_case(content, "hyokkays", "Hyökkäys")
    texts = payloads(shared_corpora)
    for number, payload in enumerate(texts):
        name = " ".join(payload.split())[:120] or "Nimetön"
        write_comment(content, "hyokkays", f"x{number:04d}", name, at(1 + number % 28),
                      payload.replace("\0", ""), role="author" if number % 7 == 0 else None)
    return build_site(content, tmp_path_factory.mktemp("output")), len(texts)


def test_payloads_leave_only_the_comment_markup(hostile):
    site, count = hostile
    section = site.soup("hyokkays/").find(id="kommentit")
    assert len(section.select("li.comment")) == count
    for tag in section.find_all(True):
        assert tag.name in PAGE_TAGS, tag
        assert not any(attribute.startswith("on") for attribute in tag.attrs), tag
        if tag.name == "a":
            assert tag["href"].startswith(("http://", "https://", "#", "../", "mailto:")), tag
            if tag.find_parent(class_="comment-text"):
                assert tag["rel"] == ["nofollow", "ugc"], tag


def test_feeds_carry_payloads_as_escaped_text(hostile):
    site, count = hostile
    for feed in ["feeds/kommentit.atom.xml", "feeds/kommentit/hyokkays.atom.xml"]:
        raw = site.path(feed).read_text(encoding="utf-8")
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert "<script" not in raw.lower() and "<img" not in raw.lower()
        for entry in parsed.entries:
            tags = {tag.name for tag in BeautifulSoup(entry.content[0].value,
                                                      "html.parser").find_all(True)}
            assert tags <= {"p", "br", "a"}, entry.id


@pytest.mark.browser
def test_no_payload_runs_in_chromium(hostile, browser):
    site, _count = hostile
    page = browser.new_page()
    dialogs, errors, requests = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site.output / "hyokkays" / "index.html").as_uri())
    page.wait_for_load_state("load")
    page.mouse.move(10, 10)
    page.mouse.wheel(0, 20000)
    for comment in page.locator(".comment-text").all()[:40]:
        comment.hover()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    # The only scripts allowed are JSON-LD data blocks, and a name or text
    # cannot break out of them.
    for script in page.evaluate("[...document.scripts].map(s => [s.type, s.text])"):
        assert script[0] == "application/ld+json", script
        json.loads(script[1])
    page.close()


@pytest.mark.browser
def test_discussion_passes_axe(browser, tmp_path):
    content = tmp_path / "content"
    write_case(content, "kiitos", "Kiitos")
    write_comment(content, "kiitos", "a1", "Menninkäinen", at(17), "Laitoin palautetta.")
    write_comment(content, "kiitos", "a2", "Toimitus", at(18), "Kiitos!\n\nhttps://example.org/",
                  parent="a1", role="author")
    site = build_site(content, tmp_path / "output")
    for scheme in ["light", "dark"]:
        page = browser.new_page(color_scheme=scheme)
        page.goto((site.output / "kiitos" / "index.html").as_uri())
        violations = [v for v in axe_violations(page) if any(page.evaluate(
            "target => !!document.querySelector(target)?.closest('#kommentit')", node)
            for node in v["nodes"])]
        assert violations == [], (scheme, violations)
        page.close()
