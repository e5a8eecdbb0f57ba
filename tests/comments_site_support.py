"""Small sites with comment files, for the comment page and feed tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import conftest
from conftest import BuiltSite, build, run_pelican
from hyva.commentfile import Comment, save

HELSINKI = ZoneInfo("Europe/Helsinki")


def write_case(content: Path, slug: str, title: str, date: str = "2014-05-16 10:00") -> Path:
    """A case in `content`/cases/ for comments to be about."""
    return conftest.write_case(content / "cases", slug, title,
                               "Testitapauksen teksti, jota kommentit koskevat.\n",
                               date=date, summary=f"Testitapaus {slug}.")


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time in May 2014, Helsinki."""
    return datetime(2014, 5, day, hour, minute, tzinfo=HELSINKI)


def write_comment(content: Path, case: str, id: str, author: str, date: datetime,
                  text: str, **optional) -> Path:
    """A comment file exactly as the import writes it."""
    comment = Comment(id=id, case=case, author=author, date=date, text=text, **optional)
    return save(content / "comments", comment)


# The search index is another feature's, and half of a small build's time.
NO_SEARCH = {"SEARCH_INDEX": False}


def build_site(content: Path, output: Path, **overrides) -> BuiltSite:
    return build(content, output, **NO_SEARCH, **overrides)


def failed_build_log(content: Path, output: Path, **settings) -> str:
    """The log of a build that must fail, on one line."""
    result = run_pelican(content, output, **NO_SEARCH, **settings)
    assert result.returncode == 1, result.stdout + result.stderr
    return " ".join((result.stdout + result.stderr).split())
