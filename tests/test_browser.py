"""The real site in headless Chromium: accessibility (axe-core), keyboard-only
use, no requests to other origins, and screenshots of a case page for a
person to look at (test-artifacts/)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import ROOT, axe_violations
from reader_support import SEARCH_DONE

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


def first_case(site) -> str:
    """The newest case, as linked from the home page."""
    return site.soup("").select_one(".case-list h2 a")["href"]


def first_tag(site) -> str:
    return site.soup("avainsanat/").select_one(".term-list a")["href"].removeprefix("../")


def search_term(site) -> str:
    """A long word from the newest case's title: the search must find it."""
    title = site.soup(first_case(site)).h1.get_text()
    return max(title.split(), key=len).strip(",.:;!?").lower()


def run_search(page, term: str) -> None:
    page.fill("#hakusana", term)
    page.wait_for_function(SEARCH_DONE)


@pytest.fixture(scope="module")
def key_pages(site) -> dict[str, str]:
    facet = site.soup("kanava/").select_one(".term-list a")["href"].removeprefix("../")
    return {"home": "", "case": first_case(site), "tag": first_tag(site), "search": "haku/",
            "page": "kirjoittajille/", "facet": facet, "archive": "arkisto/", "missing": "404.html"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "case", "tag", "search", "page", "facet", "archive",
                                  "missing"])
def test_axe_finds_no_violations(page, served_site, site, key_pages, kind, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served_site}/{key_pages[kind]}")
    if kind == "search":
        run_search(page, search_term(site))
        assert page.locator(".search-results li").count() >= 1
    assert axe_violations(page) == []


def tab_order(page, limit: int) -> list[int]:
    """Press Tab until focus leaves the page or `limit` presses; return the
    `data-link-index` of each link that took focus, in order."""
    order = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        index = page.evaluate("document.activeElement?.dataset?.linkIndex ?? null")
        if index is not None:
            order.append(int(index))
        elif page.evaluate("document.activeElement === document.body"):
            break
    return order


@pytest.mark.parametrize("kind", ["home", "case", "tag", "search"])
def test_keyboard_alone_reaches_every_link_skip_link_first(page, served_site, key_pages, kind):
    page.goto(f"{served_site}/{key_pages[kind]}")
    # Number every link a reader can see or reach (the skip link shows on focus).
    count = page.evaluate("""() => {
        const links = [...document.querySelectorAll('a[href]')].filter(
            a => a.classList.contains('skip-link') || a.checkVisibility());
        links.forEach((a, i) => a.dataset.linkIndex = i);
        return links.length;
    }""")
    controls = page.locator("input, button, summary, select, textarea").count()
    order = tab_order(page, count + controls + 5)
    skip = page.evaluate("document.querySelector('a.skip-link').dataset.linkIndex")
    assert order and order[0] == int(skip)
    assert sorted(set(order)) == list(range(count))


def test_skip_link_moves_focus_to_the_content(page, served_site, key_pages):
    page.goto(f"{served_site}/{key_pages['case']}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.locator("a.skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sisalto"


@pytest.mark.parametrize("width,height", [(375, 812), (1280, 900)])
def test_case_page_screenshot(browser, served_site, key_pages, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{served_site}/{key_pages['case']}")
        # Nothing may be wider than the screen (no sideways scrolling).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"case-{width}px.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()


def test_no_page_requests_anything_from_another_origin(page, served_site, site):
    origin = urlsplit(served_site)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    pages = [p.relative_to(site.output).as_posix() for p in site.html_files()
             if "pagefind" not in p.parts]
    for path in pages:
        page.goto(f"{served_site}/{path}")
        if path == "haku/index.html":
            run_search(page, search_term(site))
    foreign = [url for url in requested
               if urlsplit(url).scheme not in ("data", "blob")
               and (urlsplit(url).hostname, urlsplit(url).port) != (origin.hostname, origin.port)]
    assert len(pages) > 20 and any("/pagefind/" in url for url in requested)
    assert foreign == []
