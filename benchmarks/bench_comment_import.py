"""Import N approved messages from a Maildir, then re-import the unchanged source.

Targets: at least 2,000 messages per second for the first import of 10,000,
and under one second for the re-import (it only reads Message-IDs).

    python -m benchmarks.bench_comment_import            # 10,000 messages
    python -m benchmarks.bench_comment_import --count 500
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from hyva_tools.comment_import.importer import run_import

ROOT = Path(__file__).resolve().parents[1]

CASES = ["kiitos-jai-ilman-vastausta", "maksumuistutus-ja-saarna", "palautelomake-emme-vastaa"]
SENTENCES = [
    "Hyvä esimerkki siitä, miten pieni asia ratkaisee.",
    "Minulle kävi aivan samoin viime keväänä.",
    "Vastaus olisi voinut olla lyhyempi ja ystävällisempi.",
    "Kiitos, että kirjoitit tästä!",
    "Tämä kannattaisi lähettää yrityksen johdolle.",
]
KEY = b"benchmark key, not a secret"


def approved_message(number: int, rng: random.Random) -> bytes:
    """One realistic approved comment: a name, a Finnish quote header to strip,
    every third one answering the previous message."""
    message = EmailMessage()
    message["From"] = f"Lukija {number} <lukija{number}@example.com>"
    message["To"] = "kommentit@hyvavastaus.fi"
    sent = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<bench-{number}@example.com>"
    if number % 3 == 2:
        message["In-Reply-To"] = f"<bench-{number - 1}@example.com>"
        message["Subject"] = f"Re: [kommentti] {CASES[(number - 1) % len(CASES)]}"
    else:
        message["Subject"] = f"[kommentti] {CASES[number % len(CASES)]}"
    text = " ".join(rng.sample(SENTENCES, 3))
    quote = f"Lukija kirjoitti {sent:%d.%m.%Y} kello {sent:%H.%M}:\n\n> Aiempi viesti\n"
    message.set_content(f"{text}\n\n{quote}", charset="utf-8")
    return message.as_bytes()


def write_maildir(folder: Path, count: int) -> None:
    rng = random.Random(4)
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / "cur" / f"{1700000000 + number}.M{number}P1.bench:2,S").write_bytes(
            approved_message(number, rng))


def measure(count: int, workdir: Path) -> dict:
    maildir, comments = workdir / "Maildir", workdir / "comments"
    write_maildir(maildir, count)
    os.sync()  # the mailbox exists before the import: don't time its write-back
    started, cpu_started = time.perf_counter(), time.process_time()
    first = run_import(str(maildir), comments, set(CASES), key=KEY)
    import_seconds = time.perf_counter() - started
    import_cpu_seconds = time.process_time() - cpu_started
    started = time.perf_counter()
    again = run_import(str(maildir), comments, set(CASES), key=KEY)
    reimport_seconds = time.perf_counter() - started
    return {
        "messages": count,
        "imported": len(first.imported),
        "rejected": len(first.rejected),
        "messages_per_second": count / import_seconds,
        # On a shared machine the wall clock includes waiting for the CPU.
        "messages_per_cpu_second": count / import_cpu_seconds,
        "reimport_seconds": reimport_seconds,
        "reimport_added": len(again.imported),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    arguments = parser.parse_args()
    # Beside the project, as content/comments is: on some machines /tmp is a
    # much slower file system for creating many small files.
    scratch = ROOT / "benchmarks" / "results"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as workdir:
        result = measure(arguments.count, Path(workdir))
    print(f"{result['messages']} messages: {result['messages_per_second']:.0f} messages/s "
          f"(target 2000; {result['messages_per_cpu_second']:.0f} per CPU second), "
          f"re-import {result['reimport_seconds']:.2f} s (target < 1 s), "
          f"{result['rejected']} rejected")


if __name__ == "__main__":
    main()
