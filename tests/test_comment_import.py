"""The import run from mbox, Maildir and .eml folders, the invoke tasks and erasure."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench_comment_import import measure
from conftest import write_case
from hyva import commentfile
from hyva.privacy import KeyProblem, comment_id, load_key
from hyva_tools.comment_import.importer import FORGOTTEN_FILE, forget_commenter, run_import
from mail_support import make_message, tree_snapshot, write_maildir, write_mbox

ROOT = Path(__file__).resolve().parents[1]
KEY = b"test key, not a secret"
CASE, OTHER_CASE = "kiitos-jai-ilman-vastausta", "maksumuistutus-ja-saarna"
CASES = {CASE, OTHER_CASE}


def thread_messages() -> list[bytes]:
    """A comment, a reply to it, the blog's own answer, and a comment on another case."""
    return [
        make_message(message_id="<first@example.com>", body="Ensimmäinen kommentti.",
                     date="Wed, 08 Jan 2025 09:15:00 +0200"),
        make_message(sender="Pekka <pekka@example.org>", message_id="<second@example.org>",
                     subject="Re: [kommentti] kiitos-jai-ilman-vastausta",
                     in_reply_to="<first@example.com>", references="<first@example.com>",
                     body="Vastaus ensimmäiseen.", date="Wed, 08 Jan 2025 10:00:00 +0200"),
        make_message(sender="Hyvä vastaus <Toimitus@HyvaVastaus.fi>",
                     message_id="<third@hyvavastaus.fi>",
                     subject="Re: kommentti", references="<first@example.com> <second@example.org>",
                     body="Kiitos molemmille!", date="Wed, 08 Jan 2025 11:00:00 +0200",
                     headers={"X-Hyva-Sender": "verified"}),
        make_message(sender="Liisa Lukija <liisa@example.com>", message_id="<fourth@example.com>",
                     subject="[kommentti] maksumuistutus-ja-saarna", body="Toinen tapaus.",
                     date="Thu, 09 Jan 2025 08:00:00 +0200"),
    ]


def imported(comments: Path) -> dict[str, commentfile.Comment]:
    return {comment.id: comment for comment in map(commentfile.load, comments.glob("*/*.md"))}


def run(source, comments: Path, **options):
    return run_import(str(source), comments, CASES, key=KEY, **options)


def test_mbox_import_writes_one_file_per_comment_and_a_rerun_adds_nothing(tmp_path):
    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages())
    first = run(mbox, tmp_path / "comments")
    assert len(first.imported) == 4 and not first.rejected and first.exit_status == 0
    files = tree_snapshot(tmp_path / "comments")
    again = run(mbox, tmp_path / "comments")
    assert (len(again.imported), again.present, again.exit_status) == (0, 4, 0)
    assert tree_snapshot(tmp_path / "comments") == files


def test_comment_files_are_readable_by_a_build_user_and_no_temporary_file_stays(tmp_path):
    previous = os.umask(0o022)
    try:
        run(write_mbox(tmp_path / "approved.mbox", thread_messages()), tmp_path / "comments")
    finally:
        os.umask(previous)
    written = sorted(path.name for path in (tmp_path / "comments").glob("*/*"))
    assert len(written) == 4 and all(not name.startswith(".") for name in written)
    for path in (tmp_path / "comments").glob("*/*.md"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_threads_roles_and_cases(tmp_path):
    run(write_mbox(tmp_path / "approved.mbox", thread_messages()), tmp_path / "comments",
        author_addresses=["toimitus@hyvavastaus.fi"], author_header="X-Hyva-Sender: verified")
    comments = imported(tmp_path / "comments")
    first, second, third, fourth = (comments[comment_id(KEY, mid)] for mid in (
        "first@example.com", "second@example.org", "third@hyvavastaus.fi", "fourth@example.com"))
    assert (first.case, first.parent, first.author) == (CASE, None, "Liisa Lukija")
    assert (second.parent, second.author) == (first.id, "Pekka")
    # No case in the subject: found through the comment it answers.
    assert (third.case, third.parent, third.role) == (CASE, second.id, "author")
    assert first.role is None and second.role is None
    assert (fourth.case, fourth.parent) == (OTHER_CASE, None)
    assert first.text == "Ensimmäinen kommentti."
    assert first.date.isoformat() == "2025-01-08T09:15:00+02:00"


def test_a_later_import_threads_against_existing_comment_files(tmp_path):
    first, second = thread_messages()[:2]
    run(write_mbox(tmp_path / "one.mbox", [first]), tmp_path / "comments")
    report = run(write_mbox(tmp_path / "two.mbox", [second]), tmp_path / "comments")
    assert report.imported[0].parent == comment_id(KEY, "first@example.com")


def test_maildir_eml_folder_and_mbox_give_the_same_files(tmp_path):
    messages = thread_messages()
    write_maildir(tmp_path / "Maildir", messages)
    (tmp_path / "eml").mkdir()
    for number, raw in enumerate(messages):
        (tmp_path / "eml" / f"{number}.eml").write_bytes(raw)
    write_mbox(tmp_path / "approved.mbox", messages)
    trees = []
    for source in ("Maildir", "eml", "approved.mbox"):
        report = run(tmp_path / source, tmp_path / f"out-{source}")
        assert len(report.imported) == 4, report.summary()
        trees.append(tree_snapshot(tmp_path / f"out-{source}"))
    assert trees[0] == trees[1] == trees[2]


def test_the_source_is_never_changed(tmp_path):
    maildir = write_maildir(tmp_path / "Maildir", thread_messages() + [make_message(
        message_id="<bad@example.com>", subject="Ei tapausta")])
    write_mbox(tmp_path / "approved.mbox", thread_messages())
    before = tree_snapshot(tmp_path)
    run(maildir, tmp_path / "c1")
    run(tmp_path / "approved.mbox", tmp_path / "c2")
    after = {name: data for name, data in tree_snapshot(tmp_path).items()
             if not name.startswith(("c1", "c2"))}
    assert after == before


def test_no_address_nor_a_plain_hash_of_one_is_stored(tmp_path):
    run(write_mbox(tmp_path / "approved.mbox", thread_messages()), tmp_path / "comments")
    stored = "".join(path.read_text(encoding="utf-8")
                     for path in (tmp_path / "comments").rglob("*.md"))
    for address in ("liisa@example.com", "pekka@example.org", "toimitus@hyvavastaus.fi"):
        assert address not in stored.lower()
        for variant in (address, address.upper(), address.title()):
            for algorithm in ("md5", "sha1", "sha256"):
                assert hashlib.new(algorithm, variant.encode()).hexdigest() not in stored
    assert "@" not in stored


def test_ids_and_erasure_keys_depend_on_the_secret_key(tmp_path):
    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages()[:1])
    one = run_import(str(mbox), tmp_path / "a", CASES, key=b"one").imported[0]
    two = run_import(str(mbox), tmp_path / "b", CASES, key=b"two").imported[0]
    assert one.id != two.id and one.erasure_key != two.erasure_key


