"""Numbers annotated phrases and lists their notes right after each reply.

Runs once the inline markup is built, so every comparison on the page gets
its own id prefix and numbering continues across the replies it holds.

The footnote pattern: the phrase is marked, never a link (it may hold links
of its own), and only its number links to the note, after a word, hidden
on screen, that says it is a note. Brackets show where a phrase begins and
ends where no style does (feed readers, text browsers); the style hides them.
"""

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from hyva.patterns import KIND_OF_VERDICT, Phrase, note_kind

ID_PREFIX = "vertailu"


def has_class(element, name: str) -> bool:
    return name in element.get("class", "").split()


def append_text(element, text: str) -> None:
    """Add text after everything already inside `element`."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def ancestors(element, parents: dict):
    while element in parents:
        element = parents[element]
        yield element


def hidden_from_speech(text: str, name: str = "span") -> etree.Element:
    element = etree.Element(name, {"aria-hidden": "true"})
    element.text = text
    return element


class ReplyNotes(Treeprocessor):
    """Number each marked phrase, link the number to its note and back.

    Every phrase, with its note and patterns, is left in `md.reply_phrases`
    (a list of hyva.patterns.Phrase) for the phrasebook."""

    def __init__(self, md, labels: dict, patterns: dict, site: str):
        super().__init__(md)
        self.labels = labels
        self.patterns = patterns
        self.site = site.rstrip("/")

    def run(self, root):
        self.md.reply_phrases = []
        comparisons = [el for el in root.iter("section") if has_class(el, "reply-compare")]
        for number, comparison in enumerate(comparisons, 1):
            prefix = f"{ID_PREFIX}-{number}"
            heading = comparison.find("h2")
            heading.set("id", prefix)
            comparison.set("aria-labelledby", prefix)
            count = 0
            for reply in comparison.iter("article"):
                count = self.list_notes(reply, prefix, count, "".join(heading.itertext()))

    def list_notes(self, reply, prefix: str, count: int, comparison: str) -> int:
        """Append the reply's `<ol>` of notes; return the last number used."""
        verdict = "bad" if has_class(reply, "reply-bad") else "good"
        caption = (reply.find("h3").find("span").tail or "").strip()
        notes = etree.Element("ol", {"class": "reply-notes"})
        if count:
            notes.set("start", str(count + 1))
        parents = {child: parent for parent in reply.iter() for child in parent}
        for mark in [el for el in reply.iter("mark") if has_class(el, "reply-annotation")]:
            count += 1
            mark_id, note_id = f"{prefix}-kohta-{count}", f"{prefix}-huomio-{count}"
            note, keys, kind = self.add_note(mark, notes, verdict, mark_id, note_id, count)
            self.md.reply_phrases.append(Phrase(
                "".join(mark.itertext()).strip(), note, verdict, kind, tuple(keys),
                caption, comparison, mark_id))
            self.number_phrase(mark, parents, mark_id, note_id, count)
        if len(notes):
            reply.append(notes)
        return count

    def number_phrase(self, mark, parents: dict, mark_id: str, note_id: str,
                      number: int) -> None:
        """`[phrase]` marked, then `<sup><a>note 1</a></sup>` right after it,
        or after the link that holds the phrase: a link holds no link."""
        mark.set("id", mark_id)
        start = hidden_from_speech("[")
        start.tail, mark.text = mark.text, None
        mark.insert(0, start)
        mark.append(hidden_from_speech("]"))
        for edge in (start, mark[-1]):
            edge.set("class", "mark-edge")
        reference = etree.Element("sup", {"class": "note-ref"})
        link = etree.SubElement(reference, "a", {"href": f"#{note_id}"})
        word = etree.SubElement(link, "span", {"class": "visually-hidden"})
        word.text = f"{self.labels['note']} "
        word.tail = str(number)
        after = mark
        for ancestor in ancestors(mark, parents):
            if ancestor.tag == "a":
                after = ancestor
        parent = parents[after]
        reference.tail, after.tail = after.tail, None
        parent.insert(list(parent).index(after) + 1, reference)

    def add_note(self, mark, notes, verdict: str, mark_id: str, note_id: str,
                 number: int) -> tuple[str, list[str], str]:
        """The note's item, labelled by its patterns' kind (else by the
        reply's verdict) and linking to them; returns its text, keys and kind."""
        note = next(child for child in mark if has_class(child, "reply-note"))
        mark.remove(note)
        keys = note.get("data-patterns", "").split()
        kind = note_kind(keys, self.patterns) or KIND_OF_VERDICT[verdict]
        item = etree.SubElement(notes, "li", {"id": note_id})
        if kind != KIND_OF_VERDICT[verdict]:
            # A bad reply's one strength (or a good one's fault) is tinted as such.
            for element in (mark, item):
                element.set("class", f"{element.get('class', '')} note-{kind}".strip())
        word = etree.SubElement(item, "strong", {"class": "note-kind"})
        word.text = f"{self.labels[kind]}:"
        word.tail = " " + (note.text or "")
        for child in list(note):
            item.append(child)
        text = "".join(item.itertext())[len(word.text):].strip()
        if keys:
            self.link_patterns(item, keys)
        append_text(item, " ")
        back = etree.SubElement(item, "a", {"href": f"#{mark_id}", "class": "note-back"})
        arrow = hidden_from_speech("↩")
        arrow.tail = " " + self.labels["back"] % {"number": number}
        back.append(arrow)
        return text, keys, kind

    def link_patterns(self, item, keys: list[str]) -> None:
        """`In the phrasebook: <a>Syyllistäminen</a>, …` after the note's text."""
        append_text(item, " ")
        links = etree.SubElement(item, "span", {"class": "note-patterns"})
        links.text = f"{self.labels['patterns']} "
        for index, key in enumerate(keys):
            pattern = self.patterns[key]
            link = etree.SubElement(links, "a", {"href": f"{self.site}/{pattern.url}",
                                                 "class": "pattern-link"})
            link.text = pattern.name
            link.tail = ", " if index < len(keys) - 1 else ""
