"""Keep commenters' addresses out of everything the project stores or prints.

Ids and erasure keys are HMAC-SHA256 digests under a secret key that never
enters the repository, so nobody can recompute them from an address the way
Gravatar-style hashes can be. The key is `HYVA_COMMENT_KEY` when set, else
the file `$XDG_CONFIG_HOME/hyva-vastaus/comment-key` (by default under
`~/.config`), created with mode 0600 on first use. `content/comments/`
records a fingerprint of the key (an HMAC of a fixed label, which neither
is the key nor gives it back), so an import or an erasure with another key,
which would bring erased comments back, refuses instead.

Addresses are looked for after undoing what hides them from a plain
pattern (see `normalised`), with patterns that run in linear time on any
input, in the importer and in `invoke check` alike.
"""

from __future__ import annotations

import bisect
import functools
import hmac
import html
import os
import re
import secrets
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hyva.commentfile import comment_folders
from hyva.translations import N_, interface

KEY_VARIABLE = "HYVA_COMMENT_KEY"
FINGERPRINT_FILE = ".key-fingerprint"
MASK = N_("[address hidden]")
MAX_NAME_LENGTH = 80

# The characters of a dot-atom local part, generously: masking too much is safe.
_LOCAL = r"\w.!#$%&'*+/=?^`{|}~-"
# The lookbehind lets a local part start only where a run of its characters
# starts, so a long run without "@" is scanned once, not once per character.
ADDRESS = re.compile(
    rf"""(?:mailto:)?(?:(?<![{_LOCAL}])[{_LOCAL}]+|"[^"\r\n]{{1,64}}")"""
    r"""@(?:\[(?:IPv6:)?[0-9A-Fa-f:.]{2,45}\]|(?:[\w-]+\.)+[^\W\d_]{2,}(?![\w-]))""",
    re.IGNORECASE)
# Anything that may become "@" once normalised; text without it has no address.
_AT = re.compile(r"[@\uff20\ufe6b]|%40|&(?:#0*64|#x0*40|commat);", re.IGNORECASE)
# What normalising may change: %-escapes, character references, line breaks
# (with the blanks around them), and runs of non-ASCII characters.
_SPECIAL = re.compile(r"(?:%[0-9A-Fa-f]{2})+|&#?[0-9A-Za-z]{1,8};|(?<![ \t])[ \t]*\r?\n[ \t]*"
                      r"|[^\x00-\x7f]+")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
# A line break inside an address sits next to one of these.
_JOINS = "@.-\uff20\ufe6b"
_BESIDE_BREAK = frozenset(" \t\r" + _JOINS)


# Unicode's format characters (soft hyphen, zero-width joiners, bidi
# controls...): invisible, so they can hide an address from a pattern.
FORMAT_CATEGORY = "Cf"


@functools.lru_cache(maxsize=4096)
def _is_format(character: str) -> bool:
    return unicodedata.category(character) == FORMAT_CATEGORY


@functools.cache
def _format_characters() -> re.Pattern:
    """All format characters, for what is printed. Listing them means asking
    about every code point, so the address scan asks only about the
    characters it meets instead."""
    return re.compile("[" + "".join(re.escape(chr(code)) for code in range(0x80, sys.maxunicode + 1)
                                    if unicodedata.category(chr(code)) == FORMAT_CATEGORY) + "]")


def normalised(text: str) -> tuple[str, list[int], list[int]]:
    """`text` as an address pattern should see it: NFKC (full-width "＠"
    becomes "@"), without format characters, with ASCII %-escapes and
    character references decoded and line breaks next to "@", "." or "-"
    removed. Also the starts of the changed pieces in both texts, so a
    match can be mapped back (see `_original_span`)."""
    pieces, norm_starts, orig_starts = [], [], []
    length, position = 0, 0
    for found in _SPECIAL.finditer(text):
        start, end, token = found.start(), found.end(), found.group()
        if token[0] == "%":
            replacement = _ESCAPE.sub(_unescaped, token)
        elif token[0] == "&":
            replacement = html.unescape(token)
            replacement = replacement if len(replacement) == 1 and replacement.isascii() else token
        elif "\n" in token:
            joined = ((start and text[start - 1] in _JOINS)
                      or (end < len(text) and text[end] in _JOINS))
            replacement = "" if joined else token
        elif unicodedata.is_normalized("NFKC", token) and not any(map(_is_format, token)):
            replacement = token
        else:
            replacement = "".join("" if _is_format(character)
                                  else unicodedata.normalize("NFKC", character)
                                  for character in token)
        if replacement == token:
            continue
        pieces.append(text[position:start])
        length += start - position
        norm_starts.append(length)
        orig_starts.append(start)
        pieces.append(replacement)
        length += len(replacement)
        norm_starts.append(length)
        orig_starts.append(end)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), norm_starts, orig_starts


