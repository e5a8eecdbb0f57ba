"""Read approved mail, read-only, from wherever the moderator keeps it.

A SOURCE is an mbox file, a single message file, a Maildir, a folder of
`.eml` files, or `imap://user@host:port/Folder` (`imaps://` for TLS). Nothing
in a source is ever deleted, moved or flagged: IMAP folders are opened with
EXAMINE and read with BODY.PEEK, so even the \\Seen flag stays as it was.
IMAPClient encodes folder names such as "Hyväksytyt" for the server. The
IMAP password comes from `HYVA_IMAP_PASSWORD` or a prompt.
"""

from __future__ import annotations

import contextlib
import getpass
import mailbox
import os
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

PASSWORD_VARIABLE = "HYVA_IMAP_PASSWORD"
IMAP_BATCH = 500


class SourceError(Exception):
    """The source itself cannot be read (missing, wrong kind, login refused)."""


@dataclass
class SourceMessage:
    location: str  # where the moderator finds the message again, e.g. "UID 7"
    raw: bytes


def read_messages(source: str, on_total=None) -> Iterator[SourceMessage]:
    """The source's messages in order; `on_total(count)` is called once the
    source knows how many it holds, before they are read (for progress)."""
    on_total = on_total or (lambda count: None)
    if source.startswith(("imap://", "imaps://")):
        return _imap(source, on_total)
    path = Path(source).expanduser()
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            return _maildir(path, on_total)
        return _eml_folder(path, on_total)
    if path.is_file():
        with path.open("rb") as stream:
            is_mbox = stream.read(5) == b"From "
        if is_mbox:
            return _mbox(path, on_total)
        on_total(1)
        return iter([SourceMessage(path.name, path.read_bytes())])
    raise SourceError(f"{source}: no such file or folder. Give an mbox file, a Maildir, "
                      "a folder of .eml files or an imap:// or imaps:// URL")


def _mbox(path: Path, on_total) -> Iterator[SourceMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()  # one pass over the file, which iterating makes anyway
        on_total(len(keys))
        for number, key in enumerate(keys, 1):
            yield SourceMessage(f"{path.name} message {number}", box.get_bytes(key))
    finally:
        box.close()


def _maildir(path: Path, on_total) -> Iterator[SourceMessage]:
    """Messages of cur/ and new/ by file name. Plain directory reads: the
    mailbox module stats every file twice, which tripled re-import time."""
    listed = [(folder, sorted((entry for entry in os.scandir(path / folder)
                               if not entry.name.startswith(".") and entry.is_file()),
                              key=lambda entry: entry.name))
              for folder in ("cur", "new")]
    on_total(sum(len(entries) for _, entries in listed))
    for folder, entries in listed:
        for entry in entries:
            with open(entry.path, "rb") as stream:
                yield SourceMessage(f"Maildir {folder}/{entry.name}", stream.read())


def _eml_folder(path: Path, on_total) -> Iterator[SourceMessage]:
    files = sorted(path.glob("*.eml"))
    if not files:
        raise SourceError(f"{path}: the folder has no .eml files and is not a Maildir "
                          "(a Maildir has cur/, new/ and tmp/)")
    on_total(len(files))
    for file in files:
        yield SourceMessage(file.name, file.read_bytes())


def _imap(url: str, on_total) -> Iterator[SourceMessage]:
    expected = "expected imap://user@host:port/Folder (imaps:// for TLS)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # a port that is no number, an unclosed [ of an IPv6 host
        raise SourceError(f"the IMAP address is malformed ({error}); {expected}") from None
    if not parts.hostname or not parts.username:
        raise SourceError(f"the IMAP address has no user or host; {expected}")
    user, folder = unquote(parts.username), unquote(parts.path.lstrip("/")) or "INBOX"
    secure = parts.scheme == "imaps"
    port = port or (993 if secure else 143)
    password = os.environ.get(PASSWORD_VARIABLE) or _ask_password(user, parts.hostname)
    try:
        client = IMAPClient(parts.hostname, port=port, ssl=secure,
                            ssl_context=ssl.create_default_context() if secure else None)
    except (OSError, IMAPClientError) as error:
        raise SourceError(f"{parts.hostname}:{port}: cannot connect ({error})") from None
    try:
        try:
            client.login(user, password)
        except LoginError:
            raise SourceError(f"{parts.hostname}: login refused for {user}") from None
        try:
            client.select_folder(folder, readonly=True)  # EXAMINE: flags stay as they are
        except IMAPClientError:
            raise SourceError(f"{parts.hostname}: no folder {folder!r}") from None
        uids = client.search("ALL")
        on_total(len(uids))
        for start in range(0, len(uids), IMAP_BATCH):
            fetched = client.fetch(uids[start:start + IMAP_BATCH], ["BODY.PEEK[]"])
            for uid, data in sorted(fetched.items()):
                yield SourceMessage(f"UID {uid}", data[b"BODY[]"])
    finally:
        with contextlib.suppress(OSError, IMAPClientError):
            client.logout()


def _ask_password(user: str, host: str) -> str:
    try:
        return getpass.getpass(f"IMAP password for {user} at {host}: ")
    except EOFError:  # no terminal to ask on, as in CI
        raise SourceError(f"no IMAP password: set {PASSWORD_VARIABLE}") from None
