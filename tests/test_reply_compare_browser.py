"""Reply comparisons in real headless Chromium: layout, print, accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def case_url(compare_site):
    return compare_site.path("vertailuja/index.html").as_uri()


def reply_boxes(page) -> list[dict]:
    return [reply.bounding_box() for reply in
            page.locator("section.reply-compare").first.locator("article.reply").all()]


def test_replies_sit_side_by_side_on_a_wide_screen(page, case_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(case_url)
    bad, good = reply_boxes(page)
    assert bad["y"] == good["y"]
    assert bad["x"] + bad["width"] <= good["x"]
    assert bad["width"] > 400


def test_replies_stack_on_a_phone(page, case_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(case_url)
    bad, good = reply_boxes(page)
    assert bad["x"] == good["x"]
    assert bad["y"] + bad["height"] <= good["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_print_shows_both_replies_and_every_note(page, case_url):
    page.goto(case_url)
    page.emulate_media(media="print")
    bad, good = reply_boxes(page)
    assert bad["y"] + bad["height"] <= good["y"]
    notes = page.locator("ol.reply-notes li")
    assert notes.count() == 7
    assert all(note.is_visible() for note in notes.all())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_case_page_has_no_axe_violations(page, case_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(case_url)
    assert axe_violations(page) == []


def test_only_the_number_links_to_the_note(page, case_url):
    """The footnote pattern: the phrase is marked, not a link; the number is,
    and a screen reader hears that it is a note."""
    page.goto(case_url)
    comparison = page.locator("section.reply-compare").first
    marks = comparison.locator("mark.reply-annotation")
    assert marks.count() == 2
    assert all(mark.evaluate("m => !m.closest('a')") for mark in marks.all())
    reference = comparison.locator("sup.note-ref a").first
    hidden = reference.locator(".visually-hidden").bounding_box()
    assert hidden["width"] <= 1 and hidden["height"] <= 1
    expect(reference).to_have_accessible_name("huomautus 1")
    reference.click()
    assert page.evaluate("location.hash") == "#vertailu-1-huomio-1"


def test_the_edges_of_a_phrase_show_only_without_the_style(page, case_url):
    page.goto(case_url)
    mark = page.locator("mark.reply-annotation").first
    assert not mark.inner_text().startswith("[")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != \
        page.locator(".reply-good mark.reply-annotation").first.evaluate(
            "m => getComputedStyle(m).backgroundColor")
    page.emulate_media(media="print")
    assert mark.inner_text().startswith("[") and mark.inner_text().endswith("]")


@pytest.mark.parametrize("width", [375, 1280])
def test_back_links_are_targets_of_24_px_named_as_they_read(page, case_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(case_url)
    backs = page.locator("a.note-back")
    assert backs.count() == 7
    for back in backs.all():
        box = back.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        number = back.get_attribute("href").rsplit("-", 1)[1]
        assert back.inner_text() == f"↩ Takaisin kohtaan {number}"
        expect(back).to_have_accessible_name(f"Takaisin kohtaan {number}")
