"""Replies to one comment through the real parts: a reply made the way
common clients make one, delivered to the real Dovecot, and the "Vastaa"
link's subject as Chromium reads it from the built site, back through the
importer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, axe_violations
from hyva import commentfile
from hyva.privacy import comment_id
from hyva_tools.comment_import.importer import run_import
from mail_support import SAMPLE_KEY, make_message, write_mbox

KEY = b"test key, not a secret"
CASE = "kiitos-jai-ilman-vastausta"


@pytest.mark.server
def test_replies_from_finnish_and_swedish_clients_land_under_their_comment_over_imap(
        dovecot, imap_password, tmp_path):
    comments = tmp_path / "comments"
    dovecot.deliver("Vastaukset", [
        make_message(message_id="<alku@example.com>", body="Alkuperäinen kommentti."),
        make_message(message_id="<toinen@example.com>", body="Toinen kommentti.",
                     date="Wed, 08 Jan 2025 09:20:00 +0200")])
    assert len(run_import(dovecot.url("Vastaukset"), comments, {CASE}, key=KEY).imported) == 2
    first, second = comment_id(KEY, "alku@example.com"), comment_id(KEY, "toinen@example.com")
    dovecot.deliver("Vastaukset", [
        make_message(sender="Pekka <pekka@example.org>", message_id="<vs@example.org>",
                     subject=f"VS: [kommentti] {CASE} #{first}", body="Suomeksi vastaus.",
                     date="Wed, 08 Jan 2025 10:00:00 +0200"),
        make_message(sender="Stina <stina@example.se>", message_id="<sv@example.se>",
                     subject=f"SV: VS: [kommentti] {CASE} #{first}", body="Svar på svenska.",
                     date="Wed, 08 Jan 2025 10:30:00 +0200"),
        # The headers say the first comment; the subject's token says the second.
        make_message(sender="Outi <outi@example.net>", message_id="<ristiin@example.net>",
                     subject=f"Re: [kommentti] {CASE} #{second}", body="Tokenin mukaan.",
                     in_reply_to="<alku@example.com>", references="<alku@example.com>",
                     date="Wed, 08 Jan 2025 11:00:00 +0200"),
    ])
    report = run_import(dovecot.url("Vastaukset"), comments, {CASE}, key=KEY)
    assert (len(report.imported), report.present, len(report.rejected)) == (3, 2, 0)
    parents = {comment.text: comment.parent for comment in map(
        commentfile.load, comments.glob("*/*.md"))}
    assert parents == {"Alkuperäinen kommentti.": None, "Toinen kommentti.": None,
                       "Suomeksi vastaus.": first, "Svar på svenska.": first,
                       "Tokenin mukaan.": second}
    assert all(location.startswith("UID ") for location in
               (preview.location for preview in report.previews))


REPLIED_CASE, REPLIED = "maksumuistutus-ja-saarna", "732cac0d7a7f77d6"


@pytest.mark.browser
def test_the_reply_links_subject_round_trips_through_the_importer(page, served_site, site,
                                                                  tmp_path):
    page.goto(f"{served_site}/{REPLIED_CASE}/")
    comment = page.locator(f"#kommentti-{REPLIED}")
    link = comment.get_by_role("link", name="Vastaa", exact=False)
    assert link.inner_text() == "Vastaa" and link.is_visible()
    assert link.bounding_box()["height"] >= 24  # WCAG 2.2 target size
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    address, subject = link.evaluate("a => { const url = new URL(a.href); "
                                     "return [url.pathname, url.searchParams.get('subject')] }")
    assert subject == f"[kommentti] {REPLIED_CASE} #{REPLIED}"
    # The mail a client makes from that link: that subject, no threading headers.
    mbox = write_mbox(tmp_path / "reply.mbox", [make_message(
        sender="Lukija <lukija@example.com>", to=address, subject=f"VS: {subject}",
        message_id="<selaimesta@example.com>", body="Vastaan tähän kommenttiin.",
        date="Wed, 08 Jan 2025 10:00:00 +0200")])
    comments = Path(shutil.copytree(ROOT / "content" / "comments", tmp_path / "comments"))
    known = {folder.name for folder in comments.iterdir() if folder.is_dir()}
    report = run_import(str(mbox), comments, known, key=SAMPLE_KEY.encode())
    assert [(c.case, c.parent, c.text) for c in report.imported] == [
        (REPLIED_CASE, REPLIED, "Vastaan tähän kommenttiin.")], report.summary()


def test_a_removal_survives_a_reimport_and_a_rebuild_and_check_guards_it(tmp_path):
    """On a copy of the project with the real content and the sample mailbox
    it was imported from (README, "Comments by email")."""
    from bs4 import BeautifulSoup

    from conftest import copy_project
    from mail_support import run_task

    project = copy_project(tmp_path / "project")
    comments = project / "content" / "comments" / REPLIED_CASE
    removed_file = comments / f"{REPLIED}.md"
    saved = removed_file.read_bytes()
    reply_file = comments / "39e839b9525c63f2.md"
    reply_text = commentfile.load(reply_file).text
    grandparent = commentfile.load(removed_file).parent

    removal = run_task(project, "remove-comment", REPLIED_CASE, REPLIED, "--reason",
                       "asiaton kommentti")
    assert removal.returncode == 0, removal.stdout + removal.stderr
    assert "1 reply(ies) moved up to its parent" in removal.stdout
    again = run_task(project, "import-comments", "--source",
                     str(ROOT / "samples" / "approved-comments.mbox"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Imported 0," in again.stdout
    assert "Skipped 1 message(s) of comments a moderator removed" in again.stdout
    assert not removed_file.exists()
    moved = commentfile.load(reply_file)
    assert (moved.parent, moved.text) == (grandparent, reply_text)

    for task in (("build",), ("preview",), ("check",)):
        result = run_task(project, *task, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((project / "output" / REPLIED_CASE / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    assert page.find(id=f"kommentti-{REPLIED}") is None
    parent_item = page.find(id=f"kommentti-{grandparent}").parent
    replies = parent_item.find("ol", class_="comment-replies", recursive=False)
    assert replies.find(id="kommentti-39e839b9525c63f2") is not None
    assert reply_text in replies.get_text(" ")

    removed_file.write_bytes(saved)  # restored from a backup, say
    check = run_task(project, "check", timeout=600)
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    assert (f"content/comments/{REPLIED_CASE}/{REPLIED}.md: comment {REPLIED} was removed ("
            in check.stdout + check.stderr)
    assert "asiaton kommentti" in check.stdout + check.stderr
