"""Personal identifiers (hyva.identifiers): how many are found, how many
look-alikes are taken for one, and what finding them adds to an import and
to `invoke check`.

- Detection: at least 2,000 valid identifiers, made with the libraries
  (a henkilötunnus of every century sign, Finnish and foreign phone numbers,
  IBANs, card numbers of each issuer), in Finnish sentences, in every
  obfuscated form of `FORMS`. Target: 100 %.
- False positives on the six cases, the sample mailbox and
  ../shared/corpora/email. Target: 0, each remaining one explained.
- Cost at 10,000 messages: the import with and without masking them, and
  `invoke check` of the site built from that import with and without the
  identifier check, in paired rounds. Target: at most 10 % added.

    python -m benchmarks.bench_identifiers                    # 2,000 and 10,000
    python -m benchmarks.bench_identifiers --identifiers 400 --messages 500 --rounds 1
"""

from __future__ import annotations

import argparse
import contextlib
import html
import mailbox
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from pelican import Pelican
from pelican.settings import read_settings
from stdnum import iban, luhn
from stdnum.fi import hetu

from benchmarks.bench_comment_import import KEY, approved_message
from hyva import identifiers
from hyva.cases import case_files
from hyva.identifiers import CARD, HETU, IBAN, PHONE, find_identifiers
from hyva_tools import check
from hyva_tools.comment_import import mail
from hyva_tools.comment_import.importer import run_import

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "email"
SAMPLE = ROOT / "samples" / "approved-comments.mbox"


@dataclass(frozen=True)
class Generated:
    kind: str
    written: str  # as people write it, groups separated by single spaces
    value: str  # canonical, as hyva.identifiers reports it


# --- Valid identifiers, made and confirmed by the libraries ----------------

CENTURY_SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def a_hetu(rng: random.Random) -> Generated:
    century = rng.choice(sorted(CENTURY_SIGNS))
    year, month, day = century + rng.randrange(100), rng.randint(1, 12), rng.randint(1, 28)
    if century == 2000:
        year = min(year, 2024)
    stem = f"{day:02}{month:02}{year % 100:02}{rng.choice(CENTURY_SIGNS[century])}" \
           f"{rng.randint(2, 899):03}"
    code = next(stem + character for character in CHECK_CHARACTERS
                if hetu.is_valid(stem + character))
    return Generated(HETU, f"{code[:2]} {code[2:4]} {code[4:]}", hetu.compact(code))


PHONE_STARTS = [("FI", "40"), ("FI", "41"), ("FI", "44"), ("FI", "45"), ("FI", "46"),
                ("FI", "50"), ("FI", "9"), ("FI", "2"), ("FI", "3"), ("SE", "70"), ("EE", "5")]


def a_phone(rng: random.Random) -> Generated:
    while True:
        region, start = rng.choice(PHONE_STARTS)
        national = start + "".join(rng.choice("0123456789") for _ in range(7))
        number = phonenumbers.parse(national, region)
        if phonenumbers.is_valid_number(number):
            break
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == "FI" and rng.random() < 0.6
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    written = " ".join(phonenumbers.format_number(number, style).replace("-", " ").split())
    return Generated(PHONE, written, phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164))


IBAN_SHAPES = [("FI", 14), ("FI", 14), ("DE", 18), ("SE", 20), ("EE", 16)]


def an_iban(rng: random.Random) -> Generated:
    while True:
        country, length = rng.choice(IBAN_SHAPES)
        bban = "".join(rng.choice("0123456789") for _ in range(length))
        number = country + iban.calc_check_digits(f"{country}00{bban}") + bban
        if iban.is_valid(number):
            return Generated(IBAN, iban.format(number), number)


CARD_SHAPES = [("4", 16), ("4", 13), ("51", 16), ("55", 16), ("2221", 16), ("34", 15),
               ("37", 15), ("36", 14), ("6011", 16), ("65", 16), ("3530", 16), ("62", 16)]


