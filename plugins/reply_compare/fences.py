"""Checks comparison fences line by line before Markdown parses them.

pymdownx.blocks prints a fence it cannot use as plain text and says
nothing, and so do the CriticMarkup delimiters; an author needs the file's
line and a fix, so mistakes raise ContentError here. Code (fenced, indented
or inline) is left alone. Pelican hands Markdown the whole file, header
included, so a line number here is the line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.preprocessors import Preprocessor
from pymdownx.critic import COMMENT, DEL, INS, MARK, SUB, find_critics

from hyva.errors import ContentError
from hyva.patterns import check_note

from .blocks import COMPARISON_NAMES, VERDICTS

FENCE_OPEN = re.compile(r"^ {0,3}(/{3,}) *([\w-]+) *(?:\|.*)?$")
FENCE_CLOSE = re.compile(r"^ {0,3}(/{3,}) *$")
CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
INDENTED = re.compile(r"^(?: {4}|\t)")
LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])(?:\s|$)")
# CriticMarkup openers, the closer each needs and the whole form.
OPENERS = {"{==": ("==}", "{==phrase==}"), "{>>": ("<<}", "{>>note<<}"),
           "{--": ("--}", "{--removed--}"), "{++": ("++}", "{++added++}"),
           "{~~": ("~~}", "{~~old~>new~~}")}
OPENER = re.compile("|".join(re.escape(opener) for opener in OPENERS))

VERDICT_LIST = ", ".join(VERDICTS)
BLOCK_LIST = ", ".join(COMPARISON_NAMES)
ANNOTATION_FORM = "{==phrase==}{>>why it fails or works<<}"


@dataclass
class Fence:
    """An open `///` block: its slashes, name and first line."""

    slashes: int
    name: str
    line: int
    replies: int = 0
    text: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_comparison(self) -> bool:
        return self.name in COMPARISON_NAMES

    @property
    def is_reply(self) -> bool:
        return self.name in VERDICTS


def blank_code_spans(line: str) -> str:
    """`{==x==}` shown as code is not markup; keep offsets, drop the text."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


class FenceCheck(Preprocessor):
    """Raise ContentError for the first misuse of compare/reply fences."""

    def __init__(self, md, patterns: dict):
        super().__init__(md)
        self.patterns = patterns

    def run(self, lines):
        self.stack: list[Fence] = []
        outside: list[tuple[int, str]] = []
        code_fence = ""
        code = IndentedCode()
        for number, line in enumerate(lines, 1):
            if code_fence:
                code_fence = "" if line.strip().startswith(code_fence) else code_fence
            elif code.holds(line):
                self.add_text(number, line, outside, is_code=True)
            elif match := CODE_FENCE.match(line):
                code_fence = match.group(1)
            elif match := FENCE_OPEN.match(line):
                self.open(len(match.group(1)), match.group(2).lower(), number)
                code.restart()
            elif match := FENCE_CLOSE.match(line):
                self.close(len(match.group(1)), number)
                code.restart()
            else:
                self.add_text(number, line, outside)
        if self.stack:
            self.unclosed(self.stack[-1])
        check_outside(outside)
        return lines

    @property
    def innermost(self) -> Fence | None:
        return self.stack[-1] if self.stack else None

    def open(self, slashes: int, name: str, number: int) -> None:
        known = name in self.md.parser.blockprocessors["blocks"].blocks
        parent = self.innermost
        in_comparison = parent is not None and parent.is_comparison
        fence = Fence(slashes, name, number)
        if in_comparison and not known:
            raise ContentError(f"unknown verdict {name!r}", line=number,
                               hint=f"start a reply with '/// <verdict> | caption', "
                                    f"where the verdict is one of: {VERDICT_LIST}")
        if not known:
            raise ContentError(f"unknown block {name!r}", line=number,
                               hint=f"start a comparison with '//// <block> | caption', where "
                                    f"the block is one of: {BLOCK_LIST}; to show the line as "
                                    "text, put it in a code block")
        if fence.is_comparison and any(f.is_comparison for f in self.stack):
            raise ContentError("a compare block inside another compare block", line=number,
                               hint="close the first comparison with its fence before "
                                    "starting the next")
        if fence.is_reply and not in_comparison:
            raise ContentError(f"a '{name}' reply outside a compare block", line=number,
                               hint="put the replies between '//// compare | caption' and '////'")
        if in_comparison and not fence.is_reply:
            raise ContentError(f"a '{name}' block directly inside a compare block", line=number,
                               hint=f"a comparison holds only replies ({VERDICT_LIST}); "
                                    "put other blocks inside a reply")
        if in_comparison and slashes >= parent.slashes:
            raise ContentError(
                f"the reply fence has {slashes} slashes but its compare block has "
                f"{parent.slashes}", line=number,
                hint=f"give the compare fences more slashes than the replies, e.g. "
                     f"'{'/' * (slashes + 1)} compare' around '{'/' * slashes} {name}'")
        if in_comparison:
            parent.replies += 1
        self.stack.append(fence)

    def close(self, slashes: int, number: int) -> None:
        if not any(f.slashes == slashes for f in self.stack):
            fence = "/" * slashes
            raise ContentError(
                f"a closing '{fence}' with no open block of {slashes} slashes", line=number,
                hint="delete the line, or give it as many slashes as the fence it closes"
                     + (f" ('{'/' * self.innermost.slashes}')" if self.stack else ""))
        fence = self.stack.pop()
        if fence.slashes != slashes:
            self.unclosed(fence)
        if fence.is_comparison and fence.replies < 2:
            raise ContentError(
                f"a compare block needs at least two replies, this one has {fence.replies}",
                line=fence.line,
                hint="add a '/// bad | caption' and a '/// good | caption' reply inside it")
        if fence.is_reply:
            check_annotations(fence.text, self.patterns)

    def unclosed(self, fence: Fence) -> None:
        raise ContentError(
            f"the '{fence.name}' fence is never closed", line=fence.line,
            hint=f"end the block with a line of exactly {fence.slashes} slashes "
                 f"('{'/' * fence.slashes}')")

    def add_text(self, number: int, line: str, outside: list[tuple[int, str]],
                 is_code: bool = False) -> None:
        """Keep the line for the CriticMarkup checks (code as a blank line)."""
        fence = self.innermost
        if fence is not None and fence.is_comparison:
            if line.strip():
                raise ContentError("text inside a compare block but outside its replies",
                                   line=number,
                                   hint="move the text into a reply or after the closing "
                                        f"'{'/' * fence.slashes}'")
            return
        reply = next((f for f in reversed(self.stack) if f.is_reply), None)
        (reply.text if reply else outside).append((number, "" if is_code else line))