def test_the_blog_role_needs_the_servers_header_not_just_the_address(tmp_path):
    """`From: Toimitus@HyvaVastaus.fi` is easy to forge; the header the
    site's own server adds is not."""
    forged = make_message(sender="Toimitus@HyvaVastaus.fi", message_id="<forged@example.org>")
    report = run(write_mbox(tmp_path / "approved.mbox", [forged]), tmp_path / "comments",
                 author_addresses=["toimitus@hyvavastaus.fi"],
                 author_header="X-Hyva-Sender: verified")
    assert report.imported[0].role is None
    assert "without Role: author" in report.summary()


def test_comments_made_before_fingerprints_record_the_key_of_the_next_import(tmp_path):
    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages())
    run(mbox, tmp_path / "comments")
    (tmp_path / "comments" / ".key-fingerprint").unlink()
    again = run(mbox, tmp_path / "comments")
    assert "recorded the key's fingerprint" in again.summary() and again.present == 4
    with pytest.raises(KeyProblem, match="made with another secret key"):
        run_import(str(mbox), tmp_path / "comments", CASES, key=b"another")


def test_a_second_import_or_erasure_at_the_same_time_refuses(tmp_path):
    from hyva_tools.comment_import.importer import Busy, exclusive

    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages())
    with exclusive(tmp_path / "comments"):
        with pytest.raises(Busy, match="another import-comments, forget-commenter or "
                                       "remove-comment"):
            run(mbox, tmp_path / "comments")
        with pytest.raises(Busy):
            forget_commenter("liisa@example.com", tmp_path / "comments", key=KEY)
    assert len(run(mbox, tmp_path / "comments").imported) == 4
    assert sorted(path.name for path in (tmp_path / "comments").iterdir()
                  if not path.is_dir()) == [".key-fingerprint"]


def test_key_file_is_created_once_with_owner_only_access(tmp_path, monkeypatch):
    monkeypatch.delenv("HYVA_COMMENT_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    key = load_key()
    path = tmp_path / "hyva-vastaus" / "comment-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64 and load_key() == key
    monkeypatch.setenv("HYVA_COMMENT_KEY", "from the environment")
    assert load_key() == b"from the environment"


def test_forget_commenter_removes_only_that_persons_comments_for_good(tmp_path):
    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages())
    run(mbox, tmp_path / "comments")
    removed = forget_commenter("LIISA@example.com", tmp_path / "comments", key=KEY)
    assert len(removed) == 2
    assert {comment.author for comment in imported(tmp_path / "comments").values()} == {
        "Pekka", "Hyvä vastaus"}
    assert "liisa" not in (tmp_path / "comments" / FORGOTTEN_FILE).read_text()
    again = run(mbox, tmp_path / "comments")
    assert (len(again.imported), again.erased, again.exit_status) == (0, 2, 0)


# --- The invoke tasks, as a maintainer runs them --------------------------

