"""Nothing unpublished is in the output: no draft, hidden or future-dated
case, and no comment that is not an approved comment file.

Cases are read with Pelican's own readers and settings, so the URLs checked
are exactly the ones Pelican would write. Comments are recognised by their
anchor on case pages and in comment feeds (`kommentti-<id>`, see
plugins/comments/site.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from pelican.contents import Article
from pelican.readers import Readers

from hyva import commentfile
from hyva.cases import case_files, comments_root, ignored
from hyva_tools.check.links import references
from hyva_tools.check.output import BuiltOutput, Problem

COMMENT_ANCHOR = re.compile(r"kommentti-([0-9A-Za-z_-]+)")
UNPUBLISHED_STATUSES = ("draft", "hidden")


def unpublished_cases(settings: dict, now: datetime) -> Iterator[tuple[Article, str]]:
    """(case, why it must not be published) for every draft, hidden or
    future-dated case in the content."""
    readers = Readers(settings)
    for path in case_files(settings):
        case = readers.read_file(settings["PATH"], str(path.relative_to(settings["PATH"])),
                                 content_class=Article)
        if case.status in UNPUBLISHED_STATUSES:
            yield case, f"Status: {case.status}"
        elif hasattr(case, "date") and case.date > now.astimezone(case.date.tzinfo):
            yield case, f"dated in the future ({case.date:%Y-%m-%d %H:%M})"


def case_outputs(case: Article, settings: dict) -> set[str]:
    """Where Pelican would write this case, published or as a draft."""
    paths = {settings["ARTICLE_SAVE_AS"], settings["DRAFT_SAVE_AS"], case.save_as}
    return {path.format(**case.url_format) for path in paths if path}


def approved_comment_ids(settings: dict) -> set[str]:
    folders = commentfile.comment_folders(comments_root(settings),
                                          lambda name: ignored(name, settings))
    return {commentfile.load(path).id for _folder, files in folders for path in files}


def output_comment_ids(site: BuiltOutput) -> Iterator[tuple[str, str]]:
    """(file, comment id) for every comment in pages and feeds."""
    for page in site.html_files:
        for element in site.soup(page).find_all(id=COMMENT_ANCHOR):
            yield page, COMMENT_ANCHOR.fullmatch(element["id"]).group(1)
    for source, url in references(site):
        if source.endswith(".xml") and (match := COMMENT_ANCHOR.search(url.partition("#")[2])):
            yield source, match.group(1)


def check(site: BuiltOutput, settings: dict, now: datetime | None = None) -> Iterator[Problem]:
    now = now or datetime.now().astimezone()
    unpublished = list(unpublished_cases(settings, now))
    for case, reason in unpublished:
        for path in sorted(case_outputs(case, settings)):
            if (site.root / path).is_file():
                yield Problem(path, f"case {case.get_relative_source_path()} is not published "
                                    f"({reason}) "
                                    "but its page is in the output")
    hidden_targets = {path: (case, reason) for case, reason in unpublished
                      for path in case_outputs(case, settings)}
    for source, url in references(site):
        target = site.target(url, source)
        if target and target[0] in hidden_targets:
            case, reason = hidden_targets[target[0]]
            yield Problem(source, f"links to case {case.get_relative_source_path()}, which is not "
                                  f"published ({reason})")
    approved = approved_comment_ids(settings)
    for source, comment_id in output_comment_ids(site):
        if comment_id not in approved:
            yield Problem(source, f"comment {comment_id} is not an approved comment "
                                  "(no file for it in content/comments)")
