"""Mutated mail through the real import, for a few seconds, then the build.

Seeds are the test mails and, when `../shared/corpora/email` is beside the
project, the real-world mails there (read in place). Mutations break
headers and charsets, insert control and XML-forbidden characters, raw
8-bit bytes and hidden addresses, nest messages and cut them short. Each
round imports an mbox and a Maildir of them; the invariants are those of
every import: no exception, every message accounted for, files the build
reads, the source unchanged, no address anywhere; at the end the site
builds and passes `invoke check`.
"""

from __future__ import annotations

import random
import re
import time
from email.utils import getaddresses

from conftest import SHARED, copy_project
from hyva import commentfile
from hyva.privacy import MASK, printable
from hyva.xmltext import first_forbidden
from hyva_tools.comment_import.importer import run_import
from hyva_tools.comment_import.sources import read_messages
from mail_support import (
    SAMPLE_KEY,
    assert_no_address,
    assert_site_passes,
    make_message,
    texts_under,
    tree_snapshot,
    write_maildir,
    write_mbox,
)

CASE = "kiitos-jai-ilman-vastausta"
SECONDS = 4
SENDERS = [f"fuzz{number}@example.org" for number in range(8)]
HIDDEN = ["mat\u00adti@example.org", "matti\uff20example.org", "matti%40example.org",
          "matti@\nexample.org", '"matti m"@example.org', "matti@[192.0.2.7]"]
INSERTS = ["\x00", "\x01", "\x1b[2J", "\x7f", "\ufffe", "\uffff", "\u202e", "\u00ad", "\r",
           "=?utf-8?b?TWF0dGkBAg==?=", "\x85", "[kommentti] ../../x"]
CHARSETS = [b"koi8-r", b"utf-7", b"x-bogus", b"iso-8859-1", b"utf-16", b"", b"\"utf-8"]


def seeds() -> list[bytes]:
    mails = [make_message(sender=f"Nimi {n} <{address}>", message_id=f"<seed{n}@example.org>",
                          body=f"Siemen {n}, ääkkösin. Kirjoita {HIDDEN[n % len(HIDDEN)]}.",
                          date=f"Fri, 10 Jan 2025 1{n % 10}:00:00 +0200")
             for n, address in enumerate(SENDERS)]
    corpus = SHARED / "corpora" / "email"
    if corpus.is_dir():
        mails += [path.read_bytes() for path in sorted(corpus.iterdir()) if path.is_file()]
    return mails


def mutate(mail: bytes, rng: random.Random) -> bytes:
    """One to three random breakages of `mail`."""
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(8)
        header_end = mail.find(b"\n\n") if b"\n\n" in mail else mail.find(b"\r\n\r\n")
        if choice == 0:  # a control or forbidden character anywhere
            at = rng.randrange(len(mail) + 1)
            mail = mail[:at] + rng.choice(INSERTS).encode("utf-8", "surrogatepass") + mail[at:]
        elif choice == 1:  # raw 8-bit bytes in a header
            at = rng.randrange(max(header_end, 1))
            mail = mail[:at] + rng.choice([b"\xe4", b"\xc3\xa4", b"\xff\xfe", b"\x80"]) + mail[at:]
        elif choice == 2:  # a lying or broken charset label
            mail = re.sub(rb"charset=\"?[\w-]+\"?", b"charset=" + rng.choice(CHARSETS), mail)
        elif choice == 3:  # nested as an attachment of another message
            mail = (b"From: Sis\xc3\xa4kk\xc3\xa4inen <nest@example.org>\r\nSubject: [kommentti] "
                    + CASE.encode() + b"\r\nDate: Fri, 10 Jan 2025 12:00:00 +0200\r\n"
                    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                    b"--b\r\nContent-Type: message/rfc822\r\n\r\n" + mail + b"\r\n--b--\r\n")
        elif choice == 4:  # cut short
            mail = mail[:rng.randrange(1, len(mail) + 2)]
        elif choice == 5:  # a header dropped or doubled
            lines = mail.split(b"\n")
            at = rng.randrange(max(1, min(len(lines), 12)))
            lines[at:at + 1] = [] if rng.random() < 0.5 else [lines[at]] * 2
            mail = b"\n".join(lines)
        elif choice == 6:  # a hidden address in the body
            mail += rng.choice(HIDDEN).encode()
        else:  # a broken transfer encoding
            mail = mail.replace(b"8bit", b"base64", 1).replace(b"7bit", b"quoted-printable", 1)
    return mail


def senders_of(mails: list[bytes]) -> list[str]:
    """Every address the mails name, to look for afterwards."""
    headers = (mail.decode("latin-1") for mail in mails)
    found = {address.lower() for text in headers
             for _, address in getaddresses(re.findall(r"(?im)^(?:from|to|cc):(.*)$", text))
             if re.fullmatch(r"[^@\s]+@[\w.-]+\.\w+", address)}
    return sorted(found | {"matti@example.org"})


def test_mutated_mail_keeps_every_invariant(tmp_path):
    project = copy_project(tmp_path / "project")
    comments = project / "content" / "comments"
    rng = random.Random(16)
    originals = seeds()
    deadline = time.monotonic() + SECONDS
    rounds = messages = 0
    everything: list[bytes] = []
    while time.monotonic() < deadline or rounds < 2:
        batch = [mutate(rng.choice(originals), rng) for _ in range(20)]
        everything += batch
        for source in (write_mbox(tmp_path / f"fuzz{rounds}.mbox", batch),
                       write_maildir(tmp_path / f"Maildir{rounds}", batch)):
            before = tree_snapshot(source) if source.is_dir() else source.read_bytes()
            # As the source holds them: a mail starting "From " is two in an mbox.
            held = len(list(read_messages(str(source))))
            report = run_import(str(source), comments, {CASE}, key=SAMPLE_KEY.encode())
            assert len(report.imported) + report.present + report.erased \
                + len(report.rejected) == held, report.summary()
            assert (tree_snapshot(source) if source.is_dir() else source.read_bytes()) == before
            summary = report.summary(MASK)
            assert printable(summary.replace("\n", " ")) == summary.replace("\n", " ")
            for rejection in report.rejected:
                assert rejection.location, rejection
        rounds, messages = rounds + 1, messages + len(batch)
    for folder, paths in commentfile.comment_folders(comments, lambda name: name.startswith(".")):
        for path in paths:
            text = path.read_text(encoding="utf-8")
            assert first_forbidden(text) is None, path
            assert commentfile.loads(text, str(path)).case == folder.name
    addresses = senders_of(everything)
    assert_no_address(texts_under(comments), addresses)
    # The site publishes its own addresses (cut short, a mutation still names them).
    assert_site_passes(project, [address for address in addresses if "hyvavastaus" not in address])
    assert rounds >= 2 and messages >= 40
