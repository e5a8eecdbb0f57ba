"""The search index Pagefind writes after the build, and the search page's
HTML (the browser tests in test_browser_search.py run it)."""

from __future__ import annotations

import gzip
import json

import pytest
from bs4 import BeautifulSoup

import reader_support
from conftest import real_settings, run_pelican
from reader_support import CASES, write_content

# The known cases' fixture, by name, so that pytest finds it here.
reader_site = reader_support.reader_site


def test_index_covers_exactly_the_cases_in_finnish(reader_site):
    entry = json.loads(reader_site.path("pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fi"]
    assert entry["languages"]["fi"]["page_count"] == len(CASES)
    assert reader_site.path("pagefind/wasm.fi.pagefind").exists()


def test_only_the_search_page_loads_javascript(reader_site):
    with_scripts = []
    for page in reader_site.html_files():
        if "pagefind" in page.relative_to(reader_site.output).parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]:
            with_scripts.append(page.relative_to(reader_site.output).as_posix())
    assert with_scripts == ["haku/index.html"]


def test_search_form_offers_every_facet_value_and_tag_as_a_filter(reader_site):
    soup = reader_site.soup("haku/")
    form = soup.select_one("form.search")
    hiding = soup.head.select_one("noscript").decode_contents()
    assert ".search { display: none; }" in hiding, "without JavaScript the form must not show"
    legends = [legend.get_text() for legend in form.select("legend")]
    assert legends == ["Kanava", "Toimiala", "Lopputulos", "Avainsanat"]
    offered = {(box["name"], box["value"]) for box in form.select("input[type=checkbox]")}
    expected = set()
    for case in CASES.values():
        header = case["header"]
        expected |= {("channel", header["Channel"]), ("sector", header["Sector"]),
                     ("outcome", header["Outcome"])}
        expected |= {("tag", tag.strip()) for tag in header["Tags"].split(",")}
    assert offered == expected
    for box in form.select("input[type=checkbox]"):
        assert box.find_parent("label").get_text(strip=True) == box["value"]


def test_search_page_without_javascript_links_the_tag_and_facet_pages(reader_site):
    soup = reader_site.soup("haku/")
    fallback = BeautifulSoup(soup.select_one("main noscript").decode_contents(), "html.parser")
    hrefs = [a["href"] for a in fallback.select("a")]
    assert hrefs == ["../kanava/", "../toimiala/", "../lopputulos/", "../avainsanat/",
                     "../arkisto/"]
    for href in hrefs:
        assert reader_site.path(f"haku/{href}index.html").resolve().exists()


def test_case_pages_are_found_wherever_article_save_as_puts_them(tmp_path):
    content = write_content(tmp_path)
    result = run_pelican(content, tmp_path / "output",
                         ARTICLE_SAVE_AS="tapaukset/{date:%Y}/{slug}.html",
                         ARTICLE_URL="tapaukset/{date:%Y}/{slug}.html")
    assert result.returncode == 0, result.stderr
    entry = json.loads((tmp_path / "output" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["fi"]["page_count"] == len(CASES)


def test_search_index_can_be_turned_off(tmp_path):
    result = run_pelican(write_content(tmp_path), tmp_path / "output", SEARCH_INDEX=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "haku" / "index.html").exists()
    assert not (tmp_path / "output" / "pagefind").exists()


def test_failed_indexing_fails_the_build_with_the_reason_and_a_fix(tmp_path):
    result = run_pelican(write_content(tmp_path), tmp_path / "output",
                         SEARCH_EXCLUDE_SELECTORS=["[[["])
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("Search index failed: Pagefind could not index")
    assert "Fix: check SEARCH_EXCLUDE_SELECTORS" in message
    assert "Traceback" not in result.stderr


def test_a_build_after_a_failed_one_indexes_its_own_pages(tmp_path):
    """When a build fails, the next build in the same program (the preview
    server's) indexes its own pages, not what the failed one left."""
    import shutil
    import subprocess
    import sys

    from benchmarks.corpus import generate
    from conftest import ROOT

    content = generate(3, tmp_path)
    theme = tmp_path / "broken-theme"
    shutil.copytree(ROOT / "theme", theme)
    index = theme / "templates" / "index.html"
    index.write_text("{{ no_such.thing }}" + index.read_text(encoding="utf-8"), encoding="utf-8")
    program = f"""
import shutil
from pelican import Pelican
from pelican.settings import read_settings

def build(**override):
    settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
        "PATH": {str(content)!r}, "OUTPUT_PATH": {str(tmp_path / "output")!r},
        **override}})
    Pelican(settings).run()

try:
    build(THEME={str(theme)!r})
except Exception as error:
    print("failed", type(error).__name__)
case = {str(content / "cases")!r} + "/tapaus-00001.md"
shutil.copy(case, case.replace("00001", "00004"))
build()
print("built")
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                            text=True)
    said = [line for line in result.stdout.splitlines() if line.startswith(("failed", "built"))]
    assert said == ["failed UndefinedError", "built"], result.stdout + result.stderr
    entry = json.loads((tmp_path / "output" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["fi"]["page_count"] == 4


def fragment_texts(bundle) -> dict[str, dict]:
    """Each indexed page's fragment (URL, text, meta), read from Pagefind's bundle."""
    pages = {}
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data.removeprefix(b"pagefind_dcd"))
        pages[fragment["url"]] = fragment
    return pages


def test_comment_text_is_indexed_but_not_the_commenters_names(site):
    """The real sample comments: their text is searchable, their names are not."""
    from hyva.cases import comments_root
    from hyva.commentfile import load

    pages = fragment_texts(site.path("pagefind"))
    comment = pages["/uutiskirje-paljasti-osoitteet/"]["content"]
    assert "tietosuojaviranomaiselta" in comment, "a word only a comment has"
    comments = [load(path) for path in comments_root(real_settings()).rglob("*.md")]
    # Names the text itself says (a reply that greets a commenter) are text.
    said = " ".join(comment.text for comment in comments)
    names = {comment.author for comment in comments if comment.author not in said} - {""}
    assert len(names) > 3
    for fragment in pages.values():
        assert not [name for name in names if name in fragment["content"]], fragment["url"]


def test_the_title_is_the_case_title_without_marks(site):
    pages = fragment_texts(site.path("pagefind"))
    title = pages["/uutiskirje-paljasti-osoitteet/"]["meta"]["title"]
    assert title == "Vuotanut uutiskirje ja lahjakortti, joka otettiin takaisin"


def test_the_queries_cover_every_kind_on_both_sites():
    from benchmarks.search_quality import KINDS, load_queries

    queries = load_queries()
    assert len(queries) >= 60
    assert {(query.site, query.kind) for query in queries} == {
        (site, kind) for site in ("real", "corpus") for kind in KINDS}


@pytest.mark.browser
def test_the_search_quality_benchmark_runs(browser, tmp_path):
    from benchmarks.search_quality import KINDS, run

    table = run(cases=4, repeat=1, work=tmp_path, browser=browser)
    rows = [line for line in table.splitlines() if line.startswith(("| real", "| corpus"))]
    assert len(rows) == 2 * len(KINDS) + 2
