"""Personal identifiers besides addresses: henkilötunnus, phone, IBAN, card.

Readers paste these into complaints and authors quote such mail; none may
reach the site. Detection is in two steps, as for addresses
(`hyva.privacy`): a linear scan finds runs of digits, however spaced,
dotted, dashed, split by HTML tags or written as character references or
full-width digits; each run is then normalised and confirmed by the
maintained libraries: python-stdnum (`stdnum.fi.hetu`, with the century
signs of 2023, `stdnum.iban`, `stdnum.luhn`) and phonenumbers (region FI).
A date, a price, an order number, an ISBN, a postcode or a Y-tunnus fails
those checks and is left alone.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from stdnum import iban, luhn
from stdnum.fi import hetu

from hyva.cases import read_text
from hyva.settings import Setting, settle
from hyva.translations import N_, interface

HETU, PHONE, IBAN, CARD = "hetu", "phone", "iban", "card"
# In the order they are looked for: a span one of them takes is not
# searched for the later ones (an IBAN's digits are no card number, a
# card's no henkilötunnus); the strictest checksums come first.
KINDS = (IBAN, CARD, HETU, PHONE)
# What a masked identifier becomes, a catalogue msgid per kind
# (theme/translations/*/LC_MESSAGES/identifiers.po).
LABELS = {
    HETU: N_("[personal identity code removed]"),
    PHONE: N_("[phone number removed]"),
    IBAN: N_("[bank account number removed]"),
    CARD: N_("[card number removed]"),
}
# The kind in words, for messages to maintainers and authors.
NAMES = {HETU: "a personal identity code", PHONE: "a phone number",
         IBAN: "a bank account number (IBAN)", CARD: "a payment card number"}

# How a count of each kind is said in a summary: singular, plural.
_COUNTED = {HETU: ("personal identity code", "personal identity codes"),
            PHONE: ("phone number", "phone numbers"), IBAN: ("IBAN", "IBANs"),
            CARD: ("card number", "card numbers")}

# What may stand between the digits of one identifier: blanks, no-break
# and thin spaces, dots, dashes of every kind, slashes, brackets, "+",
# invisible format characters, an HTML tag or a character reference.
_JOINER = r"[ \t.\-/()+\u00a0\u00ad\u2000-\u200f\u2010-\u2015\u2060\u202f\u2212\u3000\ufeff]"
_UNIT = r"\d|&#?[0-9A-Za-z]{1,8};|<[^<>\n]{0,80}>"
_RUN = re.compile(rf"(?:[+(]|\d|&#?[0-9A-Za-z]{{1,8}};)(?:{_JOINER}{{0,3}}(?:{_UNIT}))*")
# Letters that join two runs into one besides a single letter (a hetu's
# century sign): the bank code of an IBAN such as NL91 ABNA 0417 1643 00.
_LETTER_GAP = re.compile(r"[ .\-]?[A-Z]{2,4}[ .\-]?")
# Fewer digits than this make no identifier (a phone number has at least 7).
_MIN_DIGITS = 7
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TOKEN = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]{1,8};|[^\x00-\x7f]")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
# Day, month and year, the century sign, the individual number and the
# check character; dashes between the parts are written too ("13-10-52-308T").
_HETU = re.compile(r"(?=(\d\d)-?(\d\d)-?(\d\d)([-+A-FU-Y])-?(\d{3})([0-9A-Y]))")
_HETU_LENGTH = 11
_ISO_HOUR = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}")
_IBAN = re.compile(r"(?=([A-Z]{2}\d{2}[A-Z0-9]{11,30}))")
_GROUP = re.compile(r"[+(]*\d+")
# Card number lengths by leading digits (issuer identification numbers of
# Visa, Mastercard, American Express, Diners, Discover, JCB, UnionPay):
# (how many leading digits, lowest, highest, lengths).
_LONG = (16, 17, 18, 19)
_CARD_RANGES = (
    (1, 4, 4, (13, 16, 19)),
    (2, 51, 55, (16,)), (4, 2221, 2720, (16,)),
    (2, 34, 34, (15,)), (2, 37, 37, (15,)),
    (3, 300, 305, (14, 15, *_LONG)), (2, 36, 36, (14, 15, *_LONG)), (2, 38, 39, (14, 15, *_LONG)),
    (4, 6011, 6011, _LONG), (3, 644, 649, _LONG), (2, 65, 65, _LONG), (2, 62, 62, _LONG),
    (4, 3528, 3589, _LONG),
)
# Shapes phonenumbers may accept as Finnish numbers but people write for
# something else: a date ("01.05.2014") and a time or span ("09.30-10.00").
_NOT_PHONE = re.compile(r"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.(?:(?:19|20)?\d{2})"
                        r"|\d{4}-\d{2}-\d{2}|\d{1,2}[.:]\d{2})(?!\.?\d)")
# A phone number does not start inside another number ("2009-09-14").
_PART_OF_NUMBER = re.compile(r"\d[-./]")
# A phone number has at most this many groups of digits.
_MAX_PHONE_GROUPS = 6
# ...and from 7 digits (a Finnish number with its trunk "0") to the most
# an international one has (E.164's 15, after "00").
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 17


@dataclass(frozen=True, order=True)
class Identifier:
    """One identifier found: where it is in the text, its kind and its
    value in one canonical form (compact, E.164 for phones)."""

    start: int
    end: int
    kind: str
    value: str


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifier in `text`, in order, with spans in `text` itself."""
    found: list[Identifier] = []
    for start, end in _regions(text):
        found += [identifier for identifier in _in_region(text, start, end)
                  if not _inside_word(text, identifier.start, identifier.end)]
    return found


