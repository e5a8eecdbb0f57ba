"""Replies to one comment by the subject's #id token, taking one comment
down, the dry run, the summary's advice, and two imports at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_case
from hyva import commentfile
from hyva.privacy import comment_id
from hyva_tools.comment_import.importer import run_import
from hyva_tools.comment_import.moderation import OTHER, group_of
from hyva_tools.comment_import.preview import preview_text
from hyva_tools.comment_import.removed import REMOVED_FILE, removed_comments
from hyva_tools.comment_import.takedown import NoSuchComment, remove_comment
from mail_support import assert_no_address, make_message, texts_under, tree_snapshot, write_mbox

KEY = b"test key, not a secret"
CASE, OTHER_CASE = "kiitos-jai-ilman-vastausta", "maksumuistutus-ja-saarna"
CASES = {CASE, OTHER_CASE}
ADDRESSES = ["liisa@example.com", "pekka@example.org", "outi@example.net"]


def dots(name: str) -> bool:
    return name.startswith(".")


def run(source, comments: Path, **options):
    return run_import(str(source), comments, CASES, key=KEY, **options)


def stored(comments: Path) -> dict[str, commentfile.Comment]:
    return {path.stem: commentfile.load(path) for path in comments.glob("*/*.md")}


def first_comment(tmp_path: Path) -> str:
    """One comment on CASE, imported; its public id."""
    run(write_mbox(tmp_path / "first.mbox", [make_message(
        message_id="<first@example.com>", body="Ensimmäinen kommentti.")]), tmp_path / "comments")
    return comment_id(KEY, "first@example.com")


def reply(subject: str, number: int = 1, **fields) -> bytes:
    """A reply as common clients send one from the Reply link: the subject
    only, no In-Reply-To or References."""
    return make_message(sender="Pekka <pekka@example.org>",
                        message_id=f"<reply-{number}@example.org>", subject=subject,
                        body=fields.pop("body", f"Vastaus numero {number}."),
                        date=f"Wed, 08 Jan 2025 1{number % 10}:00:00 +0200", **fields)


@pytest.mark.parametrize("prefix", ["", "Re: ", "VS: ", "SV: ", "Fwd: ", "AW: ", "VS: SV: Re: "])
def test_the_subject_token_threads_a_reply_without_headers(tmp_path, prefix):
    parent = first_comment(tmp_path)
    report = run(write_mbox(tmp_path / "reply.mbox", [
        reply(f"{prefix}[kommentti] {CASE} #{parent}")]), tmp_path / "comments")
    assert [comment.parent for comment in report.imported] == [parent], report.summary()
    assert report.imported[0].case == CASE and not report.rejected


def test_the_english_interfaces_subject_threads_the_same(tmp_path):
    parent = first_comment(tmp_path)
    report = run(write_mbox(tmp_path / "reply.mbox", [
        reply(f"Re: [comment] {CASE} #{parent}")]), tmp_path / "comments")
    assert [(c.case, c.parent) for c in report.imported] == [(CASE, parent)]


def test_the_token_wins_over_headers_and_a_token_alone_finds_the_case(tmp_path):
    parent = first_comment(tmp_path)
    run(write_mbox(tmp_path / "other.mbox", [make_message(
        message_id="<other@example.com>", subject=f"[kommentti] {CASE}", body="Toinen.",
        date="Wed, 08 Jan 2025 09:30:00 +0200")]), tmp_path / "comments")
    report = run(write_mbox(tmp_path / "reply.mbox", [
        reply(f"Re: [kommentti] {CASE} #{parent}", 1, in_reply_to="<other@example.com>"),
        reply(f"Re: #{parent.upper()}", 2)]), tmp_path / "comments")
    assert [(c.case, c.parent) for c in report.imported] == [(CASE, parent), (CASE, parent)]


def test_a_token_of_a_comment_later_in_the_same_run_waits_for_it(tmp_path):
    parent = comment_id(KEY, "first@example.com")
    run(write_mbox(tmp_path / "both.mbox", [
        reply(f"VS: [kommentti] {CASE} #{parent}", 1),
        make_message(message_id="<first@example.com>", date="Wed, 08 Jan 2025 09:00:00 +0200")]),
        tmp_path / "comments")
    assert stored(tmp_path / "comments")[comment_id(KEY, "reply-1@example.org")].parent == parent


def test_tokens_that_name_no_usable_comment_are_handled_and_reported(tmp_path):
    parent = first_comment(tmp_path)
    other = comment_id(KEY, "elsewhere@example.com")
    run(write_mbox(tmp_path / "elsewhere.mbox", [make_message(
        message_id="<elsewhere@example.com>", subject=f"[kommentti] {OTHER_CASE}")]),
        tmp_path / "comments")
    report = run(write_mbox(tmp_path / "replies.mbox", [
        reply(f"Re: [kommentti] {CASE} #{'0' * 16}", 1),                    # names no comment
        reply(f"Re: [kommentti] {CASE} #{other}", 2),                       # another case's
        reply(f"Re: [kommentti] {CASE} #{parent} #{other}", 3,              # two: headers decide
              in_reply_to="<first@example.com>"),
        reply(f"Re: [kommentti] {CASE} #{parent}@liisa.example.com", 4),   # forged, an address
        reply(f"[kommentti] {CASE}", 5, body=f"Uusi.\n\n> [kommentti] {CASE} #{parent}\n> Vanha."),
    ]), tmp_path / "comments")
    placed = {comment.text: (comment.case, comment.parent) for comment in report.imported}
    assert placed == {"Vastaus numero 1.": (CASE, None), "Vastaus numero 2.": (CASE, None),
                      "Vastaus numero 3.": (CASE, parent), "Vastaus numero 4.": (CASE, None),
                      "Uusi.": (CASE, None)}
    summary = report.summary()
    assert f"comment #{'0' * 16}, which is not a comment" in summary
    assert f"comment #{other} of another case, '{OTHER_CASE}'" in summary
    assert "the subject names 2 comments" in summary
    assert "the subject held an address; it was masked" in summary
    assert not report.rejected and len(report.imported) == 5
    shown = preview_text(report, "Nimetön")
    assert "replies.mbox message 3: case kiitos-jai-ilman-vastausta, comment " in shown
    assert f"reply to comment {parent} (In-Reply-To/References)\n  Name: Pekka\n" \
           "  Note: the subject names 2 comments" in shown
    assert_no_address(summary, ADDRESSES + ["liisa.example.com"])
    assert_no_address(texts_under(tmp_path / "comments"), ADDRESSES + ["liisa.example.com"])


# --- remove-comment --------------------------------------------------------

def thread(tmp_path: Path) -> tuple[Path, list[str]]:
    """A comment, a reply to it, and a reply to that (by headers): the mbox and their ids."""
    messages = [
        make_message(message_id="<a@example.com>", body="Alku.",
                     date="Wed, 08 Jan 2025 09:00 +0200"),
        make_message(sender="Pekka <pekka@example.org>", message_id="<b@example.org>",
                     in_reply_to="<a@example.com>", body="Keskellä.\n\nKaksi kappaletta.",
                     date="Wed, 08 Jan 2025 10:00 +0200"),
        make_message(sender="Outi <outi@example.net>", message_id="<c@example.net>",
                     in_reply_to="<b@example.org>", body="Lopussa.",
                     date="Wed, 08 Jan 2025 11:00 +0200"),
    ]
    mbox = write_mbox(tmp_path / "thread.mbox", messages)
    run(mbox, tmp_path / "comments")
    return mbox, [comment_id(KEY, mid) for mid in ("a@example.com", "b@example.org",
                                                   "c@example.net")]


def test_removal_moves_replies_up_and_survives_a_reimport(tmp_path):
    mbox, (top, middle, last) = thread(tmp_path)
    comments = tmp_path / "comments"
    before = stored(comments)[last]
    removal = remove_comment(comments, CASE, middle, "loukkaava liisa@example.com", ignored=dots)
    assert [path.stem for path in removal.moved] == [last] and not removal.already
    after = stored(comments)
    assert set(after) == {top, last}
    assert after[last].parent == top and after[last].text == before.text
    assert (after[last].author, after[last].date) == (before.author, before.date)
    record = removed_comments(comments)[middle]
    assert (record.case, record.parent) == (CASE, top) and "liisa" not in record.reason
    assert (comments / ".erasures").read_text().count("\n") == 1

    files = tree_snapshot(comments)
    again = run(mbox, comments)
    assert (len(again.imported), again.present, again.removed) == (0, 2, 1)
    assert "Skipped 1 message(s) of comments a moderator removed" in again.summary()
    assert tree_snapshot(comments) == files
    # A later reply to the removed comment goes to its surviving parent.
    late = run(write_mbox(tmp_path / "late.mbox", [
        reply(f"Re: [kommentti] {CASE} #{middle}", 7),
        reply("Re: kommentti", 8, in_reply_to="<b@example.org>")]), comments)
    assert [comment.parent for comment in late.imported] == [top, top]
    assert late.summary().count(f"comment {middle} it answers was removed") == 1


def test_removing_a_top_comment_puts_its_replies_at_the_top_and_a_rerun_is_harmless(tmp_path):
    _, (top, middle, last) = thread(tmp_path)
    comments = tmp_path / "comments"
    remove_comment(comments, CASE, top, ignored=dots)
    assert stored(comments)[middle].parent is None and stored(comments)[last].parent == middle
    assert remove_comment(comments, CASE, top, ignored=dots).already
    assert len(removed_comments(comments)) == 1
    with pytest.raises(NoSuchComment, match="has no comment 'ffffffffffffffff'. Fix: "):
        remove_comment(comments, CASE, "f" * 16, ignored=dots)
    with pytest.raises(NoSuchComment):
        remove_comment(comments, OTHER_CASE, middle, ignored=dots)
    assert (comments / REMOVED_FILE).read_text().count("\n") == 1


# --- The summary's advice ----------------------------------------------------

def test_every_rejection_reason_has_a_group_and_advice(tmp_path):
    messages = [
        make_message(message_id="<nocase@example.net>", subject="Yleistä palautetta"),
        make_message(message_id="<unknown@example.net>", subject="[kommentti] ei-ole-olemassa"),
        make_message(message_id="<nodate@example.net>", date="ei päivää"),
        make_message(message_id="<old@example.net>", date="Mon, 01 Jan 1900 10:00:00 +0000"),
        make_message(message_id="<nosender@example.net>", sender="Nimetön"),
        make_message(message_id="<long@example.net>", body="sana " * 3000),
        make_message(message_id="<quote@example.net>", body="> vain lainausta\n> lisää"),
        make_message(message_id="<draft@example.net>", subject="[kommentti] luonnos"),
    ]
    report = run_import(str(write_mbox(tmp_path / "bad.mbox", messages)), tmp_path / "comments",
                        CASES, key=KEY, draft_cases={"luonnos"})
    assert len(report.rejected) == len(messages)
    for rejection in report.rejected:
        assert group_of(rejection.reason) != OTHER, rejection.reason
    summary = report.summary()
    assert ("- the subject names no case: 1 message(s). Advice: ask the sender to use the link "
            "on the case page") in summary
    assert "- the mail's From or Date header is missing or wrong: 3 message(s)." in summary
    assert summary.count("Advice:") == 6


# --- The dry run -------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_a_dry_run_writes_nothing_and_shows_what_would_be_published(tmp_path):
    content = tmp_path / "content"
    for slug in CASES:
        write_case(content / "cases", slug, slug, "Teksti.\n")
    parent = comment_id(KEY, "first@example.com")
    (tmp_path / "config").mkdir()
    env_key = {"HYVA_COMMENT_KEY": KEY.decode()}
    first = write_mbox(tmp_path / "first.mbox", [make_message(message_id="<first@example.com>")])
    assert invoke_with(env_key, "import-comments", "--source", str(first), "--content",
                       str(content), home=tmp_path / "config").returncode == 0
    mbox = write_mbox(tmp_path / "approved.mbox", [
        reply(f"VS: [kommentti] {CASE} #{parent}", 1,
              body="Kiitos <b>tästä</b>, katso https://example.org/ohje\n\nPekka\n"
                   "pekka@example.org\n\nke 8. tammik. 2025 klo 9.15 Liisa kirjoitti:\n> Vanha"),
        make_message(sender="Outi <outi@example.net>", message_id="<nocase@example.net>",
                     subject="Yleistä palautetta"),
    ])
    before = (mbox.read_bytes(), tree_snapshot(content), tree_snapshot(tmp_path / "config"))
    page = tmp_path / "preview.html"
    result = invoke_with(env_key, "import-comments", "--dry-run", "--source", str(mbox),
                         "--content", str(content), "--output", str(page),
                         home=tmp_path / "config")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output  # one would be rejected
    assert (mbox.read_bytes(), tree_snapshot(content), tree_snapshot(tmp_path / "config")) == before
    assert "Dry run: nothing was written" in output
    assert (f"Would publish approved.mbox message 1: case {CASE}, comment "
            f"{comment_id(KEY, 'reply-1@example.org')}, reply to comment {parent} "
            f"(subject #{parent})") in output
    assert "  | Kiitos <b>tästä</b>, katso https://example.org/ohje" in output
    assert "Vanha" not in output  # the quote is stripped as the import strips it
    assert "Rejected approved.mbox message 2" in output and "Advice:" in output
    html = page.read_text(encoding="utf-8")
    assert ('<p>Kiitos &lt;b&gt;tästä&lt;/b&gt;, katso <a href="https://example.org/ohje" '
            'rel="nofollow ugc">') in html
    assert "Yleistä palautetta" in html and "the subject names no case" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert_no_address(output + html, ADDRESSES)
    if VNU.exists():
        check = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(page)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    without_dry = invoke_with(env_key, "import-comments", "--source", str(mbox), "--content",
                              str(content), "--output", str(page), home=tmp_path / "config")
    assert without_dry.returncode == 1 and "Fix: add --dry-run" in without_dry.stderr


def test_a_dry_run_into_an_empty_folder_makes_no_key_and_no_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("HYVA_COMMENT_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    mbox = write_mbox(tmp_path / "one.mbox", [make_message()])
    report = run_import(str(mbox), tmp_path / "comments", CASES, dry_run=True)
    assert len(report.imported) == 1 and len(report.previews) == 1
    assert not (tmp_path / "comments").exists() and not (tmp_path / "config").exists()


def invoke_with(environment: dict, *arguments: str, home: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("HYVA_COMMENT_KEY", "HYVA_IMAP_PASSWORD")}
    env.update(environment, XDG_CONFIG_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *arguments],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


# --- Two imports at once -----------------------------------------------------

CONCURRENT = """
import sys
from hyva_tools.comment_import.importer import Busy, run_import
sys.stdin.readline()  # both start together
try:
    report = run_import(sys.argv[1], __import__("pathlib").Path(sys.argv[2]),
                        {"kiitos-jai-ilman-vastausta"}, key=b"test key, not a secret")
