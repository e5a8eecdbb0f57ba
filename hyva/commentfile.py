"""The comment file: one approved comment in `content/comments/<case-slug>/<id>.md`.

The import writes these files and the site reads them; this module is the
only place that knows their layout:

    Id: c3f9a2b1c7d04e5f
    Case: kiitos-jai-ilman-vastausta
    Author: Menninkäinen
    Date: 2014-05-17T08:12:00+03:00
    Parent: 9a0b1c2d3e4f5a6b
    Role: author
    Erasure-Key: 5d41402abc4b2a76b9719d911017c592...

    Plain text of the comment. Blank lines separate paragraphs.

`Author` (none for an anonymous sender: the site shows the catalogue's word
for "Anonymous"), `Parent` (the id of the comment this one answers), `Role`
(`author` for the blog's own replies) and `Erasure-Key` (a keyed hash of the
sender's address, see `invoke forget-commenter`) are optional. No address is
ever stored.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hyva.cases import is_slug
from hyva.errors import ContentError
from hyva.xmltext import first_forbidden

FIELDS = ("Id", "Case", "Author", "Date", "Parent", "Role", "Erasure-Key")


@dataclass
class Comment:
    id: str
    case: str
    author: str
    """The sender's name; empty for an anonymous comment."""
    date: datetime
    text: str
    parent: str | None = None
    role: str | None = None
    erasure_key: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each header field in the file it was read from."""

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name)

    def dumps(self) -> str:
        values = {
            "Id": self.id, "Case": self.case, "Author": self.author,
            "Date": self.date.isoformat(), "Parent": self.parent, "Role": self.role,
            "Erasure-Key": self.erasure_key,
        }
        header = "".join(f"{key}: {value}\n" for key, value in values.items() if value)
        return f"{header}\n{self.text.strip()}\n"


HINT = ("correct the header (see hyva/commentfile.py) or delete the file and import "
        "the message again")


def loads(text: str, source: str = "<comment>") -> Comment:
    """Parse a comment file; a mistake is a ContentError at its line."""
    check_characters(text, source)
    header, _, body = text.partition("\n\n")
    fields, lines = {}, {}
    for number, line in enumerate(header.splitlines(), 1):
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in FIELDS:
            raise ContentError(f"expected one of {', '.join(FIELDS)}, got {line!r}",
                               line=number, path=source, hint=HINT)
        fields[key.strip()] = value.strip()
        lines[key.strip()] = number
    for required in ("Id", "Case", "Date"):
        if required not in fields:
            raise ContentError(f"the header has no {required}", line=1, path=source, hint=HINT)
    try:
        date = datetime.fromisoformat(fields["Date"])
    except ValueError:
        raise ContentError(f"Date {fields['Date']!r} is not an ISO 8601 date",
                           line=lines["Date"], path=source, hint=HINT) from None
    return Comment(
        id=fields["Id"], case=fields["Case"], author=fields.get("Author", ""),
        date=date, text=body.strip(), parent=fields.get("Parent"), role=fields.get("Role"),
        erasure_key=fields.get("Erasure-Key"), lines=lines,
    )


def check_characters(text: str, source: str) -> None:
    """A character XML 1.0 forbids would stop the feeds deep inside lxml:
    name its line instead."""
    forbidden = first_forbidden(text)
    if forbidden:
        line, character = forbidden
        raise ContentError(f"the character {character} is not allowed (XML forbids it)",
                           line=line, path=source, hint="delete that character")


def peek(path: Path) -> dict[str, str]:
    """The header fields of a comment file as written, unchecked: cheap,
    for telling whether a mail is already this comment."""
    header = path.read_text(encoding="utf-8").partition("\n\n")[0]
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in header.splitlines())}


def load(path: Path) -> Comment:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError("the file is not UTF-8 text", line=1, path=path, hint=HINT) from None
    return loads(text, str(path))


def comment_folders(root: Path, ignored: Callable[[str], bool]
                    ) -> Iterator[tuple[Path, list[Path]]]:
    """(case folder, its comment files), sorted, skipping what `ignored`
    names (dot files, editor leftovers, the import's temporary files)."""
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not ignored(folder.name):
            yield folder, sorted(path for path in folder.iterdir()
                                 if path.suffix == ".md" and not ignored(path.name)
                                 and path.is_file())


def comment_path(comments_dir: Path, comment: Comment) -> Path:
    """Where the comment's file goes; a case or id that is not one path
    segment (`../x`) is refused, so nothing is written outside `comments_dir`."""
    if not (is_slug(comment.case) and is_slug(comment.id)) or comment.case.startswith("."):
        raise ContentError(f"{comment.case!r}/{comment.id!r} is not a case slug and a comment id",
                           hint="a slug is one path segment, such as kiitos-jai-ilman-vastausta")
    return comments_dir / comment.case / f"{comment.id}.md"


def save(comments_dir: Path, comment: Comment) -> Path:
    """Write atomically: a reader never sees half a comment file. The
    temporary file is named after the comment (ids are unique), so no
    random name is needed, and created readable (0644 less the umask) for a
    web build user. The case's folder is made only when it is missing: an
    import writes thousands of files into a few folders."""
    path = comment_path(comments_dir, comment)
    temporary = os.path.join(path.parent, f".tmp-{comment.id}.md")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        try:
            handle = os.open(temporary, flags, 0o644)
        except FileNotFoundError:
            os.makedirs(path.parent, exist_ok=True)
            handle = os.open(temporary, flags, 0o644)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(comment.dumps())
        os.replace(temporary, path)
    except BaseException:
        # Also when Ctrl-C lands between the open and the write.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path
