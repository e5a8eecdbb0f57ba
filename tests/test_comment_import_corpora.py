"""Real-world mail from ../shared/corpora/email/ through the real import and build.

Every file is imported (read in place, never copied into the project); none
may crash the run, and none of the addresses in them may reach the site.
"""

from __future__ import annotations

import email
import shutil
from email.utils import getaddresses
from pathlib import Path

import pytest

from conftest import ROOT, build, write_case
from hyva import commentfile
from hyva.privacy import ADDRESS
from hyva_tools.comment_import.importer import run_import

KEY = b"test key, not a secret"
# Subjects in the corpora are "Test", "Re: Test", "Lyrics"...: make them cases.
CORPUS_CASES = ("test", "lyrics")
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".css", ".atom", ".rss"}


def corpus_files(corpora: Path) -> list[Path]:
    return sorted(path for path in (corpora / "email").iterdir() if path.is_file())


def corpus_addresses(corpora: Path) -> set[str]:
    found = set()
    for path in corpus_files(corpora):
        text = path.read_bytes().decode("latin-1")
        found |= {match.removeprefix("mailto:").lower() for match in ADDRESS.findall(text)}
    return found


@pytest.fixture(scope="module")
def corpus_site(shared_corpora, tmp_path_factory):
    content = tmp_path_factory.mktemp("corpus") / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    for slug in CORPUS_CASES:
        write_case(content / "cases", slug, f"Korpus {slug}",
                   "Tapaus, jota korpuksen viestit kommentoivat.\n")
    reports = {path.name: run_import(str(path), content / "comments", set(CORPUS_CASES), key=KEY)
               for path in corpus_files(shared_corpora)}
    site = build(content, tmp_path_factory.mktemp("corpus-site"))
    return content, reports, site


def test_every_corpus_message_goes_through_the_import(corpus_site, shared_corpora):
    content, reports, _ = corpus_site
    assert set(reports) == {path.name for path in corpus_files(shared_corpora)}
    for name, report in reports.items():
        handled = len(report.imported) + report.present + len(report.rejected)
        assert handled >= 1, name
        for rejection in report.rejected:
            assert rejection.reason and rejection.location
    imported = [commentfile.load(path) for path in (content / "comments").glob("*/*.md")]
    # The talon replies ("Re: Test") import as just their first line.
    assert sum(comment.text == "Hello" for comment in imported) >= 8
    assert {comment.case for comment in imported} <= set(CORPUS_CASES)


def test_no_corpus_address_reaches_content_or_the_site(corpus_site, shared_corpora):
    content, reports, site = corpus_site
    addresses = corpus_addresses(shared_corpora)
    assert len(addresses) > 20
    written = [path for path in (content / "comments").rglob("*") if path.is_file()]
    written += [path for path in site.output.rglob("*") if path.suffix in TEXT_SUFFIXES]
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        leaked = sorted(address for address in addresses if address in text)
        assert not leaked, f"{path} contains {leaked}"
    authors = [commentfile.load(path).author for path in (content / "comments").glob("*/*.md")]
    assert authors and not any("@" in author for author in authors)


def test_printed_summaries_never_name_a_sender(corpus_site, shared_corpora):
    _, reports, _ = corpus_site
    summaries = "\n".join(report.summary() for report in reports.values()).lower()
    senders = set()
    for path in corpus_files(shared_corpora):
        message = email.message_from_bytes(path.read_bytes())
        senders |= {address.lower() for _, address in getaddresses(message.get_all("From", []))
                    if "@" in address}
    assert len(senders) > 10
    assert not [sender for sender in senders if sender in summaries]


def test_corpus_comments_are_on_the_case_page(corpus_site):
    _, _, site = corpus_site
    page = site.soup("test/")
    section = page.find(id="kommentit")
    assert section is not None and "Hello" in section.get_text()
