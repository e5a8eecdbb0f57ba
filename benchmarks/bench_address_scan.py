"""Looking for addresses in one huge token: the import's masking and parse,
and `invoke check`'s address check, on inputs that once took minutes.

Target: under 1 s for each at 1 MB (the default size).

    python -m benchmarks.bench_address_scan                # 1 MB tokens
    python -m benchmarks.bench_address_scan --size 100000
"""

from __future__ import annotations

import argparse
import contextlib
import time
from email.message import EmailMessage

from hyva.privacy import mask_addresses
from hyva_tools.check.addresses import find_addresses
from hyva_tools.comment_import.mail import UnusableMessage, parse_message

CASES = {"kiitos-jai-ilman-vastausta"}


def tokens(size: int) -> dict[str, str]:
    """One-token inputs of `size` characters that make a careless pattern
    retry at every position."""
    return {
        "letters": "a" * size,
        "letters then an address": "a" * (size - 12) + "@example.org",
        "at signs between letters": "a@" * (size // 2),
        "dotted domain without end": "x@" + "b." * ((size - 2) // 2),
        "non-ASCII letters": "ä" * (size - 5) + "@x.fi",
        "percent escapes": "%40" * (size // 3),
    }


def message(token: str, where: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Liisa <liisa@example.com>"
    mail["To"] = "kommentit@hyvavastaus.fi"
    mail["Date"] = "Wed, 08 Jan 2025 09:15:00 +0200"
    mail["Message-ID"] = "<iso@example.com>"
    mail["Subject"] = "[kommentti] kiitos " + (token if where == "subject" else "")
    mail.set_content(token if where == "body" else "Lyhyt.", charset="utf-8")
    return mail.as_bytes()


def timed(function, *arguments) -> float:
    started = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - started


def parse(raw: bytes) -> None:
    with contextlib.suppress(UnusableMessage):  # over the size limit: rejected, as it should be
        parse_message(raw, CASES)


def measure(size: int = 1_000_000) -> dict[str, float]:
    """Seconds for each input, by what was timed."""
    mask_addresses("a@example.org")  # Unicode's format characters are listed once, first
    results = {}
    for name, token in tokens(size).items():
        results[f"mask: {name}"] = timed(mask_addresses, token)
        results[f"check: {name}"] = timed(lambda text: list(find_addresses(text)),
                                          f"<p>{token}</p>")
    for where in ("subject", "body"):
        results[f"import: token in the {where}"] = timed(parse, message("a@" * (size // 2), where))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    arguments = parser.parse_args()
    results = measure(arguments.size)
    for name, seconds in results.items():
        print(f"{seconds:6.3f} s  {name}")
    print(f"slowest {max(results.values()):.3f} s (target < 1 s at 1 MB)")


if __name__ == "__main__":
    main()
