"""A facet is added in the settings alone: a copy of the project gets one
more CASE_FACETS entry, and `invoke new`, the build and its listing pages
follow without any change to code, templates or test fixtures."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, case_text, copy_project, invoke, real_settings, write_case
from hyva.errors import ContentError
from hyva.facets import spec_problem
from hyva.header import check_header

TONE = """
CASE_FACETS["tone"] = {
    "label": N_("Tone"),
    "title": N_("Cases by tone"),
    "url": "savy",
    "required": False,
    "multiple": False,
    "values": ["kohtelias", "tyly"],
}
"""


@pytest.fixture(scope="module")
def toned(tmp_path_factory):
    """A copied project with the facet "tone", two cases written by the
    test helper (one of them without a tone), built by `python -m pelican`."""
    project = copy_project(tmp_path_factory.mktemp("facet") / "project", content=False)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(TONE)
    cases = project / "content" / "cases"
    write_case(cases, "tyly-vastaus", "Tyly vastaus reklamaatioon", "Teksti.\n", tone="tyly")
    write_case(cases, "ilman-savya", "Tapaus ilman sävyä", "Teksti.\n", date="2014-05-17 10:00")
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    result = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py",
                             "-o", "output", "-e", "SEARCH_INDEX=false"],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def soup(project, relative: str) -> BeautifulSoup:
    return BeautifulSoup((project / "output" / relative / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def test_the_new_facet_gets_its_listing_pages(toned):
    listed = {a.get_text(strip=True) for a in soup(toned, "savy/tyly").select(".case-summary h2 a")}
    assert listed == {"Tyly vastaus reklamaatioon"}
    index = soup(toned, "savy")
    values = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in index.select(".term-list a")]
    assert values == ["tyly"]
    assert not (toned / "output" / "savy" / "kohtelias").exists()


def test_the_case_page_and_the_search_form_show_the_new_facet(toned):
    case = soup(toned, "tyly-vastaus")
    assert case.select_one('.case-facts a[href$="savy/tyly/"]').get_text() == "tyly"
    assert not soup(toned, "ilman-savya").select('.case-facts a[href*="savy/"]')
    boxes = {box["value"] for box in soup(toned, "haku").select("input[name=tone]")}
    assert boxes == {"tyly"}


def test_invoke_new_offers_and_checks_the_new_facet(toned):
    made = invoke(toned, "new", "Kohtelias kieltäytyminen")
    assert made.returncode == 0, made.stderr
    text = (toned / "content" / "cases" / "kohtelias-kieltaytyminen.md").read_text(encoding="utf-8")
    assert "\nTone: kohtelias\n" in text
    chosen = invoke(toned, "new", "Tyly kieltäytyminen", "--facet", "tone=tyly")
    assert chosen.returncode == 0, chosen.stderr
    text = (toned / "content" / "cases" / "tyly-kieltaytyminen.md").read_text(encoding="utf-8")
    assert "\nTone: tyly\n" in text
    wrong = invoke(toned, "new", "Väärä sävy", "--facet", "tone=lempeä")
    assert wrong.returncode == 1
    assert "Tone 'lempeä' is not a known tone; use one of: kohtelias, tyly" in wrong.stderr


def test_every_facet_spec_says_whether_it_is_required():
    for facet, spec in real_settings()["CASE_FACETS"].items():
        assert spec_problem(facet, spec) is None
        assert spec_problem(facet, {key: value for key, value in spec.items()
                                    if key != "required"}) \
            == f"CASE_FACETS[{facet!r}]['required'] must be True if every case must name it (bool)"


@pytest.mark.parametrize("required", [True, False])
def test_a_required_facet_must_be_named_an_optional_one_may_be_left_out(required):
    settings = real_settings()
    tone = {"label": "Tone", "title": "Cases by tone", "url": "savy", "required": required,
            "multiple": False, "values": ["kohtelias", "tyly"]}
    settings = {**settings, "CASE_FACETS": {**settings["CASE_FACETS"], "tone": tone}}
    text = case_text("Tapaus ilman sävyä", "Teksti.\n")
    if not required:
        assert check_header(text, settings, is_case=True) is None
        return
    with pytest.raises(ContentError) as error:
        check_header(text, settings, is_case=True)
    assert error.value.located("tapaus.md") == (
        "tapaus.md:1: the header has no Tone. "
        "Fix: add 'Tone: <value>' with one of: kohtelias, tyly")
