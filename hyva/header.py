"""A case's header: the `Key: value` lines above its first blank line.

Read here as Python-Markdown's Meta extension reads them, with the line of
each field, so every mistake an author makes in a header is reported at its
line; and written here, so `invoke new` and the tests make headers one way.
"""

from __future__ import annotations

from pelican.contents import Article
from pelican.utils import get_date

from hyva.errors import ContentError
from hyva.facets import header_key, value_problem

# What Pelican accepts in `Status:` ("" when there is no such line).
STATUSES = ("", *Article.allowed_statuses)


def read_header(text: str) -> dict[str, tuple[int, str]]:
    """Header fields as `{key: (line number, value)}`. A UTF-8 byte order
    mark before the first key is not part of it."""
    fields: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if line[0] in " \t" or not colon:
            continue
        fields[key.strip().lower()] = (number, value.strip())
    return fields


def check_header(text: str, settings: dict, is_case: bool) -> None:
    """Raise ContentError for the first header mistake an author must fix."""
    fields = read_header(text)
    if not fields.get("title", (0, ""))[1]:
        raise ContentError("the header has no Title", line=1,
                           hint="add a line 'Title: Otsikko' at the top of the file")
    for key in ("date", "modified"):
        if key in fields:
            line, value = fields[key]
            try:
                get_date(value)
            except (ValueError, OverflowError):
                raise ContentError(f"{key.capitalize()} {value!r} is not a date", line=line,
                                   hint="write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, "
                                        f"e.g. '{key.capitalize()}: 2014-05-16 10:00'") from None
    if fields.get("status", (0, ""))[1].lower() not in STATUSES:
        line, value = fields["status"]
        raise ContentError(f"Status {value!r} is not a status", line=line,
                           hint=f"write one of: {', '.join(STATUSES[1:])}, "
                                "or leave the line out to publish")
    if "date" not in fields and is_case:
        raise ContentError("the header has no Date", line=1,
                           hint="add a line 'Date: YYYY-MM-DD' to the header")
    if not is_case:
        return
    for facet, spec in settings["CASE_FACETS"].items():
        if facet not in fields:
            if spec["required"]:
                raise ContentError(
                    f"the header has no {header_key(facet)}", line=1,
                    hint=f"add '{header_key(facet)}: <value>' with one of: "
                         f"{', '.join(spec['values'])}")
            continue
        line, raw = fields[facet]
        problem = value_problem(settings, facet, raw)
        if problem:
            raise ContentError(problem[0], line=line, hint=problem[1])


def write_header(fields: dict[str, str]) -> str:
    """`Key: value` lines for `fields` (lower-case keys, in order), then the
    blank line that ends a header; empty values are left out."""
    return "".join(f"{key.capitalize()}: {value}\n" for key, value in fields.items()
                   if str(value).strip()) + "\n"
