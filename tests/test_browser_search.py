"""The search page in real headless Chromium against a built site of known
cases (tests/reader_support.py) served on 127.0.0.1."""

from __future__ import annotations

import pytest

import reader_support
from conftest import axe_violations, build, write_case
from reader_support import CASES, SEARCH_DONE, serve, write_content

# The known cases' fixtures, by name, so that pytest finds them here.
reader_site = reader_support.reader_site
served_reader_site = reader_support.served_reader_site

pytestmark = pytest.mark.browser


def search(page, base: str, term: str = "", checks: tuple[tuple[str, str], ...] = ()):
    """Type `term`, tick the filters, return (status text, result links)."""
    page.goto(f"{base}/haku/")
    page.fill("#hakusana", term)
    if checks:
        page.click(".search-filters summary")
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


def test_a_search_overtaken_by_a_new_filter_never_fills_the_list(page, served_reader_site):
    # Search once so that Pagefind is loaded, then hold the next search's index
    # requests until the reader has ticked a filter, and let that search finish:
    # its unfiltered results must neither fill the list nor end the wait.
    search(page, served_reader_site, "kahvia")
    held = []

    def hold(route):
        if held is None:
            route.continue_()
        else:
            held.append(route)

    page.route("**/pagefind/**", hold)
    page.fill("#hakusana", "asiakaspalvelu")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the search asked for no index files"
    page.click(".search-filters summary")
    page.check('input[name="outcome"][value="huono"]')
    routes, held = held, None
    for route in routes:
        route.continue_()
    page.wait_for_function(SEARCH_DONE)
    links = page.locator(".search-results h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == ["/muutto-kiitos/", "/tele-jono/"]


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


# --- Compound words (plugins/search_index/compounds.py) --------------------

MARKERS = "\u2e22\u2e23\u2e24\u2e25"


def excerpts(page) -> list[dict]:
    """Each result's excerpt text and highlighted words."""
    return page.locator(".search-results li p").evaluate_all(
        "ps => ps.map(p => ({text: p.textContent,"
        " marks: [...p.querySelectorAll('mark')].map(m => m.textContent)}))")


@pytest.mark.parametrize("term", ["kortti", "korttia", "lahjakortti"])
def test_a_part_of_a_compound_finds_the_case_that_has_the_compound(page, served_site, term):
    # The real case says "lahjakortti", "lahjakortin", "lahjakortteja", never "kortti".
    status, links = search(page, served_site, term)
    assert links[0] == "/uutiskirje-paljasti-osoitteet/"
    [first, *_] = excerpts(page)
    assert first["marks"] and all(mark.lower().startswith("lahjakort") for mark in first["marks"])
    assert not set(first["text"]) & set(MARKERS + "↩")


def test_a_part_finds_every_case_that_has_it_in_a_compound(page, served_site):
    # Both say "muuttofirmalle"; neither says "firma" alone.
    _, links = search(page, served_site, "firma")
    assert {"/kiitos-jai-ilman-vastausta/", "/koulukahvilan-vastaus-moitteeseen/"} <= set(links)


@pytest.fixture(scope="module")
def compound_site(tmp_path_factory):
    """The known cases plus two that tell a word from a compound made with it."""
    root = tmp_path_factory.mktemp("compounds")
    content = write_content(root)
    write_case(content / "cases", "kortti-kassalla", "Kassan ongelma",
               "Kortti ei kelvannut kassalla, ja myyjä neuvoi maksamaan käteisellä.\n")
    write_case(content / "cases", "lahja-kassalla", "Kassan toinen ongelma",
               "Maksoin lahjakortilla, mutta kuitti katosi.\n")
    site = build(content, root / "output")
    with serve(site.output) as url:
        yield url


def test_the_word_itself_ranks_before_a_compound_that_has_it(page, compound_site):
    _, links = search(page, compound_site, "kortti")
    assert links == ["/kortti-kassalla/", "/lahja-kassalla/"]
    _, links = search(page, compound_site, "lahjakortti")
    assert links == ["/lahja-kassalla/"]
    [excerpt] = excerpts(page)
    assert excerpt["marks"] and set(excerpt["marks"]) == {"lahjakortilla,"}, excerpt


def test_excerpts_leave_out_the_title_and_headings(page, served_site):
    _, links = search(page, served_site, "anteeksipyyntö")
    assert links
    titles = page.locator(".search-results h2").all_inner_texts()
    for title, excerpt in zip(titles, excerpts(page), strict=True):
        assert title not in excerpt["text"]
        assert "Mitä tapahtui" not in excerpt["text"]
        assert not set(excerpt["text"]) & set(MARKERS + "↩")
        assert "Takaisin kohtaan" not in excerpt["text"]


# --- The page: results first, folded filters ------------------------------

@pytest.mark.parametrize("width", [375, 1280])
def test_the_box_and_the_first_result_fit_on_the_first_screen(browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        search(page, served_site, "asiakaspalvelu")
        for selector in ("#hakusana", ".search-results li"):
            box = page.locator(selector).first.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 800, (selector, box)
    finally:
        context.close()


def test_the_summary_counts_the_filters_that_are_on(page, served_reader_site):
    search(page, served_reader_site, "asiakaspalvelu", (("outcome", "huono"),
                                                        ("channel", "puhelin")))
    summary = page.locator(".search-filters summary")
    assert summary.inner_text() == "Rajaa tuloksia (2 rajausta valittuna)"
    page.uncheck('input[name="channel"][value="puhelin"]')
    assert summary.inner_text() == "Rajaa tuloksia (1 rajaus valittuna)"
    page.uncheck('input[name="outcome"][value="huono"]')
    assert summary.inner_text() == "Rajaa tuloksia"


def test_the_result_count_is_announced(page, served_reader_site):
    search(page, served_reader_site, "asiakaspalvelu")
    assert page.locator(".search-status").get_attribute("role") == "status"
    assert page.locator("[role=status]").inner_text() == f"Löytyi {len(CASES)} tapausta."


@pytest.mark.parametrize("folded", [True, False], ids=["filters closed", "filters open"])
def test_the_search_page_has_no_axe_violations(page, served_site, folded):
    search(page, served_site, "kortti")
    if not folded:
        page.click(".search-filters summary")
        assert page.locator(".search-filters fieldset").first.is_visible()
    else:
        assert not page.locator(".search-filters fieldset").first.is_visible()
    assert axe_violations(page) == []