except Busy:
    print("busy")
else:
    print(len(report.imported), report.present)
"""


def test_two_imports_at_the_same_time_never_create_a_comment_twice(tmp_path):
    messages = [make_message(message_id=f"<m{number}@example.com>", body=f"Kommentti {number}.",
                             date=f"Wed, 08 Jan 2025 09:{number % 60:02d}:00 +0200")
                for number in range(300)]
    messages += [make_message(message_id=None, body=f"Ilman tunnusta {number}.",
                              date=f"Thu, 09 Jan 2025 09:{number:02d}:00 +0200")
                 for number in range(20)]
    mbox = write_mbox(tmp_path / "many.mbox", messages)
    for attempt in range(3):
        comments = tmp_path / f"comments-{attempt}"
        runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(mbox), str(comments)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                 cwd=ROOT) for _ in range(2)]
        for process in runs:
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = [process.communicate(timeout=300)[0].split() for process in runs]
        texts = [comment.text for comment in stored(comments).values()]
        assert len(texts) == len(set(texts)) == len(messages)
        imported = sum(int(outcome[0]) for outcome in outcomes if outcome != ["busy"])
        assert imported == len(messages), outcomes


def test_remove_comment_task_refuses_clearly_and_changes_nothing(tmp_path):
    content = tmp_path / "content"
    write_case(content / "cases", CASE, CASE, "Teksti.\n")
    env_key = {"HYVA_COMMENT_KEY": KEY.decode()}
    mbox = write_mbox(tmp_path / "one.mbox", [make_message(message_id="<first@example.com>")])
    assert invoke_with(env_key, "import-comments", "--source", str(mbox), "--content",
                       str(content), home=tmp_path).returncode == 0
    before = tree_snapshot(content)
    for case, comment, expected in (
            (CASE, "f" * 16, f"the case '{CASE}' has no comment 'ffffffffffffffff'. Fix: "),
            ("../cases", "x", "is not a case slug and a comment id"),
            (OTHER_CASE, comment_id(KEY, "first@example.com"), "has no comment")):
        result = invoke_with(env_key, "remove-comment", case, comment, "--content", str(content),
                             home=tmp_path)
        assert result.returncode == 1 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert tree_snapshot(content) == before
    done = invoke_with(env_key, "remove-comment", CASE, comment_id(KEY, "first@example.com"),
                       "--reason", "roskapostia", "--content", str(content), home=tmp_path)
    assert done.returncode == 0 and "removed; 0 reply(ies) moved" in done.stdout
    assert list((content / "comments").glob("*/*.md")) == []
