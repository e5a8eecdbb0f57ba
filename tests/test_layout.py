"""The theme in real Chromium: no sideways scrolling from 320 px up, and dark mode."""

from __future__ import annotations

import pytest

from test_site import CASE_FILES, case_url

PAGES = ["", "arkisto/", "avainsanat/", "kanava/", "haku/"] + [f"{case_url(CASE_FILES[0])}/"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 768, 1920])
def test_pages_fit_the_screen_without_sideways_scrolling(page, served_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        page.goto(f"{served_site}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)


@pytest.mark.browser
def test_dark_mode_follows_the_system_setting(browser, served_site):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{served_site}/")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["dark"] == "rgb(19, 21, 24)"