def _unescaped(found: re.Match) -> str:
    """An ASCII %-escape decoded; others (UTF-8 bytes, controls) kept."""
    character = chr(int(found.group(1), 16))
    return character if character.isascii() and character.isprintable() else found.group()


def _original_position(offset: int, norm_starts: list[int], orig_starts: list[int],
                       end: bool) -> int:
    """Where `offset` of the normalised text is in the original: inside a
    changed piece, its start (or its end, for the end of a span)."""
    index = bisect.bisect_right(norm_starts, offset) - 1
    if index < 0:
        return offset
    if index % 2 == 0 and offset > norm_starts[index] and end:
        return orig_starts[index + 1]  # inside a changed piece
    if index % 2 == 0:
        return orig_starts[index]
    return orig_starts[index] + offset - norm_starts[index]


def address_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, address) in `text` of every address it holds, however
    written: "matti＠example.org", "mat\u00adti@example.org", "matti%40example.org",
    split across lines, `"quoted"@example.org`, `user@[192.0.2.1]`. Linear time."""
    spans = []
    for first, last in _stretches_with_at(text):
        norm, norm_starts, orig_starts = normalised(text[first:last])
        for found in ADDRESS.finditer(norm):
            start = _original_position(found.start(), norm_starts, orig_starts, end=False)
            end = _original_position(found.end(), norm_starts, orig_starts, end=True)
            spans.append((first + start, first + end, found.group().removeprefix("mailto:")))
    return spans


def _stretches_with_at(text: str) -> list[tuple[int, int]]:
    """The spans of `text` between two kept line breaks (see `_kept_break`)
    that hold something that may become "@": no address crosses a line
    break that normalising keeps, so the rest of a page need not be
    normalised and scanned."""
    stretches: list[tuple[int, int]] = []
    for found in _AT.finditer(text):
        if stretches and found.start() < stretches[-1][1]:
            continue
        first = text.rfind("\n", 0, found.start())
        while first >= 0 and not _kept_break(text, first):
            first = text.rfind("\n", 0, first)
        last = text.find("\n", found.end())
        while last >= 0 and not _kept_break(text, last):
            last = text.find("\n", last + 1)
        stretches.append((first + 1, len(text) if last < 0 else last))
    return stretches


def _kept_break(text: str, position: int) -> bool:
    """Whether the line break at `position` stays as it is in `normalised`
    (no blank and no character of _JOINS beside it), so that text on its
    two sides is normalised and scanned alike apart or together."""
    before, after = text[position - 1:position], text[position + 1:position + 2]
    return before not in _BESIDE_BREAK and after not in _BESIDE_BREAK


def mask_addresses(text: str, mask: str = MASK) -> str:
    """`text` with every address in it replaced by `mask`."""
    spans = address_spans(text)
    if not spans:
        return text
    pieces, position = [], 0
    for start, end, _ in spans:
        pieces += [text[position:start], mask]
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def address_mask(settings: dict) -> str:
    """The mask in the site's interface language ("[osoite piilotettu]")."""
    return interface(settings).gettext(MASK)


def hint(text: str) -> str:
    """Enough of each address in `text` (say, a Message-ID) to find it in a
    mailbox, not enough to be an address: "CAJ…@mai…". Invisible characters
    go first, so they cannot hide an address from it."""
    text = _UNPRINTABLE.sub("", _format_characters().sub("", text))
    for start, end, address in reversed(address_spans(text)):
        text = text[:start] + shortened(address) + text[end:]
    return text


def shortened(address: str) -> str:
    """An address cut to a hint of it: "ma…@exa…"."""
    local, _, domain = address.rpartition("@")
    return f"{local[:min(3, len(local) // 3)]}…@{domain[:3]}…"


