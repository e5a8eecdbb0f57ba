"""The search page in real headless Chromium against a built site of known
cases (tests/reader_support.py) served on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import build
from reader_support import (CASES, SEARCH_DONE, reader_site, serve,  # noqa: F401
                            served_reader_site, write_content)

pytestmark = pytest.mark.browser


def search(page, base: str, term: str = "", checks: tuple[tuple[str, str], ...] = ()):
    """Type `term`, tick the filters, return (status text, result links)."""
    page.goto(f"{base}/haku/")
    page.fill("#hakusana", term)
    for name, value in checks:
        page.check(f'input[name="{name}"][value="{value}"]')
    page.wait_for_function(SEARCH_DONE)
    status = page.locator(".search-status").inner_text()
    links = page.locator(".search-results h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return status, links


def test_inflected_finnish_word_finds_the_case(page, served_reader_site):
    # The case says "muuttofirmalle" and "Muuttofirman", never "muuttofirmaa".
    assert not any("muuttofirmaa" in case["body"].lower() for case in CASES.values())
    status, links = search(page, served_reader_site, "muuttofirmaa")
    assert links == ["/muutto-kiitos/"]
    assert status == "Löytyi 1 tapaus."


def test_filters_narrow_the_results(page, served_reader_site):
    _, everything = search(page, served_reader_site, "asiakaspalvelu")
    assert sorted(everything) == sorted(f"/{slug}/" for slug in CASES)

    status, bad = search(page, served_reader_site, "asiakaspalvelu", (("outcome", "huono"),))
    assert sorted(bad) == ["/muutto-kiitos/", "/tele-jono/"]
    assert status == "Löytyi 2 tapausta."

    _, bad_by_phone = search(page, served_reader_site, "asiakaspalvelu",
                             (("outcome", "huono"), ("channel", "puhelin")))
    assert bad_by_phone == ["/tele-jono/"]


def test_values_within_a_group_widen_and_work_without_a_term(page, served_reader_site):
    _, either = search(page, served_reader_site, "",
                       (("outcome", "huono"), ("outcome", "hyvä")))
    assert sorted(either) == ["/kahvila-moite/", "/muutto-kiitos/", "/tele-jono/"]
    _, tagged = search(page, served_reader_site, "", (("tag", "anteeksipyyntö"),))
    assert sorted(tagged) == ["/kahvila-moite/", "/pankki-chat/"]


def test_no_match_says_so(page, served_reader_site):
    status, links = search(page, served_reader_site, "kvanttitietokone")
    assert (status, links) == ("Tapauksia ei löytynyt.", [])


def test_query_in_the_address_is_searched_on_arrival(page, served_reader_site):
    page.goto(f"{served_reader_site}/haku/?q=kahvia")
    page.wait_for_function(SEARCH_DONE)
    assert page.input_value("#hakusana") == "kahvia"
    assert page.locator(".search-results h2 a").get_attribute("href") == "/kahvila-moite/"


def test_without_javascript_the_page_offers_the_listings(browser, served_reader_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{served_reader_site}/haku/")
        assert not page.locator("form.search").is_visible()
        links = page.locator("ul.search-fallback a")
        assert links.count() == 5
        assert all(links.nth(i).is_visible() for i in range(links.count()))
    finally:
        context.close()


def test_excerpts_of_attack_text_stay_text(page, tmp_path, shared_corpora):
    payloads = (shared_corpora / "xss" / "pat-XSS_Polyglots.txt").read_text(encoding="utf-8")
    content = write_content(tmp_path)
    case = content / "cases" / "tele-jono.md"
    fenced = "\n".join("    " + line for line in payloads.splitlines())
    case.write_text(case.read_text(encoding="utf-8") + "\nHyökkäysteksti:\n\n" + fenced + "\n",
                    encoding="utf-8")
    site = build(content, tmp_path / "output")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(site.output) as base:
        _, links = search(page, base, "alert")
        assert links == ["/tele-jono/"]
        tags = page.locator(".search-results *").evaluate_all(
            "nodes => [...new Set(nodes.map(n => n.localName))]")
    assert set(tags) <= {"li", "h2", "a", "p", "mark"}
    assert dialogs == []