def a_card(rng: random.Random) -> Generated:
    start, length = rng.choice(CARD_SHAPES)
    stem = start + "".join(rng.choice("0123456789") for _ in range(length - len(start) - 1))
    number = stem + luhn.calc_check_digit(stem)
    assert luhn.is_valid(number)
    groups = (4, 6, 5) if length == 15 else (4, 6, 4) if length == 14 else (4,) * 5
    pieces, position = [], 0
    for size in groups:
        if position < length:
            pieces.append(number[position:position + size])
            position += size
    return Generated(CARD, " ".join(pieces), number)


MAKERS = (a_hetu, a_phone, an_iban, a_card)


def generate(count: int, seed: int = 21) -> list[Generated]:
    """`count` valid identifiers, as many of each kind."""
    rng = random.Random(seed)
    return [MAKERS[number % len(MAKERS)](rng) for number in range(count)]


# --- The ways they are hidden --------------------------------------------

def full_width(text: str) -> str:
    return "".join(chr(ord(character) + 0xFEE0) if character.isascii() and character.isalnum()
                   else character for character in text)


def tag_split(text: str) -> str:
    third = len(text) // 3
    return f"{text[:third]}<b>{text[third:2 * third]}</b>{text[2 * third:]}"


def referenced(text: str) -> str:
    """Every other digit and each space as a character reference."""
    return "".join(f"&#{ord(character)};" if character.isdigit() and number % 2
                   else "&nbsp;" if character == " " else character
                   for number, character in enumerate(text))


FORMS = {
    "as written": lambda text: text,
    "no spaces": lambda text: text.replace(" ", ""),
    "dashes": lambda text: text.replace(" ", "-"),
    "dots": lambda text: text.replace(" ", "."),
    "no-break spaces": lambda text: text.replace(" ", "\u00a0"),
    "full-width": full_width,
    "HTML tags": tag_split,
    "character references": referenced,
}
SENTENCES = {
    HETU: ["Asiakaspalvelija pyysi henkilötunnukseni {} puhelimessa.",
           "Lomakkeeseen piti kirjoittaa hetu ({}), vaikka asia koski vain laskua."],
    PHONE: ["Soittakaa minulle numeroon {}, kiitos.", "Puhelinnumeroni on {} ja vastaan iltaisin."],
    IBAN: ["Palautuksen voi maksaa tililleni {} viikon sisällä.",
           "Tilinumero {} on jo ilmoitettu kahdesti."],
    CARD: ["Veloitus tehtiin kortilta {} kahteen kertaan.", "Korttini numero on {}, tarkistakaa."],
}


def sentence(generated: Generated, form: str, number: int = 0) -> str:
    templates = SENTENCES[generated.kind]
    return templates[number % len(templates)].format(FORMS[form](generated.written))


# --- Detection and false positives -----------------------------------------

def detection(generated: list[Generated]) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, form) -> (found, of how many)."""
    results: dict[tuple[str, str], list[int]] = {}
    for number, item in enumerate(generated):
        for form in FORMS:
            text = sentence(item, form, number)
            found = [(hit.kind, hit.value) for hit in find_identifiers(text)]
            tally = results.setdefault((item.kind, form), [0, 0])
            tally[0] += found == [(item.kind, item.value)]
            tally[1] += 1
    return {key: (found, total) for key, (found, total) in results.items()}


def texts_to_scan() -> dict[str, str]:
    """The six cases, the sample mailbox's messages and the shared email
    corpus (read in place, when it is beside the project), by name."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
             for path in case_files(settings)}
    for number, message in enumerate(mailbox.mbox(SAMPLE), 1):
        texts[f"{SAMPLE.name} message {number}"] = message.as_bytes().decode("utf-8", "replace")
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            texts[f"corpora/email/{path.name}"] = path.read_bytes().decode("utf-8", "replace")
    return texts


