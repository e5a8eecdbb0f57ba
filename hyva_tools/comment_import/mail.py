"""Turn one approved mail message into a CommentDraft.

Parsing uses the standard library's `email` package with the modern policy.
Real mail is messy, so every header is read defensively (raw 8-bit headers
as UTF-8, RFC 6532, else in the declared charset or windows-1252, noting the
guess), text is decoded by `decode_text` (declared charset first, then
UTF-8, then windows-1252) and HTML-only mail is flattened with BeautifulSoup
after dropping quoted blocks. What XML forbids is dropped, and a body too
long to be a comment is refused before any pattern runs over it.
"""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.header
import email.policy
import email.utils
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, CData, NavigableString

from hyva.identifiers import LABELS, mask_identifiers
from hyva.privacy import MASK, display_name, hint, mask_addresses
from hyva.xmltext import xml_safe
from hyva_tools.comment_import.quotes import latest_reply

HELSINKI = ZoneInfo("Europe/Helsinki")
HEADER_END = re.compile(rb"\r?\n\r?\n")
MESSAGE_ID_HEADER = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)",
                               re.IGNORECASE | re.MULTILINE)
DATE_HEADER = re.compile(rb"^date:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
FROM_HEADER = re.compile(rb"^from:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
ANGLE_ID = re.compile(r"<([^<>\s]+)>")
ANGLE_ADDRESS = re.compile(r"^[^<>@,;:\"]*<([^<>\s@,;:\"]+@[^<>\s@,;:\"]+)>\s*$")
EXPLICIT_CASE = re.compile(r"\[kommentti\]\s*([\w-]+)", re.IGNORECASE)
SLUG_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
RAW_8BIT = re.compile(r"[\udc80-\udcff]")
# The longest comment accepted, in characters (about 1,500 Finnish words),
# and the longest body read to find it (quotes of earlier mail included).
MAX_COMMENT_CHARS = 10_000
MAX_BODY_CHARS = 100_000
EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
# Replies quoted in HTML mail by Gmail, Apple Mail, Thunderbird and Outlook.
HTML_QUOTES = ("blockquote", "div.gmail_quote", "div.gmail_extra", ".moz-cite-prefix")
# Outlook puts the quoted mail after these markers, as their siblings.
HTML_QUOTE_STARTS = ("#appendonsend", "#divRplyFwdMsg", "div.OutlookMessageHeader")
HTML_PARAGRAPHS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre", "table")
# ISO-8859-1 labels usually mean Windows' superset (as browsers treat them too).
# So are GB2312 labels for GBK, whose superset Python calls gb18030.
CHARSET_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252",
                   "latin-1": "windows-1252", "us-ascii": "windows-1252", "ascii": "windows-1252",
                   "gb2312": "gb18030", "gbk": "gb18030"}


class MemoisedPolicy(email.policy.EmailPolicy):
    """The modern policy, except that a parsed header is reused: the stock
    policy parses a header again on every access (Content-Type alone a dozen
    times per message), which made parsing ten times slower."""

    def header_fetch_parse(self, name, value):
        return _parsed_header(self, name, value)


@functools.lru_cache(maxsize=1024)
def _parsed_header(policy, name, value):
    return email.policy.EmailPolicy.header_fetch_parse(policy, name, value)


POLICY = MemoisedPolicy()


class UnusableMessage(Exception):
    """A message that cannot become a comment; reported, never fatal to the run."""

    def __init__(self, reason: str, message_id: str | None, subject: str):
        super().__init__(reason, message_id, subject)  # all three: it crosses processes
        # Only a hint of the Message-ID: it may be the sender's address.
        self.reason, self.subject = reason, subject
        self.message_id = hint(message_id) if message_id else None

    def __str__(self) -> str:
        return self.reason


@dataclass
class CommentDraft:
    message_id: str
    subject: str
    author: str
    date: datetime
    text: str
    case: str | None
    # Message-IDs this one answers, nearest first: In-Reply-To, then References.
    answers: list[str]
    address: str = field(default="", repr=False)
    # The sender's mail carries the header COMMENT_AUTHOR_HEADER names.
    verified: bool = False
    # What was guessed while reading it, for the summary.
    notes: list[str] = field(default_factory=list)
    # How many personal identifiers of each kind were masked (hyva.identifiers).
    masked: Counter = field(default_factory=Counter)


def message_id(raw: bytes) -> str | None:
    """The Message-ID without angle brackets, read straight from the raw header
    block: cheap enough to skip already imported mail without parsing it."""
    end = HEADER_END.search(raw)
    found = MESSAGE_ID_HEADER.search(raw[:end.start()] if end else raw)
    if not found:
        return None
    value = " ".join(found.group(1).decode("latin-1").split())
    angled = ANGLE_ID.search(value)
    return (angled.group(1) if angled else value) or None


def date_and_sender(raw: bytes) -> tuple[datetime | None, str]:
    """The Date and the From address, read straight from the raw header
    block as `message_id` reads the Message-ID: enough to tell whether a
    known Message-ID is the same mail, without parsing it."""
    end = HEADER_END.search(raw)
    headers = raw[:end.start()] if end else raw
    date_found, from_found = DATE_HEADER.search(headers), FROM_HEADER.search(headers)
    date = None
    if date_found:
        with contextlib.suppress(TypeError, ValueError, IndexError):  # no date: parse in full
            date = _as_helsinki(email.utils.parsedate_to_datetime(
                " ".join(date_found.group(1).decode("latin-1").split())))
    value = from_found.group(1).decode("latin-1") if from_found else ""
    angled = ANGLE_ADDRESS.search(value)  # the usual `Name <address>`, without a full parse
    if angled:
        return date, angled.group(1).lower()
    senders = email.utils.getaddresses([value])
    return date, (senders[0][1].lower() if senders else "")


def decode_text(payload: bytes, charset: str | None) -> str:
    """Mislabelled mail is common: valid UTF-8 wins over a Latin label, an
    unknown label falls back to UTF-8, then to windows-1252."""
    label = (charset or "").strip().lower()
    label = CHARSET_ALIASES.get(label, label)
    candidates = ["utf-8", label] if label == "windows-1252" else [label, "utf-8", "windows-1252"]
    for candidate in filter(None, candidates):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("windows-1252", errors="replace")


def html_to_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for start in soup.select(", ".join(HTML_QUOTE_STARTS)):
        for quoted in [start, *start.find_next_siblings()]:
            quoted.decompose()
    for unwanted in soup.select(", ".join(("script", "style", "head", *HTML_QUOTES))):
        unwanted.decompose()
    lines = (" ".join(line.split()) for line in "".join(_text_pieces(soup)).splitlines())
    return "\n".join(lines)


def _text_pieces(soup: BeautifulSoup) -> Iterator[str]:
    """The text of the tree with a blank line around each paragraph, a line
    break after each div and for each <br>: one walk with a stack of its
    own, as inserting into the tree costs time with the square of its size
    and recursion ends at deep nesting."""
    stack: list = [soup]  # nodes, and plain strings: what to write when a node closes
    while stack:
        node = stack.pop()
        if type(node) is str:
            yield node
        elif isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):  # not comments or doctypes
                yield node
        elif node.name == "br":
            yield "\n"
        else:
            closing = "\n\n" if node.name in HTML_PARAGRAPHS else "\n" if node.name == "div" else ""
            if node.name in HTML_PARAGRAPHS:
                yield "\n\n"
            stack.append(closing)
            stack.extend(reversed(node.contents))


