"""`ReplyCompareExtension`: bad and good replies side by side, annotated.

Fences come from pymdownx.blocks (`//// compare`, `/// bad`, `/// good`),
annotations and edits from CriticMarkup's delimiters. See README.md,
"Reply comparisons", for the syntax.
"""

from pymdownx.blocks import BlocksExtension

from hyva.translations import N_

from .blocks import comparison_blocks
from .critic_inline import (
    ANNOTATION_RE,
    DELETION_RE,
    INSERTION_RE,
    SUBSTITUTION_RE,
    Annotation,
    Edit,
    Substitution,
)
from .fences import FenceCheck
from .notes import ReplyNotes

# Words readers see, as msgids of the theme catalogue (compare.po); the
# `labels` option gives them translated (see `labels`). "back" names a
# note's back-link.
MESSAGES = {
    "comparison": N_("Reply comparison"),
    "bad": N_("Bad reply"),
    "good": N_("Good reply"),
    "fault": N_("Fault"),
    "strength": N_("Strength"),
    "deleted": N_("deleted"),
    "inserted": N_("inserted"),
    "note": N_("note"),
    "back": N_("Back to phrase %(number)s"),
    "patterns": N_("In the phrasebook:"),
}

# Inline priority: after code spans (190) and escapes (180), before links,
# so the phrase and note may hold links and emphasis.
CRITIC_PRIORITY = 175


def labels(gettext) -> dict:
    """MESSAGES in the language of `gettext` (a function msgid -> text)."""
    return {key: gettext(message) for key, message in MESSAGES.items()}


class ReplyCompareExtension(BlocksExtension):
    """Registers the fences, their line check, the CriticMarkup and the notes."""

    def __init__(self, **kwargs):
        # Plain strings, not a gettext function: the extension sits in the
        # settings that Pelican's reader cache pickles.
        self.config = {"labels": [labels(str), "MESSAGES, translated: labels(gettext)"],
                       "patterns": [{}, "hyva.patterns.known_patterns(settings): the "
                                        "patterns a note may name"],
                       "site": ["", "the absolute origin pattern links start with"]}
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        words = {**labels(str), **self.getConfig("labels")}
        for block in comparison_blocks():
            block_mgr.register(block, {"labels": words})
        # After whitespace is normalised (30), before the Meta extension
        # removes the header (27), so line numbers are the file's.
        patterns = self.getConfig("patterns")
        md.preprocessors.register(FenceCheck(md, patterns), "reply_compare_fences", 29)
        inline = md.inlinePatterns
        inline.register(Annotation(ANNOTATION_RE, md), "reply_annotation", CRITIC_PRIORITY)
        inline.register(Substitution(SUBSTITUTION_RE, md, words), "reply_substitution",
                        CRITIC_PRIORITY - 0.1)
        inline.register(Edit(DELETION_RE, md, "del", words["deleted"]), "reply_deletion",
                        CRITIC_PRIORITY - 0.2)
        inline.register(Edit(INSERTION_RE, md, "ins", words["inserted"]), "reply_insertion",
                        CRITIC_PRIORITY - 0.3)
        # After inline markup (20) and block hooks (19.99), before the table
        # of contents (5) so that it keeps the comparison headings' ids.
        md.treeprocessors.register(ReplyNotes(md, words, patterns, self.getConfig("site")),
                                   "reply_notes", 15)


def makeExtension(**kwargs):
    return ReplyCompareExtension(**kwargs)
