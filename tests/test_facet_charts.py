"""Charts of case counts (plugins/facet_charts): every number matches the
content, every bar links to its listing, and the pages pass axe in light and
dark in real Chromium, with a forced-colours screenshot in test-artifacts/."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from conftest import ROOT, axe_violations, build, real_settings, write_case
from hyva.cases import case_sources
from hyva.facets import facet_value, split_values

ARTIFACTS = ROOT / "test-artifacts"
CHART_PAGES = ["tilastot/", "kanava/", "toimiala/", "lopputulos/"]


@pytest.fixture(scope="module")
def charted(tmp_path_factory):
    """The real content plus cases naming several values, and a draft and a
    hidden case that no chart may count."""
    content = tmp_path_factory.mktemp("charts") / "content"
    shutil.copytree(ROOT / "content", content)
    cases = content / "cases"
    write_case(cases, "kaksi-kanavaa", "Puhelu ja sähköposti", "Teksti.\n",
               channel="sähköposti, puhelin", sector="tele, pankki", outcome="hyvä")
    write_case(cases, "toinen-tele", "Toinen operaattori", "Teksti.\n",
               sector="tele", outcome="huono", date="2015-01-02 10:00")
    write_case(cases, "luonnos", "Luonnos", "Teksti.\n", sector="energia", status="draft")
    write_case(cases, "piilossa", "Piilossa", "Teksti.\n", sector="terveys", status="hidden")
    site = build(content, tmp_path_factory.mktemp("charts-site"), SEARCH_INDEX=False)
    return content, site


def published_headers(content) -> list[dict]:
    settings = {**real_settings(), "PATH": str(content)}
    return [source.header for source in case_sources(settings)
            if source.status not in {"draft", "hidden"}]


def expected_counts(content) -> dict[str, Counter]:
    counts = {facet: Counter() for facet in real_settings()["CASE_FACETS"]}
    for header in published_headers(content):
        for facet, counter in counts.items():
            counter.update(split_values(header.get(facet, (0, ""))[1]))
    return counts


def chart_rows(table) -> dict[str, int]:
    """Row label -> the count the chart shows as text."""
    return {row.th.get_text(strip=True): int(row.select_one(".chart-count").contents[-1])
            for row in table.select("tbody tr")}


def listed_count(site, href: str, page: str) -> int:
    """The number a listing page states ("3 tapausta.")."""
    target = (site.output / page / href).resolve().relative_to(site.output.resolve())
    text = site.soup(f"{target.as_posix()}/").select_one("main p").get_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def test_the_facet_indexes_chart_every_value_with_its_number_of_cases(charted):
    content, site = charted
    expected = expected_counts(content)
    assert expected["sector"]["tele"] >= 3 and expected["channel"]["puhelin"] >= 2
    for facet, spec in real_settings()["CASE_FACETS"].items():
        index = site.soup(f"{spec['url']}/")
        table = index.select_one("table.chart")
        assert chart_rows(table) == {name: count for name, count in expected[facet].items()}
        assert [row.th.get_text(strip=True) for row in table.select("tbody tr")] == \
            [name for name in spec["values"] if expected[facet][name]]
        for row in table.select("tbody tr"):
            link = row.select_one("a.chart-bar")
            assert listed_count(site, link["href"], spec["url"]) == \
                int(link.select_one(".chart-count").contents[-1])
        assert index.select_one('a[href="../tilastot/"]')


def test_the_overview_charts_every_facet_and_sectors_by_outcome(charted):
    content, site = charted
    settings = real_settings()
    expected = expected_counts(content)
    overview = site.soup("tilastot/")
    tables = {table["id"]: table for table in overview.select("table.chart")}
    for facet, spec in settings["CASE_FACETS"].items():
        assert chart_rows(tables[f"kaavio-{spec['url']}"]) == dict(expected[facet])
    pairs = Counter()
    for header in published_headers(content):
        for sector in split_values(header["sector"][1]):
            for outcome in split_values(header["outcome"][1]):
                pairs[sector, outcome] += 1
    cross = tables["kaavio-toimiala-lopputulos"]
    outcomes = [th.get_text(strip=True) for th in cross.select("thead th")[1:]]
    assert outcomes == settings["CASE_FACETS"]["outcome"]["values"]
    longest = max(pairs.values())
    shown = {}
    for row in cross.select("tbody tr"):
        sector = row.th.get_text(strip=True)
        for outcome, cell in zip(outcomes, row.select("td"), strict=True):
            count = int(cell.select_one(".chart-count").contents[-1])
            shown[sector, outcome] = count
            assert float(cell.select_one("rect")["width"]) == round(100 * count / longest, 1)
            link = cell.select_one("a.chart-bar")
            if count:
                listing = "../" + facet_value(settings, "sector", sector).url
                assert link["href"] == row.th.a["href"] == listing
                assert (site.output / "tilastot" / link["href"] / "index.html").resolve().is_file()
            else:
                assert link is None
    assert {key: count for key, count in shown.items() if count} == dict(pairs)
    assert "energia" not in shown and "terveys" not in {sector for sector, _ in shown}
    intro = overview.select_one("main p").get_text()
    assert intro.startswith(f"{len(published_headers(content))} tapausta")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("chart_page", CHART_PAGES)
def test_axe_finds_no_violations_on_the_chart_pages(page, served_site, chart_page, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served_site}/{chart_page}")
    assert page.locator("table.chart rect").count() >= 1
    assert axe_violations(page) == []


BAR_COLOURS = """() => [...document.querySelectorAll('table.chart a.chart-bar')].map(bar => ({
    fill: getComputedStyle(bar.querySelector('rect')).fill,
    text: getComputedStyle(bar.querySelector('.chart-count')).color,
    page: getComputedStyle(document.body).backgroundColor}))"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["forced", "print"])
def test_bars_are_drawn_in_the_text_colour_in_forced_colours_and_print(browser, served_site,
                                                                       mode):
    context = browser.new_context(forced_colors="active" if mode == "forced" else "none",
                                  color_scheme="dark", viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        if mode == "print":
            page.emulate_media(media="print")
        page.goto(f"{served_site}/tilastot/")
        bars = page.evaluate(BAR_COLOURS)
        assert bars
        for bar in bars:
            assert bar["fill"] == bar["text"] != bar["page"]
        if mode == "print":
            assert {bar["fill"] for bar in bars} == {"rgb(0, 0, 0)"}
        else:
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "charts-forced-colours.png"), full_page=True)
    finally:
        context.close()
