"""Importing from a real Dovecot IMAP server on 127.0.0.1, over imap:// and imaps://."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_case
from hyva import commentfile
from hyva_tools.comment_import.importer import run_import
from hyva_tools.comment_import.sources import SourceError
from mail_support import PASSWORD, make_message

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
KEY = b"test key, not a secret"
CASES = {"kiitos-jai-ilman-vastausta"}


def approved(prefix: str) -> list[bytes]:
    return [
        make_message(message_id=f"<{prefix}-1@example.com>", body="Ensimmäinen IMAP-kommentti."),
        make_message(sender="Pekka <pekka@example.org>", message_id=f"<{prefix}-2@example.org>",
                     subject="Re: [kommentti] kiitos-jai-ilman-vastausta",
                     in_reply_to=f"<{prefix}-1@example.com>", body="Vastaus siihen."),
        make_message(message_id=f"<{prefix}-3@example.com>", subject="Ei tapausta"),
    ]


def test_import_over_imap_reads_only_the_folder_and_changes_nothing(dovecot, imap_password,
                                                                    tmp_path):
    dovecot.deliver("Hyväksytyt kommentit", approved("plain"))
    dovecot.deliver("INBOX", [make_message(message_id="<unapproved@example.com>")])
    flags_before = dovecot.flags("Hyväksytyt kommentit")

    report = run_import(dovecot.url("Hyväksytyt kommentit"), tmp_path / "comments", CASES, key=KEY)

    assert len(report.imported) == 2 and len(report.rejected) == 1
    assert report.rejected[0].location.startswith("UID ")
    assert report.rejected[0].message_id == "pl…@exa…"  # a hint only: it might be an address
    reply = next(comment for comment in report.imported if comment.author == "Pekka")
    assert reply.parent is not None
    assert dovecot.flags("Hyväksytyt kommentit") == flags_before  # not even \Seen was set
    assert len(flags_before) == 3 and all(b"\\Seen" not in flags for flags in flags_before.values())
    stored = [commentfile.load(path) for path in (tmp_path / "comments").rglob("*.md")]
    assert sorted(comment.text for comment in stored) == ["Ensimmäinen IMAP-kommentti.",
                                                          "Vastaus siihen."]
    again = run_import(dovecot.url("Hyväksytyt kommentit"), tmp_path / "comments", CASES, key=KEY)
    assert (len(again.imported), again.present) == (0, 2)


def test_import_over_imaps_with_a_verified_certificate(dovecot, imap_password, tmp_path,
                                                       monkeypatch):
    dovecot.deliver("Secure", approved("tls"))
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cafile))
    report = run_import(dovecot.url("Secure", secure=True), tmp_path / "comments", CASES, key=KEY)
    assert len(report.imported) == 2


def test_imaps_refuses_an_unverified_certificate(dovecot, imap_password, tmp_path, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", os.devnull)
    with pytest.raises(SourceError, match="cannot connect"):
        run_import(dovecot.url("INBOX", secure=True), tmp_path / "comments", CASES, key=KEY)


def test_a_wrong_password_or_folder_is_a_clear_error(dovecot, tmp_path, monkeypatch):
    monkeypatch.setenv("HYVA_IMAP_PASSWORD", "wrong")
    with pytest.raises(SourceError, match="login refused"):
        run_import(dovecot.url("INBOX"), tmp_path / "comments", CASES, key=KEY)
    monkeypatch.setenv("HYVA_IMAP_PASSWORD", PASSWORD)
    with pytest.raises(SourceError, match="no folder 'Puuttuu'"):
        run_import(dovecot.url("Puuttuu"), tmp_path / "comments", CASES, key=KEY)


def invoke_import(source: str, tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    """The task as a maintainer runs it, with no terminal (a new session, as in CI)."""
    content = tmp_path / "content"
    write_case(content / "cases", "kiitos-jai-ilman-vastausta", "Kiitos jäi ilman vastausta",
               "Teksti.\n")
    variables = {key: value for key, value in os.environ.items() if key != "HYVA_IMAP_PASSWORD"}
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "import-comments",
         "--source", source, "--content", str(content)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, start_new_session=True,
        env={**variables, "XDG_CONFIG_HOME": str(tmp_path), **environment})


def test_import_task_takes_the_password_from_the_environment(dovecot, tmp_path):
    dovecot.deliver("Task", approved("task")[:2])
    result = invoke_import(dovecot.url("Task"), tmp_path, HYVA_IMAP_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Imported 2, already present 0" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr


def test_without_a_password_or_terminal_the_task_stops_cleanly(dovecot, tmp_path):
    result = invoke_import(dovecot.url("INBOX"), tmp_path)
    assert result.returncode == 1
    assert "no IMAP password: set HYVA_IMAP_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