# Characters a terminal acts on or hides: controls, format characters
# (bidi overrides), line and paragraph separators, lone surrogates.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str, mask: str = MASK) -> str:
    """`text` safe to print: addresses masked, and every control or format
    character escaped as `\\x1b` or `\\u202e`, so nothing rewrites the screen
    (masked again after, in case an escape made a new address shape)."""
    text = mask_addresses(text, mask)

    def escaped(found: re.Match) -> str:
        code = ord(found.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return mask_addresses(_format_characters().sub(escaped, _UNPRINTABLE.sub(escaped, text)), mask)


def display_name(name: str) -> str:
    """The sender's name without any address or invisible character in it;
    "" (no Author line, shown as the catalogue's "Anonymous") when nothing is left."""
    name = _UNPRINTABLE.sub("", _format_characters().sub("", name or ""))
    name = " ".join(mask_addresses(name, " ").split()).strip(" <>()[]\"',;")
    if not any(character.isalnum() for character in name):
        return ""
    return name[:MAX_NAME_LENGTH].strip()


def parse_address(given: str) -> str | None:
    """The one address in `Name <addr>`, `mailto:addr` or `addr`, or None
    when there is no address or more than one."""
    found = {canonical_address(address) for _, _, address in address_spans(given)}
    return found.pop() if len(found) == 1 else None


def canonical_address(address: str) -> str:
    """One form for every spelling of an address: NFKC, lower case, without
    a `+tag`, so `Matti+blogi@Example.org` is matti@example.org."""
    address = unicodedata.normalize("NFKC", address.strip()).lower().removeprefix("mailto:")
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    if not local.startswith('"'):
        local = local.partition("+")[0] or local
    return f"{local}@{domain}"


# --- The secret key and what is made with it ------------------------------

class KeyProblem(Exception):
    """The key at hand is not the one the comments were made with."""


def key_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "hyva-vastaus" / "comment-key"


def load_key(create: bool = True) -> bytes | None:
    """The secret from the environment, or from the user's config file,
    made once when `create` allows it; None when there is none."""
    if os.environ.get(KEY_VARIABLE):
        return os.environ[KEY_VARIABLE].encode("utf-8")
    path = key_file()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another import created it meanwhile
        else:
            with os.fdopen(handle, "w") as stream:
                stream.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def key_fingerprint(key: bytes) -> str:
    """Names a key without revealing it: an HMAC of a fixed label under it."""
    return "hmac-sha256:" + hmac.digest(key, b"hyva-vastaus comment key", "sha256").hex()[:32]


def _has_comments(comments_dir: Path) -> bool:
    return any(paths for _, paths in comment_folders(comments_dir, lambda name: name[0] == "."))


RECOVER = (f"set {KEY_VARIABLE} to the key these comments were made with, or restore the "
           "key file {key_file} from your backup")


def comment_key(comments_dir: Path, key: bytes | None = None,
                record: bool = True) -> tuple[bytes, str | None]:
    """The key to use for `comments_dir`, and a note when its fingerprint
    was recorded just now. Raises KeyProblem when the key is missing but
    comments exist, or is not the one whose fingerprint is recorded.
    Without `record` (a dry run) nothing is written: no fingerprint, no key
    file; with no key and no comments yet, a throwaway key stands in, as
    no existing id then needs the real one."""
    fingerprint = comments_dir / FINGERPRINT_FILE
    recorded = fingerprint.read_text(encoding="ascii").strip() if fingerprint.exists() else None
    existing = recorded is not None or _has_comments(comments_dir)
    if key is None:
        key = load_key(create=record and not existing)
    if key is None and not record and not existing:
        key = secrets.token_bytes(32)
    recover = RECOVER.format(key_file=key_file())
    if key is None:
        raise KeyProblem(f"{comments_dir}: there is no secret key here, and these comments were "
                         f"made with one. Fix: {recover}")
    if recorded is not None:
        if recorded != key_fingerprint(key):
            raise KeyProblem(f"{fingerprint}: the comments were made with another secret key "
                             f"(fingerprint {recorded}); with this one erased comments would "
                             f"come back. Fix: {recover}")
        return key, None
    if not record:
        return key, None
    comments_dir.mkdir(parents=True, exist_ok=True)
    temporary = fingerprint.with_name(fingerprint.name + ".tmp")
    temporary.write_text(key_fingerprint(key) + "\n", encoding="ascii")
    os.replace(temporary, fingerprint)
    note = (f"recorded the key's fingerprint in {fingerprint}: the comments already there must "
            "have been made with this key") if existing else None
    return key, note


def keyed_hash(key: bytes, purpose: str, value: str) -> str:
    """HMAC of `value`; `purpose` keeps an id and an erasure key of one string apart."""
    return hmac.digest(key, f"{purpose}\0{value}".encode("utf-8", "surrogatepass"), "sha256").hex()


def erasure_key(key: bytes, address: str) -> str:
    return keyed_hash(key, "address", canonical_address(address))


def comment_id(key: bytes, message_id: str) -> str:
    return keyed_hash(key, "message-id", message_id)[:16]


# Erasures done by `invoke forget-commenter`, one line each:
# `<ISO 8601 UTC time> <erasure key>`, so publishing and rollback can tell
# which releases still hold an erased person's comments.
ERASURE_LOG = ".erasures"


def erasure_times(comments_dir: Path) -> list[datetime]:
    """When each erasure recorded in `comments_dir` was made, oldest first."""
    path = comments_dir / ERASURE_LOG
    if not path.exists():
        return []
    return sorted(datetime.fromisoformat(line.split()[0])
                  for line in path.read_text(encoding="ascii").splitlines() if line.strip())


def record_erasure(comments_dir: Path, sender_key: str, when: datetime | None = None) -> None:
    """Append one line to the erasure log in a single write to a file opened
    for appending, so concurrent erasures never interleave or lose a line."""
    when = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    line = f"{when.isoformat()} {sender_key}\n".encode("ascii")
    handle = os.open(comments_dir / ERASURE_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, line)
        os.fsync(handle)
    finally:
        os.close(handle)