def _inside_word(text: str, start: int, end: int) -> bool:
    """Whether letters, digits or "_" run on at either end, as in a
    hexadecimal Message-ID ("5BB86EF4B6E24E4C9DA4") or a search index's
    fragment name ("fi_0813992"): part of a token, not a number."""
    return (start > 0 and _word_character(text[start - 1])) \
        or (end < len(text) and _word_character(text[end]))


def _word_character(character: str) -> bool:
    character = unicodedata.normalize("NFKC", character)
    return character.isalnum() or character == "_"


def _regions(text: str) -> Iterable[tuple[int, int]]:
    """Spans of `text` that may hold an identifier: runs with enough digits,
    joined across one letter (a hetu's century sign) or a bank code, and
    widened by a letter on the right (a hetu's check character) and an
    IBAN's two-letter country code on the left."""
    runs = [(found.start(), found.end()) for found in _RUN.finditer(text)]
    merged: list[list[int]] = []
    for start, end in runs:
        gap = text[merged[-1][1]:start] if merged else ""
        if merged and (_LETTER_GAP.fullmatch(gap) or len(gap) == 1 and _latin_letter(gap)):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    for start, end in merged:
        if end - start < _MIN_DIGITS or sum(map(str.isdigit, text[start:end])) < _MIN_DIGITS \
                and "&" not in text[start:end]:
            continue
        if end < len(text) and _latin_letter(text[end]):
            end += 1
        if start >= 2 and all(map(_latin_letter, text[start - 2:start])):
            start -= 2
        if not _holds_none(text, start, end):
            yield start, end


def _holds_none(text: str, start: int, end: int) -> bool:
    """Whether a region can be passed over by its shape alone, which pages
    full of comments need: the date and hour of an ISO time
    ("2015-04-14T11", before ":"), or a region of letters and digits only,
    in which an identifier would be part of a longer token (`_inside_word`)
    unless it is the whole region, and a whole one that mixes letters with
    digits is not shaped as a henkilötunnus or an IBAN ("453108d1b64166b4")."""
    region = text[start:end]
    if _ISO_HOUR.fullmatch(region):
        return True
    if not (region.isascii() and region.isalnum()) or region.isdigit():
        return False
    if (start > 0 and _word_character(text[start - 1])) \
            or (end < len(text) and _word_character(text[end])):
        return True
    return len(region) != _HETU_LENGTH and not region[:2].isalpha()


def _latin_letter(character: str) -> bool:
    """A-Z or a-z, also written full-width ("Ｔ")."""
    return unicodedata.normalize("NFKC", character) in _LATIN


def _normalised(text: str, start: int, end: int) -> tuple[str, list[int], list[int]]:
    """The region as the validators should see it (tags out, character
    references decoded, NFKC so full-width digits and no-break spaces are
    plain, dashes as "-"), with each character's span in `text`."""
    characters, starts, ends = [], [], []
    position = start
    for token in _TOKEN.finditer(text, start, end):
        for offset in range(position, token.start()):
            characters.append(text[offset])
            starts.append(offset)
            ends.append(offset + 1)
        piece = token.group()
        if piece[0] == "<":
            replacement = ""
        elif piece[0] == "&":
            replacement = html.unescape(piece)
            replacement = unicodedata.normalize("NFKC", replacement) \
                if len(replacement) == 1 else piece
        elif unicodedata.category(piece) == "Cf":
            replacement = ""
        else:
            replacement = unicodedata.normalize("NFKC", piece).translate(_DASHES)
        for character in replacement:
            characters.append(character)
            starts.append(token.start())
            ends.append(token.end())
        position = token.end()
    for offset in range(position, end):
        characters.append(text[offset])
        starts.append(offset)
        ends.append(offset + 1)
    return "".join(characters), starts, ends


