"""Reading aids and page metadata on a built site of known cases
(tests/reader_support.py): reading time, table of contents, related and
older/newer cases, canonical URLs, OpenGraph, JSON-LD, sitemap.xml and
robots.txt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import run_pelican
from reader_support import write_content

ORIGIN = "http://127.0.0.1:8000"  # SITE_ORIGIN in pelicanconf.py
CASE_SLUGS = ["muutto-kiitos", "kahvila-moite", "pankki-chat", "tele-jono"]  # oldest first


def facts(soup) -> dict[str, str]:
    facts = soup.select_one(".case-facts")
    return {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True)
            for div in facts.find_all("div")}


def json_ld(soup) -> dict:
    scripts = soup.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_reading_time_counts_the_words_of_the_case(reader_site):
    assert facts(reader_site.soup("muutto-kiitos/"))["Lukuaika"] == "4 minuuttia"
    assert facts(reader_site.soup("tele-jono/"))["Lukuaika"] == "1 minuutti"


def test_long_case_has_a_table_of_contents_linking_its_headings(reader_site):
    soup = reader_site.soup("muutto-kiitos/")
    toc = soup.select_one("nav.toc")
    assert toc is not None and toc.h2.get_text() == "Sisällys"
    links = [(a.get_text(), a["href"]) for a in toc.select("a")]
    headings = [(h.get_text(), f"#{h['id']}") for h in soup.select(".case-body h2")]
    assert links == headings and len(links) == 3


def test_short_case_has_no_table_of_contents(reader_site):
    assert reader_site.soup("kahvila-moite/").select_one("nav.toc") is None


def related(soup) -> list[tuple[str, str]]:
    return [(li.a["href"], li.select_one(".related-shared").get_text())
            for li in soup.select("section.related-cases li")]


def test_related_cases_share_tags_or_facets_newest_first_among_equals(reader_site):
    # tele-jono shares the outcome "huono", pankki-chat the tag "kiitos";
    # kahvila-moite shares nothing and is not suggested.
    assert related(reader_site.soup("muutto-kiitos/")) == [
        ("../tele-jono/", "(yhteistä: lopputulos huono)"),
        ("../pankki-chat/", "(yhteistä: avainsana kiitos)"),
    ]


def test_case_sharing_most_comes_first(reader_site):
    # pankki-chat shares "kiitos" with muutto-kiitos and "anteeksipyyntö" with
    # kahvila-moite: one each, so the newer kahvila-moite comes first.
    assert [href for href, _ in related(reader_site.soup("pankki-chat/"))] == [
        "../kahvila-moite/", "../muutto-kiitos/"]


@pytest.mark.parametrize("index", range(len(CASE_SLUGS)))
def test_older_and_newer_case_links_follow_the_dates(reader_site, index):
    pager = reader_site.soup(f"{CASE_SLUGS[index]}/").select_one("nav.case-pager")
    prev_link, next_link = pager.select_one('a[rel="prev"]'), pager.select_one('a[rel="next"]')
    older = CASE_SLUGS[index - 1] if index > 0 else None
    newer = CASE_SLUGS[index + 1] if index + 1 < len(CASE_SLUGS) else None
    assert (prev_link["href"] if prev_link else None) == (older and f"../{older}/")
    assert (next_link["href"] if next_link else None) == (newer and f"../{newer}/")


def test_every_page_names_its_own_canonical_url(reader_site):
    pages = [p for p in reader_site.html_files()
             if p.name == "index.html" and "pagefind" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        relative = page.parent.relative_to(reader_site.output).as_posix()
        expected = f"{ORIGIN}/" if relative == "." else f"{ORIGIN}/{relative}/"
        soup = reader_site.soup(page.relative_to(reader_site.output).as_posix())
        canonical = [link["href"] for link in soup.select('link[rel="canonical"]')]
        assert canonical == [expected], page
        assert soup.select_one('meta[property="og:url"]')["content"] == expected


def test_not_found_page_is_not_indexed_and_claims_no_address(reader_site):
    soup = reader_site.soup("404.html")
    assert soup.select_one('link[rel="canonical"]') is None
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"


def test_case_opengraph_tags(reader_site):
    soup = reader_site.soup("kahvila-moite/")
    og = {meta["property"]: meta["content"] for meta in soup.select("meta[property]")
          if meta["property"] != "article:tag"}
    assert og == {
        "og:site_name": "Hyvä vastaus",
        "og:locale": "fi_FI",
        "og:url": f"{ORIGIN}/kahvila-moite/",
        "og:type": "article",
        "og:title": "Kahvila vastasi moitteeseen",
        "og:description": "Kahvila vastasi moitteeseen.",
        "article:published_time": "2014-06-01T10:00:00+03:00",
    }
    assert [m["content"] for m in soup.select('meta[property="article:tag"]')] == [
        "moite", "anteeksipyyntö"]


def test_listing_pages_are_websites_in_opengraph(reader_site):
    soup = reader_site.soup("avainsana/kiitos/")
    assert soup.select_one('meta[property="og:type"]')["content"] == "website"
    assert not soup.select('script[type="application/ld+json"]')


def test_case_json_ld_is_a_schema_org_article(reader_site):
    data = json_ld(reader_site.soup("muutto-kiitos/"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == "Kiitos muuttofirmalle jäi ilman vastausta"
    assert data["datePublished"] == "2014-05-16T10:00:00+03:00"
    assert data["url"] == f"{ORIGIN}/muutto-kiitos/"
    assert data["author"] == {"@type": "Organization", "name": "Hyvä vastaus -toimitus"}
    assert data["keywords"] == ["kiitos", "vastaamatta", "sähköposti", "muutto", "huono"]
    assert "comment" not in data


def test_json_ld_cannot_be_closed_by_case_text(tmp_path):
    content = write_content(tmp_path)
    case = content / "cases" / "tele-jono.md"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "Title: Operaattorin puhelinjono", "Title: Jono <script>alert(1)</script>"),
        encoding="utf-8")
    result = run_pelican(content, tmp_path / "output", SEARCH_INDEX=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "output" / "tele-jono" / "index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert json.loads(block)["headline"] == "Jono alert(1)"


COMMENT = """Id: {id}
Case: muutto-kiitos
Author: {author}
Date: {date}
{extra}
{text}
"""


def test_json_ld_lists_comments_and_replies_without_addresses(tmp_path):
    content = write_content(tmp_path)
    comments = content / "comments" / "muutto-kiitos"
    comments.mkdir(parents=True)
    (comments / "aaaa1111bbbb2222.md").write_text(COMMENT.format(
        id="aaaa1111bbbb2222", author="Menninkäinen", date="2014-05-17T08:12:00+03:00",
        extra="", text="Hyvä että kiitit."), encoding="utf-8")
    (comments / "cccc3333dddd4444.md").write_text(COMMENT.format(
        id="cccc3333dddd4444", author="Hyvä vastaus -toimitus",
        date="2014-05-17T09:00:00+03:00", extra="Parent: aaaa1111bbbb2222\nRole: author\n",
        text="Kiitos kommentista!"), encoding="utf-8")
    result = run_pelican(content, tmp_path / "output", SEARCH_INDEX=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "output" / "muutto-kiitos" / "index.html").read_text(encoding="utf-8")
    data = json_ld(BeautifulSoup(html, "html.parser"))
    assert data["commentCount"] == 2
    [comment] = data["comment"]
    assert comment["author"] == {"@type": "Person", "name": "Menninkäinen"}
    assert comment["text"] == "Hyvä että kiitit."
    assert comment["dateCreated"] == "2014-05-17T08:12:00+03:00"
    [reply] = comment["comment"]
    assert reply["author"] == {"@type": "Organization", "name": "Hyvä vastaus -toimitus"}
    assert reply["text"] == "Kiitos kommentista!"
    assert reply["url"] == f"{ORIGIN}/muutto-kiitos/#kommentti-cccc3333dddd4444"
    assert "@" not in json.dumps(data).replace("@context", "").replace("@type", "")


def test_sitemap_lists_every_page_but_the_404(reader_site):
    tree = ET.parse(reader_site.path("sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.text for loc in tree.findall("s:url/s:loc", ns)}
    cases = {f"{ORIGIN}/{slug}/" for slug in CASE_SLUGS}
    listings = {f"{ORIGIN}/", f"{ORIGIN}/haku/", f"{ORIGIN}/avainsana/kiitos/",
                f"{ORIGIN}/kanava/sahkoposti/", f"{ORIGIN}/lopputulos/hyva/"}
    assert cases | listings <= urls
    assert not any("404" in url for url in urls)
    assert all(url.startswith(f"{ORIGIN}/") and url.endswith("/") for url in urls)


def test_robots_txt_allows_all_and_names_the_sitemap(reader_site):
    lines = reader_site.path("robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    assert not [line for line in lines if line.startswith("Disallow: /")]


BUDGET_BYTES = 50 * 1024


def case_pages(site) -> list:
    return [page for page in site.output.glob("*/index.html")
            if site.soup(page.relative_to(site.output).as_posix()).select_one("article.case")]


def test_every_real_case_page_fits_50_kb_with_its_css_and_runs_no_script(site):
    pages = case_pages(site)
    assert pages, "the real site has no case pages"
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        styles = [(page.parent / link["href"]).resolve()
                  for link in soup.select('link[rel="stylesheet"]')]
        total = page.stat().st_size + sum(style.stat().st_size for style in styles)
        assert total <= BUDGET_BYTES, f"{page}: {total} bytes"
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        assert scripts == [], page


def test_toc_nests_subsections_and_skips_other_levels_and_headings_without_ids():
    import markdown

    from reader_extras.reading import toc_entries

    md = markdown.Markdown(extensions=["toc"])
    md.convert("# Otsikko\n\n## Alku\n\nteksti\n\n### Vastaus *ensin*\n\n#### Syvä\n\n## Loppu\n")
    tokens = md.toc_tokens
    tokens.append({"level": 2, "id": "", "name": "Ilman tunnusta", "children": []})
    assert toc_entries(tokens) == [
        {"level": 2, "id": "alku", "name": "Alku", "children": [
            {"level": 3, "id": "vastaus-ensin", "name": "Vastaus ensin", "children": []}]},
        {"level": 2, "id": "loppu", "name": "Loppu", "children": []},
    ]


def test_quotes_in_titles_tags_and_categories_stay_inside_feed_link_titles(tmp_path):
    content = write_content(tmp_path)
    case = content / "cases" / "tele-jono.md"
    case.write_text(case.read_text(encoding="utf-8")
                    .replace("Title: Operaattorin puhelinjono",
                             'Title: Sano "kiitos" & <em>heti</em>')
                    .replace("Tags: odotus", 'Tags: odotus "pitkä"')
                    .replace("Category: Palaute", 'Category: Palaute "suora"'), encoding="utf-8")
    result = run_pelican(content, tmp_path / "output", SEARCH_INDEX=False)
    assert result.returncode == 0, result.stderr
    titles = {}
    for page in ("tele-jono/", "avainsana/odotus-pitka/", "aihe/palaute-suora/"):
        html = (tmp_path / "output" / page / "index.html").read_text(encoding="utf-8")
        feeds = BeautifulSoup(html, "html.parser").select('link[type="application/atom+xml"]')
        titles[page] = [link["title"] for link in feeds][-1]
    assert titles == {"tele-jono/": 'Kommentit: Sano "kiitos" & heti (Atom)',
                      "avainsana/odotus-pitka/": 'Avainsanan odotus "pitkä" tapaukset (Atom)',
                      "aihe/palaute-suora/": 'Aihe Palaute "suora" (Atom)'}
