"""The `compare` and `reply` fences, built on pymdownx.blocks.

A comparison is a `<section>` with a heading and a grid of replies; a reply
is an `<article>` whose heading names its verdict in words and whose text
sits in a `<blockquote>`, so it reads right with no CSS, e.g. in a feed.
"""

import xml.etree.ElementTree as etree

from pymdownx.blocks.block import Block

# Block names authors may write, Finnish aliases included.
COMPARISON_NAMES = ("compare", "vertailu")
VERDICTS = {"bad": "bad", "huono": "bad", "good": "good", "hyvä": "good"}
# A shape beside the verdict's word, so bad and good differ in more than
# colour; screen readers hear only the word.
SHAPES = {"bad": "✗", "good": "✓"}


class Comparison(Block):
    """`//// compare | caption`: two or more replies side by side."""

    NAME = "compare"
    ARGUMENT = None

    def on_create(self, parent):
        section = etree.SubElement(parent, "section", {"class": "reply-compare"})
        heading = etree.SubElement(section, "h2", {"class": "reply-compare-title"})
        heading.text = self.argument or self.config["labels"]["comparison"]
        etree.SubElement(section, "div", {"class": "reply-compare-replies"})
        return section

    def on_add(self, block):
        return block.find("div")


class Reply(Block):
    """`/// bad | caption` or `/// good | caption`: one reply, verdict in its name."""

    ARGUMENT = None
    VERDICT = ""

    def on_create(self, parent):
        reply = etree.SubElement(parent, "article", {"class": f"reply reply-{self.VERDICT}"})
        heading = etree.SubElement(reply, "h3", {"class": "reply-title"})
        verdict = etree.SubElement(heading, "span", {"class": "reply-verdict"})
        shape = etree.SubElement(verdict, "span", {"class": "verdict-shape",
                                                   "aria-hidden": "true"})
        shape.text = SHAPES[self.VERDICT]
        shape.tail = " " + self.config["labels"][self.VERDICT]
        if self.argument:
            shape.tail += ":"
            verdict.tail = " " + self.argument
        # The table of contents names the reply without the shape.
        heading.set("data-toc-label", "".join(heading.itertext())[len(shape.text):].strip())
        etree.SubElement(reply, "blockquote")
        return reply

    def on_add(self, block):
        return block.find("blockquote")


def comparison_blocks():
    """One Block class per name an author may write."""
    for name in COMPARISON_NAMES:
        yield type("Comparison", (Comparison,), {"NAME": name})
    for name, verdict in VERDICTS.items():
        yield type(f"{verdict.title()}Reply", (Reply,), {"NAME": name, "VERDICT": verdict})
