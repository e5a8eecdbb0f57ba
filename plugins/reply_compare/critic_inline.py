"""CriticMarkup inside replies, as elements the notes step can number.

pymdownx.critic swaps marks for raw HTML after the tree is built, too late
to number annotations and list their notes, so replies use inline
processors instead, with the same delimiters.
"""

import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

from hyva.patterns import split_tags

ANNOTATION_RE = r"\{==(.+?)==\}\{>>(.+?)<<\}"
DELETION_RE = r"\{--(.+?)--\}"
INSERTION_RE = r"\{\+\+(.+?)\+\+\}"
SUBSTITUTION_RE = r"\{~~(.*?)~>(.*?)~~\}"


class Annotation(InlineProcessor):
    """`{==phrase==}{>>note #pattern<<}` -> a mark carrying its note, and the
    keys of the note's patterns in `data-patterns`, until numbered."""

    def handleMatch(self, m, data):
        mark = etree.Element("mark", {"class": "reply-annotation"})
        mark.text = m.group(1)
        note = etree.SubElement(mark, "span", {"class": "reply-note"})
        note.text, keys = split_tags(m.group(2).strip())
        note.set("data-patterns", " ".join(keys))
        return mark, m.start(0), m.end(0)


def edit_element(kind: str) -> etree.Element:
    """`[…]` around an edit keeps it apart from its neighbours without CSS."""
    edit = etree.Element("span", {"class": f"reply-edit reply-edit-{kind}"})
    edit.text = "["
    return edit


def add_edit(parent, tag: str, label: str, text: str) -> None:
    """`poistettu: <del>text</del>`: the kind of edit in words, not only style."""
    word = etree.SubElement(parent, "span", {"class": "edit-label"})
    word.text = f"{label}:"
    word.tail = " "
    edit = etree.SubElement(parent, tag)
    edit.text = text
    edit.tail = "]"


class Edit(InlineProcessor):
    """`{--removed--}` or `{++added++}`, labelled in words."""

    def __init__(self, pattern, md, tag: str, label: str):
        super().__init__(pattern, md)
        self.tag = tag
        self.label = label

    def handleMatch(self, m, data):
        edit = edit_element(self.tag)
        add_edit(edit, self.tag, self.label, m.group(1))
        return edit, m.start(0), m.end(0)


class Substitution(InlineProcessor):
    """`{~~old~>new~~}`: the removed and the added text, both labelled."""

    def __init__(self, pattern, md, labels: dict):
        super().__init__(pattern, md)
        self.labels = labels

    def handleMatch(self, m, data):
        edit = edit_element("sub")
        add_edit(edit, "del", self.labels["deleted"], m.group(1))
        edit[-1].tail = " "
        add_edit(edit, "ins", self.labels["inserted"], m.group(2))
        return edit, m.start(0), m.end(0)