def invoke(*arguments: str, home: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("HYVA_COMMENT_KEY", "HYVA_IMAP_PASSWORD")}
    environment["XDG_CONFIG_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *arguments],
                          capture_output=True, text=True, env=environment, stdin=subprocess.DEVNULL)


@pytest.fixture
def content(tmp_path) -> Path:
    for slug in CASES:
        write_case(tmp_path / "content" / "cases", slug, slug, "Teksti.\n")
    return tmp_path / "content"


def test_import_task_reports_rejections_by_message_id_and_subject(tmp_path, content):
    messages = thread_messages() + [
        make_message(sender="Outi <outi@example.net>", message_id="<nocase@example.net>",
                     subject="Yleistä palautetta"),
        make_message(sender="Outi <outi@example.net>", message_id="<unknown@example.net>",
                     subject="[kommentti] ei-ole-olemassa"),
        make_message(sender="Outi <outi@example.net>", message_id="<outi@example.net>",
                     date="ei päivää"),
    ]
    mbox = write_mbox(tmp_path / "approved.mbox", messages)
    result = invoke("import-comments", "--source", str(mbox), "--content", str(content),
                    home=tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Imported 4, already present 0, skipped as erased on request 0, rejected 3." in output
    assert "<no…@exa…>" in output and "'Yleistä palautetta'" in output
    assert "there is no case 'ei-ole-olemassa'" in output
    assert "no valid Date header" in output
    for address in ("outi@example.net", "liisa@example.com", "pekka@example.org"):
        assert address not in output.lower()
    assert len(list((content / "comments").glob("*/*.md"))) == 4
    key_file = tmp_path / "hyva-vastaus" / "comment-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    again = invoke("import-comments", "--source", str(mbox), "--content", str(content),
                   home=tmp_path)
    assert "Imported 0, already present 4" in again.stdout


def test_forget_task_and_clean_exit(tmp_path, content):
    mbox = write_mbox(tmp_path / "approved.mbox", thread_messages())
    assert invoke("import-comments", "--source", str(mbox), "--content", str(content),
                  home=tmp_path).returncode == 0
    result = invoke("forget-commenter", "pekka@example.org", "--content", str(content),
                    home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Removed 1 comment(s)" in result.stdout and "pekka" not in result.stdout
    assert len(list((content / "comments").glob("*/*.md"))) == 3


def test_a_missing_source_is_a_clear_error(tmp_path, content):
    result = invoke("import-comments", "--source", str(tmp_path / "missing.mbox"),
                    "--content", str(content), home=tmp_path)
    assert result.returncode == 1
    assert "missing.mbox: no such file or folder" in result.stderr


def test_address_scan_benchmark_runs_at_small_size():
    from benchmarks import bench_address_scan

    results = bench_address_scan.measure(3000)
    assert {name.partition(":")[0] for name in results} == {"mask", "check", "import"}
    assert all(isinstance(seconds, float) for seconds in results.values())


def test_benchmark_runs_at_small_size(tmp_path):
    result = measure(30, tmp_path)
    assert (result["imported"], result["rejected"], result["reimport_added"]) == (30, 0, 0)
    assert result["messages_per_second"] > 0


def test_parsing_in_a_process_pool_gives_the_same_comments_and_rejections(tmp_path, monkeypatch):
    from hyva_tools.comment_import import importer

    messages = thread_messages() + [
        make_message(message_id="<nocase@example.com>", subject="Hei", body="Ei tapausta."),
        b"From: \nSubject: broken\n\nNo sender.\n",
    ]
    mbox = write_mbox(tmp_path / "approved.mbox", messages)
    serial = run(mbox, tmp_path / "serial")
    monkeypatch.setattr(importer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(importer, "PARALLEL_CHUNK", 2)
    pooled = run(mbox, tmp_path / "pooled")
    assert tree_snapshot(tmp_path / "pooled") == tree_snapshot(tmp_path / "serial")
    assert [str(r) for r in pooled.rejected] == [str(r) for r in serial.rejected]
    assert len(pooled.imported) == 4 and len(pooled.rejected) == 2


@pytest.mark.parametrize("pooled", [False, True])
def test_replies_before_the_mail_they_answer_thread_the_same(tmp_path, monkeypatch, pooled):
    """Replies are written as they arrive once the comment they answer exists;
    a reply met before it waits, so the source's order never changes a thread."""
    from hyva_tools.comment_import import importer

    if pooled:
        monkeypatch.setattr(importer, "PARALLEL_FROM", 1)
        monkeypatch.setattr(importer, "PARALLEL_CHUNK", 2)
    in_order = run(write_mbox(tmp_path / "in-order.mbox", thread_messages()), tmp_path / "a")
    reversed_ = run(write_mbox(tmp_path / "reversed.mbox", thread_messages()[::-1]), tmp_path / "b")
    assert tree_snapshot(tmp_path / "b") == tree_snapshot(tmp_path / "a")
    assert [c.id for c in reversed_.imported] == [c.id for c in in_order.imported]
    second = imported(tmp_path / "b")[comment_id(KEY, "second@example.org")]
    assert second.parent == comment_id(KEY, "first@example.com")
