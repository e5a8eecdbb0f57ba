"""Reply comparisons in real headless Chromium: layout, print, accessibility."""

from __future__ import annotations

import pytest

import reply_compare_support
from conftest import axe_violations

compare_site = reply_compare_support.compare_site

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
