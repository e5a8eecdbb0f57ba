"""Comments on the built site: threads, counts in listings, the mailto link,
comment feeds and clear errors, from comment files in temp folders."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from lxml import etree

from comments_site_support import at, build_site, failed_build_log, write_case, write_comment

COMMENTS_EMAIL = "kommentit@hyvavastaus.fi"


@pytest.fixture(scope="module")
def discussion(tmp_path_factory):
    """Three cases: a threaded discussion, one comment, and none at all."""
    content = tmp_path_factory.mktemp("content")
    write_case(content, "kiitos", "Kiitos jäi vaille vastausta")
    write_case(content, "yksi", "Yhden kommentin tapaus", date="2014-05-15 10:00")
    write_case(content, "hiljainen", "Tapaus ilman kommentteja", date="2014-05-14 10:00")
    write_comment(content, "kiitos", "c1", "Menninkäinen", at(17, 8), "Laitoin palautetta.")
    write_comment(content, "kiitos", "c2", "Toimitus", at(17, 9), "Hienoa!", parent="c1",
                  role="author")
    write_comment(content, "kiitos", "c3", "Hehkuvainen", at(18),
                  "Samaa mieltä.\n\nToinen kappale.",
                  parent="c2")
    write_comment(content, "kiitos", "c4", "Aamuvirkku", at(16, 20), "Ensimmäinen!")
    write_comment(content, "kiitos", "c5", "Myöhäinen", at(19), "Vastaus poistettuun.",
                  parent="poistettu")
    write_comment(content, "yksi", "d1", "Nimetön", at(20, 23, 30), "Lue https://example.org/a.")
    return build_site(content, tmp_path_factory.mktemp("output"))


def thread_shape(items) -> list:
    """[(id, [replies...]), ...] from a `.comment-thread` or `.comment-replies` list."""
    shape = []
    for item in items.find_all("li", recursive=False):
        replies = item.find("ol", class_="comment-replies", recursive=False)
        shape.append((item.article["id"], thread_shape(replies) if replies else []))
    return shape


def test_comments_are_threaded_oldest_first(discussion):
    section = discussion.soup("kiitos/").find(id="kommentit")
    assert thread_shape(section.find("ol", class_="comment-thread")) == [
        ("kommentti-c4", []),
        ("kommentti-c1", [("kommentti-c2", [("kommentti-c3", [])])]),
        ("kommentti-c5", []),
    ]


def test_each_comment_shows_name_finnish_date_and_text(discussion):
    comment = discussion.soup("kiitos/").find(id="kommentti-c3")
    assert comment.select_one(".comment-author").get_text() == "Hehkuvainen"
    time = comment.find("time")
    assert time.get_text() == "18. toukokuuta 2014"
    assert time["datetime"] == "2014-05-18T12:00:00+03:00"
    assert [p.get_text() for p in comment.select(".comment-text p")] == ["Samaa mieltä.",
                                                                        "Toinen kappale."]


def test_late_evening_comment_is_dated_in_helsinki_time(discussion):
    time = discussion.soup("yksi/").find(id="kommentti-d1").find("time")
    assert time.get_text() == "20. toukokuuta 2014"


def test_replies_from_the_blog_are_marked_in_text(discussion):
    soup = discussion.soup("kiitos/")
    marked = [li.article["id"] for li in soup.select("li.comment-by-author")]
    assert marked == ["kommentti-c2"]
    role = soup.find(id="kommentti-c2").select_one(".comment-role")
    assert role.get_text() == "Blogin kirjoittaja"
    assert soup.find(id="kommentti-c1").select_one(".comment-role") is None


def test_heading_counts_every_comment_including_replies(discussion):
    assert discussion.soup("kiitos/").find(id="kommentit-otsikko").get_text() == "Kommentit (5)"
    assert discussion.soup("hiljainen/").find(id="kommentit-otsikko").get_text() == "Kommentit"


def test_listings_link_the_comment_count_to_the_discussion(discussion):
    for listing in ["", "kanava/sahkoposti/"]:
        badges = {}
        for summary in discussion.soup(listing).select(".case-summary"):
            link = summary.select_one("a.badge[href$='#kommentit']")
            badges[summary.h2.get_text(strip=True)] = link and link.get_text()
        assert badges == {"Kiitos jäi vaille vastausta": "5 kommenttia",
                          "Yhden kommentin tapaus": "1 kommentti",
                          "Tapaus ilman kommentteja": None}, listing


def test_the_archive_lists_titles_only_without_comment_counts(discussion):
    archive = discussion.soup("arkisto/")
    titles = {link.get_text() for link in archive.select(".archive-list a")}
    assert titles == {"Kiitos jäi vaille vastausta", "Yhden kommentin tapaus",
                      "Tapaus ilman kommentteja"}
    assert archive.select("a[href$='#kommentit']") == []


@pytest.mark.parametrize("slug", ["kiitos", "yksi", "hiljainen"])
def test_every_case_has_a_mailto_link_naming_the_case(discussion, slug):
    section = discussion.soup(f"{slug}/").find(id="kommentit")
    link = section.find("a", string="Kommentoi sähköpostilla")
    href = urlsplit(link["href"])
    assert (href.scheme, href.path) == ("mailto", COMMENTS_EMAIL)
    assert parse_qs(href.query) == {"subject": [f"[kommentti] {slug}"]}
    instructions = section.select_one(".comment-by-email").get_text(" ", strip=True)
    assert "Sähköpostiosoitettasi ei julkaista koskaan" in instructions
    assert f"[kommentti] {slug}" in instructions


@pytest.mark.parametrize("comment", ["c1", "c2", "c3", "c4", "c5"])
def test_every_comment_has_a_reply_link_naming_the_case_and_the_comment(discussion, comment):
    body = discussion.soup("kiitos/").find(id=f"kommentti-{comment}")
    link = body.select_one(".comment-reply a")
    assert link.get_text() == "Vastaa"
    assert link["aria-label"].startswith("Vastaa sähköpostilla kommenttiin, jonka kirjoitti ")
    href = urlsplit(link["href"])
    assert (href.scheme, href.path) == ("mailto", COMMENTS_EMAIL)
    assert parse_qs(href.query) == {"subject": [f"[kommentti] kiitos #{comment}"]}
    instructions = discussion.soup("kiitos/").select_one(".comment-by-email").get_text(" ")
    assert "käytä sen alla olevaa Vastaa-linkkiä" in instructions


def test_case_without_comments_says_so(discussion):
    section = discussion.soup("hiljainen/").find(id="kommentit")
    assert section.find("ol") is None
    assert "Ei vielä kommentteja." in section.get_text()


ATOM = "{http://www.w3.org/2005/Atom}"


def assert_rfc4287_elements(raw: bytes) -> None:
    """The element counts RFC 4287 requires of a feed and its entries
    (feedparser forgives their absence)."""
    feed = etree.fromstring(raw)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='self']")]
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "content", "author"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, (name, etree.tostring(entry))
        assert entry.find(f"{ATOM}author/{ATOM}name").text


def parse_feed(site, relative: str):
    raw = site.path(relative).read_bytes()
    assert_rfc4287_elements(raw)
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, (relative, parsed.get("bozo_exception"))
    assert parsed.version == "atom10", relative
    return parsed


def test_case_feed_lists_its_comments_newest_first_with_links_to_them(discussion):
    parsed = parse_feed(discussion, "feeds/kommentit/kiitos.atom.xml")
    assert parsed.feed.title == "Hyvä vastaus: kommentit tapaukseen ”Kiitos jäi vaille vastausta”"
    assert parsed.feed.language == "fi"
    assert [e.link.rsplit("#", 1)[1] for e in parsed.entries] == [
        "kommentti-c5", "kommentti-c3", "kommentti-c2", "kommentti-c1", "kommentti-c4"]
    page = discussion.soup("kiitos/")
    for entry in parsed.entries:
        assert entry.link.startswith("http://127.0.0.1:8000/kiitos/#")
        assert page.find(id=entry.link.rsplit("#", 1)[1]) is not None
        assert entry.id == entry.link
        assert entry.author and entry.published and entry.updated
    assert parsed.entries[1].title == "Hehkuvainen kommentoi tapausta ”Kiitos jäi vaille vastausta”"
    assert parsed.entries[1].content[0].value == "<p>Samaa mieltä.</p>\n<p>Toinen kappale.</p>"


def test_case_page_links_its_feed_and_the_site_feed(discussion):
    links = [a["href"] for a in discussion.soup("yksi/").select(".comment-feeds a")]
    assert links == ["../feeds/kommentit/yksi.atom.xml", "../feeds/kommentit.atom.xml"]
    for link in links:
        assert (discussion.output / "yksi" / link).resolve().is_file()


def test_case_without_comments_still_has_a_valid_feed(discussion):
    parsed = parse_feed(discussion, "feeds/kommentit/hiljainen.atom.xml")
    assert parsed.entries == []
    assert parsed.feed.updated.startswith("2014-05-14")


def test_site_feed_has_the_latest_comments_of_all_cases(discussion):
    parsed = parse_feed(discussion, "feeds/kommentit.atom.xml")
    assert parsed.feed.title == "Hyvä vastaus: uusimmat kommentit"
    assert [e.link.rsplit("/", 2)[1:] for e in parsed.entries[:2]] == [
        ["yksi", "#kommentti-d1"], ["kiitos", "#kommentti-c5"]]
    assert len(parsed.entries) == 6
    links = parsed.entries[0].content[0].value
    assert '<a href="https://example.org/a" rel="nofollow ugc">' in links


def test_site_feed_keeps_to_feed_max_items(tmp_path):
    content = tmp_path / "content"
    write_case(content, "paljon", "Paljon kommentteja")
    for day in range(1, 6):
        write_comment(content, "paljon", f"p{day}", f"Kirjoittaja {day}", at(day), "Teksti.")
    built = build_site(content, tmp_path / "output", FEED_MAX_ITEMS=3)
    titles = [e.author for e in parse_feed(built, "feeds/kommentit.atom.xml").entries]
    assert titles == ["Kirjoittaja 5", "Kirjoittaja 4", "Kirjoittaja 3"]
    assert len(parse_feed(built, "feeds/kommentit/paljon.atom.xml").entries) == 5


def test_site_without_a_comments_folder_builds(tmp_path):
    content = tmp_path / "content"
    write_case(content, "yksin", "Yksinäinen tapaus")
    built = build_site(content, tmp_path / "output")
    assert "Ei vielä kommentteja." in built.soup("yksin/").find(id="kommentit").get_text()
    assert parse_feed(built, "feeds/kommentit.atom.xml").entries == []


def test_dot_files_are_not_comments(tmp_path):
    """The import's list of forgotten senders and half-written temp files."""
    content = tmp_path / "content"
    write_case(content, "kiitos", "Kiitos")
    write_comment(content, "kiitos", "k1", "Nimi", at(17), "Teksti.")
    (content / "comments" / ".forgotten").write_text("abc\n", encoding="utf-8")
    (content / "comments" / "kiitos" / ".tmp-x1y2.md").write_text("Id: k", encoding="utf-8")
    built = build_site(content, tmp_path / "output")
    assert len(built.soup("kiitos/").select("li.comment")) == 1