def _in_region(text: str, start: int, end: int) -> list[Identifier]:
    norm, starts, ends = _normalised(text, start, end)
    taken: list[tuple[int, int]] = []  # spans of norm

    def free(first: int, last: int) -> bool:
        return all(last <= begin or first >= finish for begin, finish in taken)

    found = []

    def add(kind: str, first: int, last: int, value: str) -> None:
        taken.append((first, last))
        found.append(Identifier(starts[first], ends[last - 1], kind, value))

    compact, where = _compacted(norm.upper(), " .-")
    for match in _IBAN.finditer(compact):
        candidate = match.group(1)
        for length in range(len(candidate), 14, -1):
            first, last = where[match.start(1)], where[match.start(1) + length - 1] + 1
            if free(first, last) and iban.is_valid(candidate[:length]):
                add(IBAN, first, last, candidate[:length])
                break
    groups = [(group.start(), group.end()) for group in re.finditer(r"\d+", norm)]
    for index in range(len(groups)):
        lengths = _card_lengths(norm[groups[index][0]:groups[index][0] + 4])
        digits = ""
        for first_group in range(index, len(groups)):
            digits += norm[slice(*groups[first_group])]
            if not lengths or len(digits) > max(lengths) \
                    or first_group > index and _letter_between(norm, groups[first_group - 1][1],
                                                               groups[first_group][0]):
                break
            first, last = groups[index][0], groups[first_group][1]
            if len(digits) in lengths and luhn.is_valid(digits) and free(first, last):
                add(CARD, first, last, digits)
                break
    compact, where = _compacted(norm.upper(), " .")
    for match in _HETU.finditer(compact):
        first, last = where[match.start(1)], where[match.end(6) - 1] + 1
        candidate = "".join(match.groups())
        if free(first, last) and _written_together(where, match.start(5), match.end(6)) \
                and hetu.is_valid(candidate):
            add(HETU, first, last, hetu.compact(candidate))
    taken += [(shape.start(), shape.end()) for shape in _NOT_PHONE.finditer(norm)]
    _phones(norm, free, add)
    return sorted(found)


def _compacted(norm: str, dropped: str) -> tuple[str, list[int]]:
    """`norm` without the characters in `dropped`, and where each kept one was."""
    kept = [(character, index) for index, character in enumerate(norm) if character not in dropped]
    return "".join(character for character, _ in kept), [index for _, index in kept]


def _letter_between(norm: str, end: int, start: int) -> bool:
    """Whether a letter stands between two groups of digits, which then
    belong to no one card or phone number ("453108d1b64166b4" is an id)."""
    return any(character.isalpha() for character in norm[end:start])


def _written_together(where: list[int], start: int, end: int) -> bool:
    """Whether nothing was dropped between these compacted characters: a
    hetu's individual number and check character are one word ("308T"),
    never the time after a date ("2012-11-30 03:00")."""
    return where[end - 1] - where[start] == end - 1 - start


@functools.lru_cache(maxsize=4096)
def _card_lengths(start: str) -> tuple[int, ...]:
    """The lengths a card number starting with these digits may have."""
    return next((lengths for leading, low, high, lengths in _CARD_RANGES
                 if start[:leading].isdigit() and low <= int(start[:leading]) <= high), ())


