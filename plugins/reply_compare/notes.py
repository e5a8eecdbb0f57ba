"""Numbers annotated phrases and lists their notes right after each reply.

Runs once the inline markup is built, so every comparison on the page gets
its own id prefix and numbering continues across the replies it holds.
"""

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

ID_PREFIX = "vertailu"


def has_class(element, name: str) -> bool:
    return name in element.get("class", "").split()


def append_text(element, text: str) -> None:
    """Add text after everything already inside `element`."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


class ReplyNotes(Treeprocessor):
    """Link each marked phrase to a numbered note that links back."""

    def __init__(self, md, labels: dict):
        super().__init__(md)
        self.labels = labels

    def run(self, root):
        comparisons = [el for el in root.iter("section") if has_class(el, "reply-compare")]
        for number, comparison in enumerate(comparisons, 1):
            prefix = f"{ID_PREFIX}-{number}"
            comparison.find("h2").set("id", prefix)
            comparison.set("aria-labelledby", prefix)
            count = 0
            for reply in comparison.iter("article"):
                count = self.list_notes(reply, prefix, count)

    def list_notes(self, reply, prefix: str, count: int) -> int:
        """Append the reply's `<ol>` of notes; return the last number used."""
        kind = self.labels["fault" if has_class(reply, "reply-bad") else "strength"]
        notes = etree.Element("ol", {"class": "reply-notes"})
        if count:
            notes.set("start", str(count + 1))
        for mark in [el for el in reply.iter("mark") if has_class(el, "reply-annotation")]:
            count += 1
            self.link_note(mark, notes, kind, f"{prefix}-kohta-{count}",
                           f"{prefix}-huomio-{count}", count)
        if len(notes):
            reply.append(notes)
        return count

    def link_note(self, mark, notes, kind: str, mark_id: str, note_id: str,
                  number: int) -> None:
        note = mark.find("span")
        mark.remove(note)
        link = etree.Element("a", {"href": f"#{note_id}"})
        link.text, mark.text = mark.text, None
        for child in list(mark):
            mark.remove(child)
            link.append(child)
        etree.SubElement(link, "sup").text = str(number)
        mark.append(link)
        mark.set("id", mark_id)

        item = etree.SubElement(notes, "li", {"id": note_id})
        word = etree.SubElement(item, "strong", {"class": "note-kind"})
        word.text = f"{kind}:"
        word.tail = " " + (note.text or "")
        for child in list(note):
            item.append(child)
        append_text(item, " ")
        back = etree.SubElement(item, "a", {
            "href": f"#{mark_id}", "class": "note-back",
            "aria-label": self.labels["back"].format(number=number)})
        back.text = "↩"