def test_english_interface(tmp_path):
    content = tmp_path / "content"
    write_case(content, "kiitos", "Kiitos")
    write_comment(content, "kiitos", "e1", "Reader", at(17), "Hello.", role="author")
    built = build_site(content, tmp_path / "output", THEME_LANG="en")
    section = built.soup("kiitos/").find(id="kommentit")
    assert section.find("a", string="Comment by email")
    assert section.select_one(".comment-role").get_text() == "Blog author"
    assert section.find("time").get_text() == "May 17, 2014"
    assert parse_feed(built, "feeds/kommentit.atom.xml").entries[0].title == \
        "Reader commented on “Kiitos”"


@pytest.fixture(scope="module")
def broken_log(tmp_path_factory) -> str:
    """One build with every kind of broken comment folder: all are reported."""
    content = tmp_path_factory.mktemp("content")
    write_case(content, "kiitos", "Kiitos")
    write_case(content, "toinen", "Toinen")
    write_case(content, "silmukka", "Silmukka")
    unreadable = write_comment(content, "kiitos", "x1", "Nimi", at(17), "Teksti.")
    unreadable.write_text(unreadable.read_text(encoding="utf-8").replace("Author:", "Kirjoittaja:"),
                          encoding="utf-8")
    bad_date = write_comment(content, "kiitos", "x2", "Nimi", at(17), "Teksti.")
    bad_date.write_text(bad_date.read_text(encoding="utf-8").replace("2014-05-17", "17.5.2014"),
                        encoding="utf-8")
    write_comment(content, "kiitoss", "x3", "Nimi", at(17), "Teksti.")
    misplaced = content / "comments" / "toinen" / "x4.md"
    misplaced.parent.mkdir(parents=True)
    misplaced.write_text("Id: x4\nAuthor: Nimi\nCase: kiitos\nDate: 2014-05-17T12:00:00+03:00\n"
                         "\nTeksti.\n", encoding="utf-8")
    write_comment(content, "silmukka", "l1", "Yksi", at(17), "A", parent="l2")
    write_comment(content, "silmukka", "l2", "Kaksi", at(18), "B", parent="l1")
    return failed_build_log(content, tmp_path_factory.mktemp("output"))


@pytest.mark.parametrize("expected", [
    "comments/kiitos/x1.md:3: expected one of Id, Case, Author, Date, Parent, Role, "
    "Erasure-Key, got 'Kirjoittaja: Nimi'. Fix: correct the header",
    "comments/kiitos/x2.md:4: Date '17.5.2014T12:00:00+03:00' is not an ISO 8601 date. Fix:",
    "comments/kiitoss: no case has the slug 'kiitoss'. Fix: rename the folder",
    "comments/toinen/x4.md:3: Case 'kiitos' does not match the folder 'toinen'. Fix: move",
    "comments/silmukka: the Parent lines of some comments form a loop. Fix: remove",
], ids=["header", "date", "unknown case", "wrong folder", "parent loop"])
def test_broken_comment_files_fail_the_build_with_file_line_and_fix(broken_log, expected):
    assert expected in broken_log
    assert "Build failed: 5 problems in content" in broken_log
