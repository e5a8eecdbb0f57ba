"""`ReplyCompareExtension`: bad and good replies side by side, annotated.

Fences come from pymdownx.blocks (`//// compare`, `/// bad`, `/// good`),
annotations and edits from CriticMarkup's delimiters. See README.md,
"Reply comparisons", for the syntax.
"""

from pymdownx.blocks import BlocksExtension

from .blocks import comparison_blocks
from .critic_inline import (ANNOTATION_RE, DELETION_RE, INSERTION_RE, SUBSTITUTION_RE,
                            Annotation, Edit, Substitution)
from .fences import FenceCheck
from .notes import ReplyNotes

# Words readers see; the content is Finnish. Override any of them with the
# `labels` option (REPLY_COMPARE_LABELS in pelicanconf.py).
DEFAULT_LABELS = {
    "comparison": "Vastausvertailu",
    "bad": "Huono vastaus",
    "good": "Hyvä vastaus",
    "fault": "Virhe",
    "strength": "Vahvuus",
    "deleted": "poistettu",
    "inserted": "lisätty",
    "back": "Takaisin kohtaan {number}",
}

# Inline priority: after code spans (190) and escapes (180), before links,
# so the phrase and note may hold links and emphasis.
CRITIC_PRIORITY = 175


class ReplyCompareExtension(BlocksExtension):
    """Registers the fences, their line check, the CriticMarkup and the notes."""

    def __init__(self, **kwargs):
        self.config = {"labels": [{}, "Visible words that replace DEFAULT_LABELS"]}
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        labels = {**DEFAULT_LABELS, **self.getConfig("labels")}
        for block in comparison_blocks():
            block_mgr.register(block, {"labels": labels})
        # After whitespace is normalised (30), before the Meta extension
        # removes the header (27), so line numbers are the file's.
        md.preprocessors.register(FenceCheck(md), "reply_compare_fences", 29)
        inline = md.inlinePatterns
        inline.register(Annotation(ANNOTATION_RE, md), "reply_annotation", CRITIC_PRIORITY)
        inline.register(Substitution(SUBSTITUTION_RE, md, labels), "reply_substitution",
                        CRITIC_PRIORITY - 0.1)
        inline.register(Edit(DELETION_RE, md, "del", labels["deleted"]), "reply_deletion",
                        CRITIC_PRIORITY - 0.2)
        inline.register(Edit(INSERTION_RE, md, "ins", labels["inserted"]), "reply_insertion",
                        CRITIC_PRIORITY - 0.3)
        # After inline markup (20) and block hooks (19.99), before the table
        # of contents (5) so that it keeps the comparison headings' ids.
        md.treeprocessors.register(ReplyNotes(md, labels), "reply_notes", 15)


def makeExtension(**kwargs):
    return ReplyCompareExtension(**kwargs)