def _unraw(value: str, message, name: str, notes: list[str]) -> str:
    """A header value with any raw 8-bit bytes decoded: UTF-8 (RFC 6532),
    else the body's declared charset, else windows-1252, noting the guess."""
    if not RAW_8BIT.search(value):
        return value
    data = value.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    charset = message.get_content_charset() if message.get("Content-Type") else None
    label = (charset or "").strip().lower()
    for candidate in filter(None, (CHARSET_ALIASES.get(label, label), "windows-1252")):
        try:
            text = data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
        notes.append(f"the {name} header has raw 8-bit bytes that are not UTF-8; "
                     f"read as {candidate}")
        return text
    notes.append(f"the {name} header has undecodable bytes; replaced")
    return data.decode("utf-8", errors="replace")


def _raw_values(message, name: str, notes: list[str]) -> list[str]:
    name = name.lower()
    return [_unraw(str(value), message, name.capitalize(), notes)
            for key, value in message.raw_items() if key.lower() == name]


def _subject(message, notes: list[str]) -> str:
    values = _raw_values(message, "Subject", notes)
    return " ".join(_decoded_words(values[0]).split()) if values else ""


def _raw_header(message, name: str) -> str:
    """A header as sent, for values that need no decoding (dates, Message-IDs):
    cheaper than the policy's full parse."""
    name = name.lower()
    value = next((value for key, value in message.raw_items() if key.lower() == name), "")
    return " ".join(str(value).split())


