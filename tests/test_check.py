"""`invoke check`'s checker on the real site and on copies seeded with each
kind of problem it must catch."""

from __future__ import annotations

import email
import email.policy
import gzip
import html
import shutil
from email.utils import getaddresses
from pathlib import Path

import pytest
from pelican.settings import read_settings

from conftest import ROOT, build, write_case
from hyva_tools.check import (
    addresses,
    check_site,
    feeds,
    html_validity,
    links,
    report,
    run_checks,
    scripts,
    unpublished,
)
from hyva_tools.check.output import Problem

CASE = "koulukahvilan-vastaus-moitteeseen"


@pytest.fixture(scope="module")
def settings() -> dict:
    return read_settings(str(ROOT / "publishconf.py"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The real content built with publishconf.py, as `invoke publish` builds it."""
    return build(ROOT / "content", tmp_path_factory.mktemp("published"), "publishconf.py").output


@pytest.fixture
def seeded(published, tmp_path) -> Path:
    """A copy of the published site to plant problems in."""
    return Path(shutil.copytree(published, tmp_path / "output"))


def problems(check, output: Path, settings: dict) -> list[Problem]:
    return run_checks(output, settings, [check]).problems


def insert(output: Path, page: str, markup: str) -> None:
    """Put `markup` at the start of the page's <main>."""
    path = output / page
    text = path.read_text(encoding="utf-8")
    assert '<main id="sisalto"' in text
    path.write_text(text.replace('tabindex="-1">', f'tabindex="-1">{markup}', 1), encoding="utf-8")


def test_the_real_site_passes_every_check(published, settings):
    found = check_site(published, settings)
    assert found == [], report(found)


def test_html_errors_are_reported_with_file_and_line(published, settings, tmp_path):
    # Two pages are enough to show the reporting, and the checker is quicker.
    (tmp_path / "tietoa").mkdir()
    shutil.copy(published / "tietoa" / "index.html", tmp_path / "tietoa" / "index.html")
    shutil.copy(published / "index.html", tmp_path / "index.html")
    insert(tmp_path, "tietoa/index.html", '<p id="sisalto">Toinen samanniminen</p>')
    found = problems(html_validity.CHECK, tmp_path, settings)
    assert [problem.file for problem in found] == ["tietoa/index.html"]
    assert "Duplicate ID" in found[0].message and "line " in found[0].message


def test_checkers_at_work_side_by_side_report_every_batch(published, settings, tmp_path,
                                                          monkeypatch):
    """Batches of two pages, so that one checker per core runs at once: an
    error in any batch is reported against its own page."""
    pages = [Path("index.html"), *sorted(path.relative_to(published)
                                         for path in published.glob("*/*/index.html"))[:6]]
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(published / page, tmp_path / page)
    broken = [pages[0].as_posix(), pages[-1].as_posix()]
    for page in broken:
        insert(tmp_path, page, '<p id="sisalto">Toinen samanniminen</p>')
    monkeypatch.setattr(html_validity, "BATCH", 2)
    found = problems(html_validity.CHECK, tmp_path, settings)
    assert sorted(problem.file for problem in found) == sorted(broken), report(found)


@pytest.mark.parametrize(("pages", "cores", "sizes"), [
    (3849, 2, [1925, 1924]),
    (4001, 2, [1001, 1000, 1000, 1000]),
    (5, 2, [3, 2]),
    (1, 2, [1]),
    (0, 2, []),
])
def test_the_checker_pages_are_shared_evenly_among_the_cores(pages, cores, sizes):
    batches = html_validity.even_batches(list(range(pages)), cores)
    assert [len(batch) for batch in batches] == sizes
    assert sorted(page for batch in batches for page in batch) == list(range(pages))


def test_malformed_feed_is_reported(seeded, settings):
    feed = seeded / "feeds" / "kaikki.atom.xml"
    feed.write_bytes(feed.read_bytes()[:-40])
    found = problems(feeds.CHECK, seeded, settings)
    assert [problem.file for problem in found] == ["feeds/kaikki.atom.xml"]
    assert "not well-formed" in found[0].message


def test_broken_links_fragments_and_assets_are_reported(seeded, settings):
    site_url = settings["SITEURL"]
    insert(seeded, "tietoa/index.html",
           '<a href="../ei-ole/">x</a><a href="#ei-ankkuria">y</a>'
           f'<a href="{site_url}/ei-myoskaan/">z</a><a href="https://example.org/ei-ole/">ulkoinen</a>'
           '<a href="mailto:toimitus@hyvavastaus.fi">posti</a>')
    (seeded / "theme" / "css" / "compare.css").unlink()
    found = problems(links.CHECK, seeded, settings)
    on_page = [problem.message for problem in found if problem.file == "tietoa/index.html"]
    assert any("../ei-ole/ does not resolve" in message for message in on_page)
    assert any(f"{site_url}/ei-myoskaan/ does not resolve" in message for message in on_page)
    assert any("#ei-ankkuria" in message for message in on_page)
    assert not any("example.org" in message or "mailto" in message for message in on_page)
    missing_css = {problem.file for problem in found if "compare.css" in problem.message}
    pages = {path.relative_to(seeded).as_posix() for path in seeded.rglob("*.html")
             if "compare.css" in path.read_text(encoding="utf-8")}
    assert missing_css == pages and len(pages) > 3


def test_the_dev_build_with_relative_links_resolves(site):
    dev = read_settings(str(ROOT / "pelicanconf.py"))
    found = problems(links.CHECK, site.output, dev)
    assert found == [], report(found)


def test_foreign_addresses_are_found_however_written(seeded, settings):
    insert(seeded, "tietoa/index.html", "<p>Kirjoita: matti.meikalainen@example.com</p>")
    insert(seeded, "index.html", '<a href="mailto:liisa%40example.net">Liisa</a>')
    feed = seeded / "feeds" / "kaikki.rss.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "</channel>", "<item><title>x</title><description>p&amp;#101;kka&amp;#64;example.org"
                      "</description></item></channel>"), encoding="utf-8")
    (seeded / "pagefind" / "fragment").mkdir(parents=True, exist_ok=True)
    (seeded / "pagefind" / "fragment" / "fi_kylvetty.pf_fragment").write_bytes(
        gzip.compress(b'{"content":"kysy \\"anna.k\\"@example.fi"}'))
    found = problems(addresses.CHECK, seeded, settings)
    assert [problem.file for problem in found] == [
        "feeds/kaikki.rss.xml", "index.html", "pagefind/fragment/fi_kylvetty.pf_fragment",
        "tietoa/index.html"]
    assert not any("example" in problem.message for problem in found), "addresses are masked"
    assert "line " in found[-1].message