class IndentedCode:
    """Tells, line by line, which lines are an indented code block.

    As Markdown reads them: indented lines after a blank line, unless they
    continue a list item."""

    def __init__(self):
        self.restart()

    def restart(self) -> None:
        """A fence starts or ends a block of its own."""
        self.after_blank, self.in_code, self.in_list = True, False, False

    def holds(self, line: str) -> bool:
        if not line.strip():
            self.after_blank = True
            return self.in_code
        indented = bool(INDENTED.match(line))
        self.in_code = indented and (self.in_code or (self.after_blank and not self.in_list))
        if LIST_ITEM.match(line):
            self.in_list = True
        elif not indented and self.after_blank:
            self.in_list = False
        self.after_blank = False
        return self.in_code


def critic_marks(text: list[tuple[int, str]]):
    """CriticMarkup in numbered lines, as (file line, kind, content, start, end,
    new text of a substitution)."""
    joined = "\n".join(blank_code_spans(line) for _, line in text)
    for start, end, kind, content, new in find_critics(joined):
        yield text[joined.count("\n", 0, start)][0], kind, content, start, end, new


def check_outside(text: list[tuple[int, str]]) -> None:
    """Whole or unclosed, CriticMarkup outside a reply would show as text."""
    lines = [line for line, *_ in critic_marks(text)] + [line for line, _ in unclosed(text)]
    if lines:
        raise ContentError("CriticMarkup outside a reply", line=min(lines),
                           hint="annotations and edits belong inside a '/// bad' or "
                                "'/// good' block of a '//// compare' block")


def unclosed(text: list[tuple[int, str]]):
    """Openers such as `{~~` left over once every whole mark is found, as
    (file line, opener)."""
    joined = "\n".join(blank_code_spans(line) for _, line in text)
    marks = [(start, end) for start, end, *_ in find_critics(joined)]
    for match in OPENER.finditer(joined):
        if not any(start <= match.start() < end for start, end in marks):
            yield text[joined.count("\n", 0, match.start())][0], match.group(0)


def check_unclosed(text: list[tuple[int, str]]) -> None:
    for line, opener in unclosed(text):
        closer, form = OPENERS[opener]
        raise ContentError(f"a '{opener}' that is never closed", line=line,
                           hint=f"end it with '{closer}' in the same paragraph: {form}")


def check_edits(marks) -> None:
    """An edit with nothing removed or nothing added shows an empty label."""
    for line, kind, content, _, _, new in marks:
        if kind in (DEL, INS) and not content.strip():
            form = "{--removed--}" if kind == DEL else "{++added++}"
            raise ContentError(f"an empty '{{{kind}{kind}}}' edit", line=line,
                               hint=f"put the text between the marks, {form}, or delete them")
        if kind == SUB and not (content.strip() and new.strip()):
            raise ContentError(
                "a '{~~old~>new~~}' edit with nothing on one side", line=line,
                hint="write both the old and the new text, or use {--removed--} or "
                     "{++added++} instead")


def check_annotations(text: list[tuple[int, str]], patterns: dict) -> None:
    """Every highlighted phrase has a note that says something, and back;
    every edit and mark is whole; a note names only known patterns, of one kind."""
    check_unclosed(text)
    marks = list(critic_marks(text))
    check_edits(marks)
    for index, (line, kind, content, start, end, _) in enumerate(marks):
        after = marks[index + 1] if index + 1 < len(marks) else None
        before = marks[index - 1] if index else None
        if kind == MARK and not content.strip():
            raise ContentError("an annotation with an empty phrase", line=line,
                               hint=f"put the phrase between {{== and ==}}: {ANNOTATION_FORM}")
        if kind == MARK and not (after and after[1] == COMMENT and after[3] == end):
            raise ContentError("a highlighted phrase without a note", line=line,
                               hint=f"follow it at once with its note: {ANNOTATION_FORM}")
        if kind == COMMENT and not (before and before[1] == MARK and before[4] == start):
            raise ContentError("a note without a highlighted phrase", line=line,
                               hint=f"write the phrase right before it: {ANNOTATION_FORM}")
        if kind == COMMENT and not content.strip():
            raise ContentError("an annotation with an empty note", line=line,
                               hint=f"say why the phrase fails or works: {ANNOTATION_FORM}")
        if kind == COMMENT:
            try:
                check_note(content, patterns)
            except ContentError as error:
                error.line = line
                raise
