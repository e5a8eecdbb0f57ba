"""The phrasebook in headless Chromium: axe in light, dark and forced
colours, the two columns side by side on a wide screen and stacked on a
narrow one, a print layout without the site's navigation, and the search's
pattern filter."""

from __future__ import annotations

import pytest

from conftest import axe_violations
from reader_support import SEARCH_DONE

pytestmark = pytest.mark.browser

PAGES = {"phrasebook": "fraasit/", "pattern": "fraasit/syyllistaminen/",
         "alone": "fraasit/lammin-lopetus/"}


@pytest.mark.parametrize("colours", [{"color_scheme": "light"}, {"color_scheme": "dark"},
                                     {"forced_colors": "active"}],
                         ids=["light", "dark", "forced"])
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_violations(page, served_site, kind, colours):
    page.emulate_media(**colours)
    page.goto(f"{served_site}/{PAGES[kind]}")
    assert axe_violations(page) == []


def column_boxes(page) -> list[dict]:
    return [column.bounding_box() for column in page.locator(".phrase-column").all()]


@pytest.mark.parametrize(("width", "side_by_side"), [(1280, True), (375, False)])
def test_the_columns_sit_side_by_side_only_on_a_wide_screen(browser, served_site, width,
                                                            side_by_side):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{served_site}/{PAGES['pattern']}")
    fault, strength = column_boxes(page)
    if side_by_side:
        assert fault["y"] == strength["y"] and fault["x"] + fault["width"] <= strength["x"]
    else:
        assert strength["y"] >= fault["y"] + fault["height"] and fault["x"] == strength["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_a_pattern_page_prints_as_a_handout(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{served_site}/{PAGES['pattern']}")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".listing-feeds").is_visible()
    fault, strength = column_boxes(page)
    assert strength["y"] >= fault["y"] + fault["height"]
    assert page.locator(".phrase-text").first.is_visible()
    assert len(page.pdf(format="A4")) > 1000
    context.close()


def test_the_search_filters_by_pattern(page, served_site, site):
    expected = {"/" + a["href"].split("#")[0].removeprefix("../../") for a in
                site.soup(PAGES["alone"]).select(".phrase-source a")}
    page.goto(f"{served_site}/haku/")
    page.click(".search-filters summary")
    page.check('input[name="pattern"][value="Lämmin lopetus"]')
    page.wait_for_function(SEARCH_DONE)
    links = page.locator(".search-results h2 a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    assert sorted(links) == sorted(expected)
    assert len(expected) == 2