def _addresses(message, name: str, notes: list[str] | None = None) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of an address header.

    `email.utils.getaddresses` on the raw value, names decoded from encoded
    words: the modern policy's full RFC 5322 parse of From cost more than the
    rest of a message together, and it reads Delivered-To and X-Original-To
    as plain text, without addresses."""
    values = _raw_values(message, name, [] if notes is None else notes)
    return [(_decoded_words(display), address.lower())
            for display, address in email.utils.getaddresses(values) if "@" in address]


def _decoded_words(text: str) -> str:
    if "=?" not in text:  # no encoded word: the email package's scan costs a lot on long headers
        return RAW_8BIT.sub("\ufffd", text)
    try:
        decoded = str(email.header.make_header(email.header.decode_header(text)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        decoded = text
    return RAW_8BIT.sub("\ufffd", decoded)


def _date(message) -> datetime | None:
    try:
        return _as_helsinki(email.utils.parsedate_to_datetime(_raw_header(message, "Date")))
    except (TypeError, ValueError, IndexError):
        return None


def _as_helsinki(date: datetime) -> datetime:
    if date.tzinfo is None:
        date = date.replace(tzinfo=HELSINKI)
    return date.astimezone(HELSINKI).replace(microsecond=0)


def _plausible(date: datetime) -> bool:
    """No comment was mailed before email existed or tomorrow. (A date of
    1900 would also get Helsinki's local mean time, +1:39:49, an offset
    no HTML or Atom date can hold.)"""
    return EARLIEST <= date <= datetime.now(UTC) + timedelta(days=1)


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    payload = part.get_payload(decode=True) or b""
    if len(payload) > 4 * MAX_BODY_CHARS:
        raise TooLong(len(payload))
    text = decode_text(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    if len(text) > MAX_BODY_CHARS:
        raise TooLong(len(text))
    return xml_safe(CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


class TooLong(Exception):
    """A body longer than MAX_BODY_CHARS."""


def find_case(subject: str, recipients, known_cases: set[str]) -> str | None:
    """`[kommentti] <slug>` in the subject, any known slug in it, or a `+slug`
    tag of a recipient (an iterable, read only when the subject names none).
    Slugs match whatever their case (`Iso-Kirjain`); the known one is returned."""
    known = {slug.lower(): slug for slug in known_cases}
    explicit = EXPLICIT_CASE.search(subject)
    if explicit:
        return known.get(explicit.group(1).lower(), explicit.group(1).lower())
    for token in SLUG_TOKEN.findall(subject.lower()):
        if token in known:
            return known[token]
    for address in recipients:
        local = address.partition("@")[0]
        tag = local.partition("+")[2].lower()
        if tag in known:
            return known[tag]
    return None


def _answers(message) -> list[str]:
    in_reply_to = ANGLE_ID.findall(_raw_header(message, "In-Reply-To"))
    references = ANGLE_ID.findall(_raw_header(message, "References"))[::-1]
    return list(dict.fromkeys(in_reply_to + references))


def _verified(message, author_header: str | None) -> bool:
    """Whether the mail carries `author_header` ("Name: value"), a header
    the site's own mail server adds to mail its own people send."""
    if not author_header:
        return False
    name, _, value = author_header.partition(":")
    return any(" ".join(str(found).split()) == value.strip()
               for found in message.get_all(name.strip(), []))


def parse_message(raw: bytes, known_cases: set[str], mask: str = MASK,
                  author_header: str | None = None, labels=LABELS) -> CommentDraft:
    """Parse one raw message; raise UnusableMessage with a reason for bad mail.
    Addresses are replaced by `mask`, other identifiers by their `labels`."""
    message = email.message_from_bytes(raw, policy=POLICY)
    identity = message_id(raw)
    notes: list[str] = []
    subject, _ = mask_identifiers(xml_safe(mask_addresses(_subject(message, notes), mask)), labels)
    senders = _addresses(message, "From", notes)
    sender_name, address = senders[0] if senders else ("", "")

    def unusable(reason: str) -> UnusableMessage:
        return UnusableMessage(reason, identity, subject)

    if "@" not in address:
        raise unusable("no sender address in From")
    date = _date(message)
    if date is None:
        raise unusable("no valid Date header")
    if not _plausible(date):
        raise unusable(f"the Date header says {date:%Y-%m-%d}, before email existed or in "
                       "the future")
    try:
        body = _body(message)
    except TooLong as length:
        raise unusable(f"the text is {length} characters long; a comment may have at most "
                       f"{MAX_COMMENT_CHARS}") from None
    except Exception as error:  # broken MIME structure or transfer encoding
        raise unusable(f"the body cannot be read ({type(error).__name__})") from None
    text, masked = mask_identifiers(mask_addresses(latest_reply(body), mask).strip(), labels)
    author, masked_in_name = mask_identifiers(xml_safe(display_name(sender_name)), labels)
    if not text:
        raise unusable("no comment text left after removing quotes and signatures")
    if len(text) > MAX_COMMENT_CHARS:
        raise unusable(f"the comment is {len(text)} characters long; a comment may have at most "
                       f"{MAX_COMMENT_CHARS}")
    recipients = (recipient for name in ("To", "Cc", "Delivered-To", "X-Original-To")
                  for _, recipient in _addresses(message, name))
    return CommentDraft(
        message_id=identity or "", subject=subject, author=author,
        date=date, text=text, case=find_case(subject, recipients, known_cases),
        answers=_answers(message), address=address,
        verified=_verified(message, author_header), notes=notes,
        masked=masked + masked_in_name,
    )