def _phones(norm: str, free, add) -> None:
    """Phone numbers in the region, confirmed by phonenumbers' matcher. A
    number is written with its trunk "0" or an international "+"/"00", so
    only groups of digits that start so may start one; of the windows of
    groups from there, the longest the matcher takes whole is the number.
    The matcher is slow, so a window goes to it only when phonenumbers'
    parser already calls it a valid number."""
    groups = [(group.start(), group.end(), _digit_count(group.group()))
              for group in _GROUP.finditer(norm)]
    index = 0
    while index < len(groups):
        first = groups[index][0]
        if norm[first:first + 2].lstrip("(")[:1] not in ("0", "+") \
                or _PART_OF_NUMBER.fullmatch(norm, max(first - 2, 0), first):
            index += 1
            continue
        window_groups = [groups[index]]
        for group in groups[index + 1:index + _MAX_PHONE_GROUPS]:
            if _letter_between(norm, window_groups[-1][1], group[0]):
                break
            window_groups.append(group)
        digits = list(itertools.accumulate(group[2] for group in window_groups))
        for last_group in range(index + len(digits) - 1, index - 1, -1):
            last = groups[last_group][1]
            if last < len(norm) and norm[last] == ")":
                last += 1
            window = norm[first:last]
            if not _MIN_PHONE_DIGITS <= digits[last_group - index] <= _MAX_PHONE_DIGITS \
                    or not free(first, last) or not _parses_as_phone(window):
                continue
            match = next(iter(phonenumbers.PhoneNumberMatcher(
                window, "FI", leniency=phonenumbers.Leniency.VALID)), None)
            if match and match.start == 0 and match.end == len(window):
                add(PHONE, first, last, phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164))
                index = last_group
                break
        index += 1


def _digit_count(group: str) -> int:
    return sum(character.isdigit() for character in group)


def _parses_as_phone(window: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(window, "FI"))
    except phonenumbers.NumberParseException:
        return False


def canonical_values(values: Iterable[str]) -> set[str]:
    """The canonical form of every identifier written in `values` (an
    allow-list: "+358 9 123 4567" and "09 1234 567" are one number)."""
    return {found.value for value in values for found in find_identifiers(value)}


def masked_value(text: str) -> str:
    """Enough of a found identifier to find it again, not enough to use it."""
    visible = "".join(character for character in text if character.isalnum())
    return f"{visible[:2]}…"


def labels(settings: dict) -> dict[str, str]:
    """Each kind's mask in the site's interface language ("[henkilötunnus poistettu]")."""
    translation = interface(settings)
    return {kind: translation.gettext(label) for kind, label in LABELS.items()}


def mask_identifiers(text: str, masks: Mapping[str, str] = LABELS) -> tuple[str, Counter]:
    """`text` with each identifier replaced by its kind's mask, and how many
    of each kind were masked."""
    counts: Counter = Counter()
    pieces, position = [], 0
    for found in find_identifiers(text):
        pieces += [text[position:found.start], masks[found.kind]]
        position = found.end
        counts[found.kind] += 1
    if not counts:
        return text, counts
    pieces.append(text[position:])
    return "".join(pieces), counts


def masked_summary(counts: Mapping[str, int]) -> str:
    """How many of each kind were masked, in words: "1 phone number, 2 IBANs"."""
    return ", ".join(f"{counts[kind]} {_COUNTED[kind][counts[kind] != 1]}"
                     for kind in KINDS if counts.get(kind))


def _allow_list_problem(allowed: dict) -> str | None:
    for value, reason in allowed.items():
        if not isinstance(value, str) or len(find_identifiers(value)) != 1:
            return (f"{value!r} is not one personal identity code, phone number, IBAN or card "
                    "number. Fix: write each allowed value as its own entry, as it is published")
        if not isinstance(reason, str) or not reason.strip():
            return (f"{value!r} has no reason. Fix: say why it may be published, e.g. "
                    '"the blog\'s own customer-service number"')
    return None


# Owned by the plugin plugins/personal_data and read by `invoke check` too.
SETTINGS = {
    "PERSONAL_DATA_ALLOWED": Setting(
        {}, dict, "a dict: each identifier published on purpose -> why", _allow_list_problem),
    "PERSONAL_DATA_IN_SOURCES": Setting(
        "warn", str, '"warn" or "fail"',
        lambda value: None if value in ("warn", "fail") else 'must be "warn" or "fail"'),
}


def allowed_values(settings: dict) -> frozenset[str]:
    """The canonical values of PERSONAL_DATA_ALLOWED, checked."""
    settle(settings, SETTINGS)
    return frozenset(canonical_values(settings["PERSONAL_DATA_ALLOWED"]))


def identifiers_in_file(path: Path, allowed: frozenset[str] = frozenset()
                        ) -> list[tuple[int, Identifier, str]]:
    """(line, identifier, its masked form) for each identifier of a content
    file that is not in `allowed`."""
    text = read_text(path)
    return [(text.count("\n", 0, found.start) + 1, found,
             masked_value(text[found.start:found.end]))
            for found in find_identifiers(text) if found.value not in allowed]
