"""What `invoke import-comments --dry-run` shows: every message that would
be published (case, threading, name, and the text exactly as the case page
renders it, by the site's own renderer), and every one that would be
rejected and why.

On the terminal as plain text, every line through `printable`; with
`--output FILE` as one self-contained HTML page (inline CSS, no scripts,
no external requests), escaped by Jinja's autoescape.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from hyva.commentrender import comment_html
from hyva.privacy import MASK, printable
from hyva_tools.comment_import.importer import ImportReport
from hyva_tools.comment_import.moderation import reason_counts

TEMPLATE = "preview.html"


def notes_on(report: ImportReport, location: str) -> list[str]:
    """The summary's notes about the message at `location`."""
    prefix = f"{location}: "
    return [note.removeprefix(prefix) for note in report.notes if note.startswith(prefix)]


def preview_text(report: ImportReport, anonymous: str, mask: str = MASK) -> str:
    lines = ["Dry run: nothing was written. This is what an import would do."]
    for preview in report.previews:
        comment = preview.comment
        lines += [f"Would publish {preview.location}: case {comment.case}, comment {comment.id}, "
                  f"{preview.threading}",
                  f"  Name: {comment.author or anonymous}"]
        lines += [f"  Note: {note}" for note in notes_on(report, preview.location)]
        lines += [f"  | {line}" for line in comment.text.splitlines()]
    return "\n".join(printable(line, mask) for line in lines)


def preview_html(report: ImportReport, source: str, anonymous: str, lang: str,
                 mask: str = MASK) -> str:
    """Text from strangers (subjects, reasons, notes) goes through the
    `shown` filter: masked, and control characters escaped."""
    environment = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=True,
                              keep_trailing_newline=True)
    environment.filters["shown"] = lambda text: printable(str(text), mask)
    template = environment.get_template(TEMPLATE)
    return template.render(report=report, source=source, anonymous=anonymous, lang=lang,
                           groups=reason_counts(report.rejected),
                           notes_on=lambda location: notes_on(report, location),
                           rendered=lambda text: Markup(comment_html(text)))