def test_the_sites_own_addresses_and_image_names_are_allowed(seeded, settings):
    insert(seeded, "tietoa/index.html",
           f"<p>{settings['CONTACT_EMAIL'].upper()} {settings['COMMENTS_EMAIL']}"
           '<img src="logo@2x.png" alt=""></p>')
    assert problems(addresses.CHECK, seeded, settings) == []


def test_binary_files_are_not_searched_but_escaped_feed_html_is(seeded, settings):
    # A static file of binary data is not text, whatever bytes it happens to hold.
    (seeded / "theme" / "kuva.bin").write_bytes(b"\x00\x01\x02data@example.com\x00")
    assert problems(addresses.CHECK, seeded, settings) == []
    # An entity escaped inside a feed's escaped HTML is an "@" a reader sees.
    feed = seeded / "feeds" / "kaikki.atom.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "</feed>", "<entry><title>x</title><content type=\"html\">nimi&amp;#64;example.com"
                   "</content></entry></feed>"), encoding="utf-8")
    assert [problem.file for problem in problems(addresses.CHECK, seeded, settings)] == [
        "feeds/kaikki.atom.xml"]


def corpus_addresses(corpora: Path) -> set[str]:
    """Addresses in the header fields of the public test mails."""
    found = set()
    for path in sorted((corpora / "email").iterdir()):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
        fields = [str(value) for key in ("From", "To", "Cc", "Reply-To", "Sender")
                  for value in message.get_all(key, [])]
        found |= {address for _, address in getaddresses(fields)
                  if "@" in address and "." in address.rpartition("@")[2]}
    return found


def test_every_address_in_real_mail_headers_is_recognised(shared_corpora):
    corpus = corpus_addresses(shared_corpora)
    assert len(corpus) > 10
    for address in corpus:
        for written in (address, html.escape(address).replace("@", "&#64;"),
                        "mailto:" + address.replace("@", "%40")):
            found = [found for _, found in
                     addresses.find_addresses(f"Lähettäjä <{written}> kirjoitti")]
            # An address with undecodable bytes in it is still caught by its
            # readable end, which is enough to stop the publish.
            assert len(found) == 1 and address.endswith(found[0]) and "@" in found[0], (
                f"missed {addresses.masked(address)} written as {written[:1]}…")


# name: (Status, Date); "tuleva" is published but dated in the future.
CASE_STATUSES = {
    "luonnos": ("draft", "2014-05-16 12:00"),
    "piilotettu": ("hidden", "2014-05-16 12:00"),
    "tuleva": (None, "2999-01-01 12:00"),
}


