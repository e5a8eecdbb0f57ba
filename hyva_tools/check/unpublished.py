"""Nothing unpublished is in the output: no draft, hidden or future-dated
case, and no comment that is not an approved comment file.

Cases are read with Pelican's own readers and settings, so the URLs checked
are exactly the ones Pelican would write. Comments are recognised by their
anchor on case pages and in comment feeds (`kommentti-<id>`, see
plugins/comments/site.py).

What is cached: each case's status, date and output paths (by the case
file's hash), each comment file's id, and the comment ids each page and
feed shows. Links to unpublished cases come from the links check's facts.
Whether a date is in the future is judged anew on every run.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from markdown import Markdown
from pelican.contents import Article
from pelican.readers import MarkdownReader, Readers
from pelican.utils import pelican_open

from hyva import commentfile
from hyva.cases import case_files, comments_root, ignored
from hyva_tools.check import links
from hyva_tools.check.output import Check, Problem, ScannedFile, Verdict

COMMENT_ANCHOR = re.compile(r"kommentti-([0-9A-Za-z_-]+)")
UNPUBLISHED_STATUSES = ("draft", "hidden")
# What decides a case's status, date and output paths, besides its file.
READER_SETTINGS = ("ARTICLE_SAVE_AS", "DRAFT_SAVE_AS", "ARTICLE_URL", "DRAFT_URL",
                   "ARTICLE_LANG_SAVE_AS", "DRAFT_LANG_SAVE_AS", "DEFAULT_LANG", "SLUGIFY_SOURCE",
                   "SLUG_REGEX_SUBSTITUTIONS", "TIMEZONE", "DEFAULT_DATE", "DEFAULT_DATE_FORMAT",
                   "FILENAME_METADATA", "PATH_METADATA", "EXTRA_PATH_METADATA", "DEFAULT_METADATA",
                   "ARTICLE_PATHS", "COMMENTS_PATH", "IGNORE_FILES")
_readers: dict[int, Readers] = {}


class HeaderReader(MarkdownReader):
    """Pelican's Markdown reader given a case's header alone (the lines the
    Meta extension reads, up to the first blank one): status, date and
    output paths all come from the header, and converting the body was
    most of the time a case took."""

    def read(self, source_path):
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        with pelican_open(source_path) as text:
            self._md.convert("\n".join(itertools.takewhile(str.strip, text.split("\n"))))
        return "", self._parse_metadata(getattr(self._md, "Meta", {}))


def header_readers(settings: dict) -> Readers:
    return Readers({**settings, "READERS": {
        **settings["READERS"], **dict.fromkeys(MarkdownReader.file_extensions, HeaderReader)}})


def scan(file: ScannedFile, settings: dict) -> list[str]:
    """The ids of the comments a page or feed shows."""
    if file.relative.endswith(".html"):
        return [match.group(1) for element_id in file.ids
                if (match := COMMENT_ANCHOR.fullmatch(element_id))]
    if file.is_feed:
        return [match.group(1) for url in file.feed_links
                if (match := COMMENT_ANCHOR.search(url.partition("#")[2]))]
    return []


def sources(settings: dict) -> list[Path]:
    """The case files, and the approved comment files."""
    folders = commentfile.comment_folders(comments_root(settings),
                                          lambda name: ignored(name, settings))
    return [*case_files(settings), *(path for _folder, files in folders for path in files)]


def scan_source(path: Path, settings: dict) -> dict:
    """A comment file's id, or a case's status, date and output paths."""
    if path.is_relative_to(comments_root(settings)):
        return {"comment": commentfile.load(path).id}
    if id(settings) not in _readers:
        _readers[id(settings)] = header_readers(settings)
    readers = _readers[id(settings)]
    case = readers.read_file(settings["PATH"], str(path.relative_to(settings["PATH"])),
                             content_class=Article)
    date = getattr(case, "date", None)
    return {"status": case.status, "date": date.isoformat() if date else None,
            "outputs": sorted(case_outputs(case, settings)),
            "source": case.get_relative_source_path()}


def case_outputs(case: Article, settings: dict) -> set[str]:
    """Where Pelican would write this case, published or as a draft."""
    paths = {settings["ARTICLE_SAVE_AS"], settings["DRAFT_SAVE_AS"], case.save_as}
    return {path.format(**case.url_format) for path in paths if path}


def why_unpublished(case: dict, now: datetime) -> str | None:
    if case["status"] in UNPUBLISHED_STATUSES:
        return f"Status: {case['status']}"
    if case["date"]:
        date = datetime.fromisoformat(case["date"])
        if date > now.astimezone(date.tzinfo):
            return f"dated in the future ({date:%Y-%m-%d %H:%M})"
    return None


def judge(verdict: Verdict, now: datetime | None = None) -> Iterator[Problem]:
    now = now or datetime.now().astimezone()
    site = verdict.site
    cases = [facts for facts in verdict.sources.values() if "status" in facts]
    hidden_targets = {}
    for case in sorted(cases, key=lambda case: case["source"]):
        if reason := why_unpublished(case, now):
            for path in case["outputs"]:
                hidden_targets[path] = (case["source"], reason)
                if path in site.file_set:
                    yield Problem(path, f"case {case['source']} is not published ({reason}) "
                                        "but its page is in the output")
    for source, found in verdict.others["links"].items() if hidden_targets else ():
        for _url, path, _fragment in found["links"]:
            if (path := site.on_disk(path)) in hidden_targets:
                case, reason = hidden_targets[path]
                yield Problem(source, f"links to case {case}, which is not published ({reason})")
    approved = {facts["comment"] for facts in verdict.sources.values() if "comment" in facts}
    for source, comment_ids in verdict.files.items():
        for comment_id in comment_ids:
            if comment_id not in approved:
                yield Problem(source, f"comment {comment_id} is not an approved comment "
                                      "(no file for it in content/comments)")


CHECK = Check("unpublished", scan=scan, wants=lambda relative: relative.endswith((".html", ".xml")),
              sources=sources, scan_source=scan_source, judge=judge, reads=(links.CHECK,),
              settings=READER_SETTINGS)
