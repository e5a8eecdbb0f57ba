"""Keep only what the commenter wrote: drop quoted earlier mail and signatures.

mail-parser-reply knows the English and Swedish forms; this module teaches it
Finnish (Gmail's "ke 8. tammik. 2025 klo 9.15 X kirjoitti:", Apple Mail's
"X kirjoitti 23.12.2022 kello 11.54:", Outlook's "Lähettäjä:" block,
"Lähetetty iPhonesta", "Terveisin") and then drops any `>` lines left inline.
"""

from __future__ import annotations

import functools
import re

from mailparser_reply import constants
from mailparser_reply.parser import EmailMessage

QUOTED = constants.QUOTED_MATCH_INCLUDE
_TIME = r"\d{1,2}[.:]\d{2}"
_LINE = r"[^\n]{0,200}?"

# A "kirjoitti:" line counts as a quote header only with a time in it, so a
# comment saying "Asiakaspalvelija kirjoitti:" keeps what follows.
FINNISH = {
    "wrote_header": (
        rf"^({QUOTED}(?:{_LINE}{_TIME}{_LINE}\n?{_LINE}\skirjoitti\s?:"
        rf"|{_LINE}\skirjoitti\s{_LINE}{_TIME}\s?:"
        rf"|-{{5,}} ?Alkuperäinen viesti ?-{{5,}}))$"
    ),
    "from_header": (
        r"((?:(?:^|\n|\n" + QUOTED
        + r")[* ]*(?:Lähettäjä|Lähetetty|Vastaanottaja|Aihe|Päivämäärä|Kopio):[ *]*"
        r"(?:\s{,2}).*){2,}(?:\n.*){,1})"
    ),
    "signatures": [
        "Ystävällisin terveisin", "Ystävällisesti", "Parhain terveisin",
        "Terveisin", r"Terv\.",
    ],
    "sent_from": "Lähetetty|Hanki Outlook",
}
constants.MAIL_LANGUAGES.setdefault("fi", FINNISH)

# Finnish first; Swedish for Finland-Swedish clients; English is always added.
LANGUAGES = ("fi", "sv")
# A `>` block, with the short "... wrote:" paragraph introducing it in any
# language the library does not know (French "a écrit :", Danish "skrev").
QUOTE_BLOCK = re.compile(r"(?:^(?:[^\n>][^\n]*\n)?[^\n>][^\n]*:[ \t]*\n(?:[ \t]*\n)?)?"
                         r"(?:^[ \t]*>[^\n]*(?:\n|\Z))+", re.MULTILINE)
EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
# Blanks ending a line; the lookbehind starts a match only where a run of
# them starts, so a long run is scanned once.
TRAILING_BLANKS = re.compile(r"(?<![^\S\n])[^\S\n]+$", re.MULTILINE)


@functools.cache
def _patterns() -> EmailMessage:
    """A message whose compiled patterns every other one shares."""
    return EmailMessage(text="", languages=list(LANGUAGES), keep_hyphen_lists=True)


class _SharedPatterns(EmailMessage):
    """mail-parser-reply compiles its three patterns for every message; they
    depend only on the languages, and compiling them was a third of its time."""

    HEADER_REGEX = property(lambda self: _patterns().HEADER_REGEX)
    SIGNATURE_REGEX = property(lambda self: _patterns().SIGNATURE_REGEX)
    DISCLAIMERS_REGEX = property(lambda self: _patterns().DISCLAIMERS_REGEX)


def latest_reply(text: str) -> str:
    """The newest part of a mail body, without quotes, signatures or headers.
    Blank lines are collapsed first: mail-parser-reply takes time growing
    with the square of a run of them, and a mail can hold thousands."""
    text = EXTRA_BLANK_LINES.sub("\n\n", TRAILING_BLANKS.sub("", text))
    message = _SharedPatterns(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    reply = message.replies[0].body if message.replies else ""
    reply = QUOTE_BLOCK.sub("", reply + "\n")
    return EXTRA_BLANK_LINES.sub("\n\n", reply).strip()