def false_positives(texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(source, kind, masked value) of each identifier found in them."""
    return [(name, hit.kind, identifiers.masked_value(html.unescape(text)[hit.start:hit.end]))
            for name, text in texts.items() for hit in find_identifiers(html.unescape(text))]


# --- Cost: import and check at N messages, paired ---------------------------

CASES = ["kiitos-jai-ilman-vastausta", "maksumuistutus-ja-saarna", "palautelomake-emme-vastaa"]


@contextlib.contextmanager
def without_identifiers():
    """The import as it was before identifiers were masked (for the pairing)."""
    original = mail.mask_identifiers
    mail.mask_identifiers = lambda text, labels: (text, Counter())
    try:
        yield
    finally:
        mail.mask_identifiers = original


def import_once(mbox: Path, comments: Path) -> float:
    shutil.rmtree(comments, ignore_errors=True)
    started = time.perf_counter()
    run_import(str(mbox), comments, set(CASES), key=KEY)
    return time.perf_counter() - started


def check_once(output: Path, settings: dict, checks) -> float:
    started = time.perf_counter()
    check.check_site(output, settings, checks)
    return time.perf_counter() - started


def paired(first, second, rounds: int) -> tuple[float, float]:
    """Medians of `first` and `second`, run alternately (ABBA) `rounds` times each."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for round_number in range(rounds):
        order = (0, 1) if round_number % 2 == 0 else (1, 0)
        for which in order:
            times[which].append((first, second)[which]())
    return statistics.median(times[0]), statistics.median(times[1])


def write_mbox(path: Path, count: int) -> Path:
    """`count` comments of the import benchmark, every tenth with an identifier."""
    rng = random.Random(4)
    extra = generate(max(count // 10, 1), seed=5)
    box = mailbox.mbox(path)
    for number in range(count):
        raw = approved_message(number, rng)
        if number % 10 == 0:
            item = extra[(number // 10) % len(extra)]
            raw = raw.replace(b"\n\nLukija kirjoitti",
                              f" {sentence(item, 'as written')}\n\nLukija kirjoitti".encode(), 1)
        box.add(raw)
    box.flush()
    return path


def costs(messages: int, rounds: int, work: Path) -> dict[str, tuple[float, float]]:
    """(with, without) seconds of the import and of the check."""
    mbox = write_mbox(work / "approved.mbox", messages)
    project = work / "project"
    shutil.copytree(ROOT / "content", project / "content")
    comments = project / "content" / "comments"
    results = {}

    def without_masking() -> float:
        with without_identifiers():
            return import_once(mbox, comments)

    results["import"] = paired(lambda: import_once(mbox, comments), without_masking, rounds)
    import_once(mbox, comments)
    settings = read_settings(str(ROOT / "publishconf.py"),
                             override={"PATH": str(project / "content"),
                                       "OUTPUT_PATH": str(work / "output"),
                                       "CACHE_PATH": str(work / "cache")})
    Pelican(settings).run()
    others = tuple(each for each in check.CHECKS if each.name != "identifiers")
    results["check"] = paired(lambda: check_once(work / "output", settings, check.CHECKS),
                              lambda: check_once(work / "output", settings, others), rounds)
    return results


def report(identifier_count: int, messages: int, rounds: int, work: Path) -> str:
    generated = generate(identifier_count)
    rates = detection(generated)
    lines = [f"Detection, {len(generated)} valid identifiers x {len(FORMS)} forms:"]
    for kind in (HETU, PHONE, IBAN, CARD):
        cells = [f"{form} {found}/{total}" for (each, form), (found, total) in rates.items()
                 if each == kind]
        lines.append(f"  {kind}: " + ", ".join(cells))
    found = sum(found for found, _ in rates.values())
    total = sum(total for _, total in rates.values())
    lines.append(f"  all: {found}/{total} = {100 * found / total:.2f} % (target 100 %)")
    scanned = texts_to_scan()
    wrong = false_positives(scanned)
    lines.append(f"False positives in {len(scanned)} texts (cases, sample mailbox, corpus): "
                 f"{len(wrong)} (target 0)")
    lines += [f"  {name}: {kind} ({masked})" for name, kind, masked in wrong]
    for what, (with_it, without) in costs(messages, rounds, work).items():
        lines.append(f"{what.capitalize()} at {messages} messages, median of {rounds}: "
                     f"{with_it:.2f} s with / {without:.2f} s without = {with_it / without:.3f}x "
                     "(target at most 1.10x)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identifiers", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    scratch = ROOT / "benchmarks" / "results"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch) as work:
        print(report(arguments.identifiers, arguments.messages, arguments.rounds, Path(work)))


if __name__ == "__main__":
    main()