@pytest.fixture(scope="module")
def unpublished_content(tmp_path_factory) -> Path:
    """The real content plus a draft, a hidden and a future-dated case."""
    content = tmp_path_factory.mktemp("unpublished") / "content"
    shutil.copytree(ROOT / "content", content)
    for slug, (status, date) in CASE_STATUSES.items():
        write_case(content / "cases", slug, f"Tapaus {slug}", "Teksti.\n", date=date, status=status)
    return content


def test_draft_hidden_and_future_cases_in_the_output_are_reported(unpublished_content, tmp_path):
    dev = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(unpublished_content)})
    output = build(unpublished_content, tmp_path / "dev").output
    found = problems(unpublished.CHECK, output, dev)
    pages = {problem.file for problem in found if "its page is in the output" in problem.message}
    assert pages == {"drafts/luonnos.html", "piilotettu/index.html", "tuleva/index.html"}
    assert any(problem.file == "index.html" and "cases/tuleva.md" in problem.message
               and "dated in the future" in problem.message for problem in found)


def test_the_publish_build_leaves_out_drafts_and_future_cases(unpublished_content, tmp_path):
    publish = read_settings(str(ROOT / "publishconf.py"),
                            override={"PATH": str(unpublished_content)})
    output = build(unpublished_content, tmp_path / "public", "publishconf.py").output
    found = problems(unpublished.CHECK, output, publish)
    assert {problem.file for problem in found} == {"piilotettu/index.html"}
    assert "Status: hidden" in found[0].message


def test_comments_without_an_approved_file_are_reported(seeded, settings):
    assert 'id="kommentti-' in (seeded / CASE / "index.html").read_text(encoding="utf-8"), \
        "the real site shows comments"
    insert(seeded, f"{CASE}/index.html", '<article id="kommentti-0123456789abcdef">Hei</article>')
    found = problems(unpublished.CHECK, seeded, settings)
    assert [str(problem) for problem in found] == [
        f"{CASE}/index.html: comment 0123456789abcdef is not an approved comment "
        "(no file for it in content/comments)"]


def test_an_empty_output_folder_does_not_pass(tmp_path, settings):
    found = check_site(tmp_path, settings)
    assert [problem.message for problem in found] == [
        "there is no built site here (no index.html); build it first with `invoke preview`"]


def test_report_is_a_readable_list():
    found = [Problem("a/index.html", "first"), Problem("b.xml", "second")]
    assert report(found) == "a/index.html: first\nb.xml: second\n2 problems in the built site."


def test_scripts_handlers_and_javascript_links_are_reported(seeded, settings):
    insert(seeded, f"{CASE}/index.html",
           '<script>alert(1)</script>\n<script src="https://example.org/x.js"></script>'
           '<button type="button" onclick="alert(2)">x</button>'
           '<a href="javascript:alert(3)">y</a><script type="application/ld+json">{}</script>')
    found = problems(scripts.CHECK, seeded, settings)
    assert {problem.file for problem in found} == {f"{CASE}/index.html"}
    messages = sorted(problem.message.split(": ", 1)[1].split(";")[0] for problem in found)
    assert messages == ["a javascript: link", "a script from https://example.org/x.js",
                        "an event handler (onclick=)", "an inline <script>"]
    assert all(problem.message.startswith("line ") for problem in found)


def test_a_script_pasted_into_a_case_is_reported_and_dot_files_are_skipped(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    case = content / "cases" / f"{CASE}.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n<script>alert('hei')</script>\n",
                    encoding="utf-8")
    (content / "cases" / "..md").write_text("ei tapaus", encoding="utf-8")
    public = read_settings(str(ROOT / "publishconf.py"), override={"PATH": str(content)})
    output = build(content, tmp_path / "public", "publishconf.py", SEARCH_INDEX=False).output
    found = [problem for problem in check_site(output, public,
                                               checks=(scripts.CHECK, unpublished.CHECK))]
    assert [(problem.file, problem.message.split(";")[0].split(": ", 1)[1]) for problem in found
            ] == [(f"{CASE}/index.html", "an inline <script>")]


def test_a_removed_comment_whose_file_is_back_is_reported(tmp_path, settings, published):
    from hyva_tools.check import removed_comments
    from hyva_tools.comment_import.removed import record_removal

    content = Path(shutil.copytree(ROOT / "content", tmp_path / "content"))
    local = {**settings, "PATH": str(content)}
    comments = content / "comments" / CASE
    back = sorted(comments.glob("*.md"))[0]
    record_removal(content / "comments", back.stem, CASE, None, "asiaton")
    found = problems(removed_comments.CHECK, published, local)
    assert [problem.message.split(" (")[0] for problem in found] == [
        f"comment {back.stem} was removed"]
    assert found[0].file.endswith(f"comments/{CASE}/{back.name}")
    assert "asiaton" in found[0].message and "Fix: delete the file" in found[0].message
    back.unlink()
    assert problems(removed_comments.CHECK, published, local) == []
