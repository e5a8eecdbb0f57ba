"""No comment a moderator removed is back in `content/comments/`.

`invoke remove-comment` records each removed id in
`content/comments/.removed`; a file of that id coming back (restored from
a backup, merged from an old branch, copied by hand) would publish it again.
Nothing is cached: the judge reads the record and the comment folders'
file names anew on every run, which takes no time next to the page scans.
"""

from __future__ import annotations

from collections.abc import Iterator

from hyva import commentfile
from hyva.cases import comments_root, ignored
from hyva.errors import shown_path
from hyva_tools.check.output import Check, Problem, Verdict
from hyva_tools.comment_import.removed import REMOVED_FILE, removed_comments


def judge(verdict: Verdict) -> Iterator[Problem]:
    settings = verdict.settings
    root = comments_root(settings)
    removed = removed_comments(root)
    if not removed:
        return
    for _folder, paths in commentfile.comment_folders(root, lambda name: ignored(name, settings)):
        for path in paths:
            if path.stem in removed:
                record = removed[path.stem]
                yield Problem(shown_path(path),
                              f"comment {path.stem} was removed ({record.when}"
                              f"{', ' + record.reason if record.reason else ''}; see "
                              f"{REMOVED_FILE}) but its file is back. Fix: delete the file, or "
                              "run invoke remove-comment again")


CHECK = Check("removed-comments", judge=judge)
