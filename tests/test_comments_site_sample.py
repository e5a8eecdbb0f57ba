"""The demo discussion and the privacy promise on the built site.

content/comments/ must be exactly what the real import makes of
samples/approved-comments.mbox, and no sender address, from the sample or
from the shared corpus of real-world mail, may reach any built file.
"""

from __future__ import annotations

import mailbox
import re
from pathlib import Path

import feedparser

from comments_site_support import build_site, write_case
from conftest import ROOT, real_settings
from hyva.cases import case_sources
from hyva.privacy import address_mask
from hyva_tools.comment_import.importer import run_import

SAMPLE = ROOT / "samples" / "approved-comments.mbox"
COMMENTS = ROOT / "content" / "comments"
# The key the sample was imported with (README, "Comments"): for this sample
# of made-up senders only, so that anyone can replay the import exactly.
SAMPLE_KEY = b"hyva-vastaus-sample"
BLOG_ADDRESSES = ["toimitus@hyvavastaus.fi"]
ADDRESS = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TEXT_SUFFIXES = {".html", ".xml", ".json", ".js", ".css", ".txt", ".md", ""}


def comment_files(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text(encoding="utf-8")
            for path in sorted(folder.glob("*/*.md"))}


def test_committed_comments_are_the_import_of_the_sample_mailbox(tmp_path):
    settings = real_settings()
    cases = {case.slug for case in case_sources(settings)}
    options = {"mask": address_mask(settings), "author_header": settings["COMMENT_AUTHOR_HEADER"],
               "key": SAMPLE_KEY}
    report = run_import(str(SAMPLE), tmp_path, cases, BLOG_ADDRESSES, **options)
    assert report.rejected == []
    assert comment_files(tmp_path) == comment_files(COMMENTS)
    again = run_import(str(SAMPLE), tmp_path, cases, BLOG_ADDRESSES, **options)
    assert (len(again.imported), again.present) == (0, len(report.imported))


def test_sample_discussion_has_threads_and_blog_replies_on_several_cases(site):
    cases = sorted(path.name for path in COMMENTS.iterdir() if path.is_dir())
    assert len(cases) >= 5
    replies = blog_replies = 0
    for case in cases:
        section = site.soup(f"{case}/").find(id="kommentit")
        replies += len(section.select(".comment-replies > li"))
        blog_replies += len(section.select("li.comment-by-author"))
        count = len(list((COMMENTS / case).glob("*.md")))
        assert section.find(id="kommentit-otsikko").get_text() == f"Kommentit ({count})"
    assert replies >= 5 and blog_replies >= 3


def test_site_wide_comment_feed_of_the_real_site(site):
    parsed = feedparser.parse(site.path("feeds/kommentit.atom.xml").read_bytes())
    assert not parsed.bozo
    assert len(parsed.entries) == len(comment_files(COMMENTS))


def addresses_in(paths) -> set[bytes]:
    found = set()
    for path in paths:
        found |= {match.lower() for match in ADDRESS.findall(path.read_bytes())}
    return found


def leaks(output: Path, addresses: set[bytes]) -> list[tuple[str, str]]:
    found = []
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes().lower()
            found += [(str(path.relative_to(output)), address.decode(errors="replace"))
                      for address in addresses if address in data]
    return found


def test_no_sample_sender_address_reaches_the_built_site(site):
    addresses = addresses_in([SAMPLE]) - {address.encode() for address in BLOG_ADDRESSES}
    addresses -= {b"kommentit@hyvavastaus.fi"}
    assert len(addresses) >= 10
    assert leaks(site.output, addresses) == []
    assert leaks(COMMENTS, addresses) == []


def corpus_messages(corpora: Path) -> list[bytes]:
    messages = []
    for path in sorted((corpora / "email").iterdir()):
        if path.read_bytes().startswith(b"From "):
            messages += [bytes(message) for message in mailbox.mbox(path)]
        else:
            messages.append(path.read_bytes())
    return messages


def test_no_corpus_address_reaches_the_built_site(tmp_path, shared_corpora):
    """Real-world mail, readdressed to the plus address of a case (a To
    header on top, which the parser reads first), imported and built."""
    content = tmp_path / "content"
    write_case(content, "korpus", "Korpuksen tapaus")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, raw in enumerate(corpus_messages(shared_corpora)):
        delivered = b"To: kommentit+korpus@hyvavastaus.fi\n" + raw
        (inbox / f"{number:03d}.eml").write_bytes(delivered)
    report = run_import(str(inbox), content / "comments", {"korpus"}, (), key=b"test-key")
    assert len(report.imported) >= 15, report.summary()
    built = build_site(content, tmp_path / "output")
    assert len(built.soup("korpus/").select("li.comment")) == len(report.imported)
    addresses = addresses_in((shared_corpora / "email").iterdir())
    addresses -= {b"kommentit+korpus@hyvavastaus.fi"}
    assert len(addresses) >= 20
    assert leaks(built.output, addresses) == []
    assert leaks(content / "comments", addresses) == []
