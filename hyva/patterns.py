"""Reply patterns: what an annotated phrase does, across all cases.

`REPLY_PATTERNS` in pelicanconf.py is the only list of them, keyed by the
pattern's key; a note names its patterns at its end (`{>>Läksyttää.
#syyllistäminen<<}`). This module knows what an entry must hold, how a
note's tags are written and read, each pattern's slug and URL, and what a
phrase carries from the case to the phrasebook. The comparison extension
(plugins/reply_compare) reads the tags, the phrasebook (plugins/phrasebook)
and the search filter (plugins/search_index) show them.

The phrases of a case travel in its metadata under `PHRASES` (a list of
`Phrase`), so they are kept in the reader cache with the case.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from hyva.errors import ContentError
from hyva.facets import value_slug
from hyva.settings import Setting

KINDS = ("fault", "strength")
# The verdict of a reply whose notes name no pattern gives the note's kind.
KIND_OF_VERDICT = {"bad": "fault", "good": "strength"}
# A key: a letter, then letters, digits and hyphens ("syyllistäminen").
KEY = re.compile(r"[^\W\d_][\w-]*")
# The note's last word, when it starts with "#".
LAST_WORD = re.compile(r"(?:^|\s)(#\S*)$")
TAG_FORM = "#syyllistäminen"
NOTE_FORM = "{>>Läksyttää asiakasta. #syyllistäminen<<}"
# The case metadata key of its phrases (a list of Phrase).
PHRASES = "reply_phrases"

# The keys of one REPLY_PATTERNS entry, with what each must be.
ENTRY_KEYS = {
    "name": "the pattern's name, in the language of the content",
    "description": "one paragraph: what the pattern is, and why it fails or works",
    "kind": f"one of {', '.join(KINDS)}",
    "opposite": "optional: the key of the pattern of the other kind it is the opposite of",
}


@dataclass(frozen=True)
class Pattern:
    """One entry of REPLY_PATTERNS, with its place in the phrasebook."""

    key: str
    name: str
    description: str
    kind: str
    opposite: str | None
    slug: str
    url: str

    @property
    def is_fault(self) -> bool:
        return self.kind == "fault"


@dataclass(frozen=True)
class Phrase:
    """An annotated phrase of a case, as the phrasebook shows and exports it.

    `anchor` is the id of the phrase's element on the case page; `verdict`
    is the reply's ("bad", "good"), `kind` the note's ("fault", "strength"),
    which its patterns decide."""

    text: str
    note: str
    verdict: str
    kind: str
    patterns: tuple[str, ...]
    reply: str
    comparison: str
    anchor: str


def entry_problem(key, entry, entries: dict) -> str | None:
    """What is wrong with one REPLY_PATTERNS entry, or None."""
    where = f"the entry {key!r}"
    if not isinstance(key, str) or not KEY.fullmatch(key) or key != key.lower():
        return (f"the key {key!r} must be lower-case letters, digits and hyphens, "
                f"starting with a letter (e.g. {TAG_FORM[1:]!r})")
    if not isinstance(entry, dict):
        return f"{where} must be a dict with the keys {', '.join(ENTRY_KEYS)}"
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        return f"{where} has the unknown key {unknown[0]!r}; its keys are {', '.join(ENTRY_KEYS)}"
    for name in ("name", "description"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            return f"{where}: {name!r} must be {ENTRY_KEYS[name]} (a non-empty str)"
    if entry.get("kind") not in KINDS:
        return f"{where}: 'kind' must be {ENTRY_KEYS['kind']}, not {entry.get('kind')!r}"
    opposite = entry.get("opposite")
    if opposite is None:
        return None
    other = entries.get(opposite)
    if not isinstance(other, dict):
        return f"{where}: the opposite {opposite!r} is not a key of REPLY_PATTERNS"
    if other.get("kind") == entry["kind"]:
        return (f"{where}: the opposite {opposite!r} is a {entry['kind']} too; "
                "opposites differ in kind")
    if other.get("opposite", key) != key:
        return (f"{where}: the opposite is {opposite!r}, but the opposite of {opposite!r} "
                f"is {other['opposite']!r}; opposites name each other")
    return None


def patterns_problem(entries) -> str | None:
    """What is wrong with REPLY_PATTERNS as a whole, or None."""
    for key, entry in entries.items():
        problem = entry_problem(key, entry, entries)
        if problem:
            return problem
    return None


SETTINGS = {
    "REPLY_PATTERNS": Setting({}, dict, "a dict: pattern key -> its entry", patterns_problem),
    "PHRASEBOOK_URL": Setting("fraasit", str, "the URL folder of the phrasebook, e.g. 'fraasit'",
                              lambda folder: None if KEY.fullmatch(folder)
                              else "must be one URL segment of letters, digits and hyphens"),
}


def known_patterns(settings: dict) -> dict[str, Pattern]:
    """REPLY_PATTERNS as Patterns, in their order in the settings (checked
    by `SETTINGS` when a plugin settles them)."""
    substitutions = settings["SLUG_REGEX_SUBSTITUTIONS"]
    folder = settings["PHRASEBOOK_URL"]
    found = {}
    for key, entry in settings["REPLY_PATTERNS"].items():
        slug = value_slug(key, substitutions)
        found[key] = Pattern(key, entry["name"].strip(), entry["description"].strip(),
                             entry["kind"], entry.get("opposite"), slug, f"{folder}/{slug}/")
    return found


def split_tags(note: str) -> tuple[str, list[str]]:
    """The note's text and the keys its closing tags name, in order.

    Tags are the `#key` words the note ends with; a `#` before a digit, or
    one followed by more text, is text. A trailing `#` word that is no key
    (`#syyllistäminen.`, `#`) is a ContentError."""
    text, keys = note.rstrip(), []
    while (last := LAST_WORD.search(text)) and not last.group(1)[1:2].isdigit():
        word = last.group(1)
        if not KEY.fullmatch(word[1:]):
            raise ContentError(
                f"a malformed pattern tag {word!r}",
                hint=f"end the note with '#' and a pattern key, separated by spaces and "
                     f"with nothing after them, e.g. {NOTE_FORM}")
        text = text[:last.start()].rstrip()
        keys.insert(0, word[1:])
    return text, list(dict.fromkeys(keys))


def note_kind(keys: list[str], patterns: dict[str, Pattern]) -> str | None:
    """The kind the note's patterns give it (None: no pattern), or a
    ContentError for a key that is not a pattern, or for patterns of both kinds."""
    for key in keys:
        if key not in patterns:
            raise ContentError(f"unknown pattern '#{key}'", hint=unknown_hint(key, patterns))
    kinds = {patterns[key].kind for key in keys}
    if len(kinds) > 1:
        fault = next(key for key in keys if patterns[key].is_fault)
        strength = next(key for key in keys if not patterns[key].is_fault)
        raise ContentError(
            f"the note names a fault (#{fault}) and a strength (#{strength})",
            hint="a note is a fault or a strength: keep the patterns of one kind, or mark "
                 "the other part of the phrase with a note of its own")
    return kinds.pop() if kinds else None


def unknown_hint(key: str, patterns: dict[str, Pattern]) -> str:
    """The closest known key by difflib, or every known key."""
    close = difflib.get_close_matches(key, list(patterns), n=1)
    if close:
        return f"did you mean '#{close[0]}'? (or add '{key}' to REPLY_PATTERNS in pelicanconf.py)"
    if not patterns:
        return "REPLY_PATTERNS in pelicanconf.py names no patterns yet: add one, or remove the tag"
    known = ", ".join(f"#{name}" for name in patterns)
    return f"use one of: {known} (or add '{key}' to REPLY_PATTERNS in pelicanconf.py)"


def check_note(note: str, patterns: dict[str, Pattern]) -> None:
    """A ContentError for any mistake in the tags of `note` (without its line)."""
    text, keys = split_tags(note)
    note_kind(keys, patterns)
    if keys and not text.strip():
        raise ContentError("a note with patterns but no text",
                           hint=f"say why the phrase fails or works before its patterns: "
                                f"{NOTE_FORM}")
