"""The import run: approved mail in, one comment file per message out.

Ids are keyed hashes of Message-IDs, so a re-run recognises mail it has
already imported from the raw Message-ID header alone, without parsing it;
mail imported under another secret key is recognised by case, date and text.
Replies are threaded through In-Reply-To/References against existing comment
files and the rest of the run. Bad messages are reported and skipped; they
never stop the others, and the source is never changed.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from hyva import commentfile
from hyva_tools.comment_import.mail import CommentDraft, UnusableMessage, message_id, parse_message
from hyva.privacy import comment_id, erasure_key, load_key, mask_sender
from hyva_tools.comment_import.sources import read_messages

AUTHOR_ROLE = "author"
# Erasure keys of people who asked to be forgotten, so a re-import of the
# same mailbox does not bring their comments back. Keyed hashes only.
FORGOTTEN_FILE = ".forgotten"
# Imports of at least this many new messages parse them in a process pool,
# PARALLEL_CHUNK messages per task.
PARALLEL_FROM = 200
PARALLEL_CHUNK = 100
# One parser per core: the importing process, which reads the source and
# writes the files meanwhile, needs less than half of one (measured: two
# workers on two cores imported 1,900-2,000 messages/s, one 1,250-1,800).
PARSE_WORKERS = os.cpu_count() or 1
SLUG_HEADER = re.compile(r"^slug:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class Rejection:
    location: str
    message_id: str | None
    subject: str
    reason: str

    def __str__(self) -> str:
        return (f"{self.location}: Message-ID <{self.message_id or 'none'}>, "
                f"subject {self.subject!r}: {self.reason}")


@dataclass
class ImportReport:
    imported: list[commentfile.Comment] = field(default_factory=list)
    present: int = 0
    erased: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 1 if self.rejected else 0

    def summary(self) -> str:
        lines = [f"+ {comment.case}/{comment.id}.md by {comment.author}" for comment in self.imported]
        lines.append(f"Imported {len(self.imported)}, already present {self.present}, "
                     f"skipped as erased on request {self.erased}, rejected {len(self.rejected)}.")
        lines += [f"Rejected {rejection}" for rejection in self.rejected]
        return "\n".join(lines)


def case_slugs(cases_dir: Path) -> set[str]:
    """Slugs of the cases: a `Slug:` header, else the file name (SLUGIFY_SOURCE)."""
    slugs = set()
    for path in cases_dir.glob("*.md"):
        header = path.read_text(encoding="utf-8").partition("\n\n")[0]
        explicit = SLUG_HEADER.search(header)
        slugs.add(explicit.group(1) if explicit else path.stem)
    return slugs


def existing_comments(comments_dir: Path) -> dict[str, str]:
    """Comment id -> case slug, from file names only (fast on big archives)."""
    found = {}
    if comments_dir.is_dir():
        for case in os.scandir(comments_dir):
            if case.is_dir() and not case.name.startswith("."):
                for entry in os.scandir(case.path):
                    if entry.name.endswith(".md") and not entry.name.startswith("."):
                        found[entry.name[:-3]] = case.name
    return found


def forgotten_keys(comments_dir: Path) -> set[str]:
    path = comments_dir / FORGOTTEN_FILE
    return set(path.read_text(encoding="ascii").split()) if path.exists() else set()


def run_import(source: str, comments_dir: Path, known_cases: set[str],
               author_addresses=(), key: bytes | None = None) -> ImportReport:
    """Import every new message of `source` into `comments_dir`.

    Messages are parsed on every core while the importing process reads the
    source and writes each comment as its draft arrives. A reply whose
    nearest answered message is not a comment yet (it may come later in the
    source) waits until the end; those go oldest first, so each finds the
    comment it answers."""
    key = key or load_key()
    report = ImportReport()
    existing = existing_comments(comments_dir)
    writer = _CommentWriter(comments_dir, existing, known_cases, key, report,
                            authors={address.strip().lower() for address in author_addresses},
                            forgotten=forgotten_keys(comments_dir))
    waiting = []
    for own_id, message, result in _parsed(_new_messages(source, existing, key, report),
                                           known_cases):
        if isinstance(result, UnusableMessage):
            report.rejected.append(Rejection(message.location, result.message_id,
                                             result.subject, result.reason))
        elif result.answers and comment_id(key, result.answers[0]) not in writer.cases:
            waiting.append((own_id, message.location, result))
        else:
            writer.add(own_id, message.location, result)
    for own_id, location, draft in sorted(waiting, key=lambda reply: reply[2].date):
        writer.add(own_id, location, draft)
    report.imported.sort(key=lambda comment: comment.date)
    return report


def _new_messages(source, existing, key, report):
    """(comment id, message) for each message not imported before, as read."""
    seen = set()
    for message in read_messages(source):
        identity = message_id(message.raw) or "sha256:" + hashlib.sha256(message.raw).hexdigest()
        own_id = comment_id(key, identity)
        if own_id in existing or own_id in seen:
            report.present += 1
            continue
        seen.add(own_id)
        yield own_id, message


def _parsed(new, known_cases: set[str]):
    """(comment id, message, draft or problem), in order. Parsing is most of an
    import's work, so it runs on every core; a pool costs more than it saves
    for a handful of messages, so small runs stay serial."""
    first = list(itertools.islice(new, PARALLEL_FROM))
    if len(first) < PARALLEL_FROM:
        for own_id, message in first:
            yield own_id, message, _draft_or_problem(message.raw, known_cases)
        return
    with ProcessPoolExecutor(max_workers=PARSE_WORKERS) as pool:
        chunks = _chunks(itertools.chain(first, new), PARALLEL_CHUNK)
        parsing = [(chunk, pool.submit(_drafts_or_problems, [message.raw for _, message in chunk],
                                       known_cases)) for chunk in chunks]
        for chunk, results in parsing:
            for (own_id, message), result in zip(chunk, results.result()):
                yield own_id, message, result


def _chunks(items, size: int):
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _drafts_or_problems(raws: list[bytes], known_cases: set[str]) -> list:
    return [_draft_or_problem(raw, known_cases) for raw in raws]


def _draft_or_problem(raw: bytes, known_cases: set[str]) -> CommentDraft | UnusableMessage:
    try:
        return parse_message(raw, known_cases)
    except UnusableMessage as problem:
        return problem
    except Exception as error:  # the email package on truly broken input
        return UnusableMessage(f"cannot be parsed ({type(error).__name__})", None, "")


class _CaseContents(dict):
    """Case slug -> {(date, text)} of its comment files, read when first asked:
    the same mail imported under another secret key is still recognised."""

    def __init__(self, comments_dir: Path):
        super().__init__()
        self.comments_dir = comments_dir

    def case_holding(self, draft: CommentDraft, known_cases: set[str]) -> str | None:
        """The case that already has this comment (a reply re-imported under another key)."""
        return next((case for case in sorted(known_cases) if (draft.date, draft.text) in self[case]), None)

    def __missing__(self, case: str) -> set:
        paths = (self.comments_dir / case).glob("*.md")
        self[case] = {(comment.date, comment.text) for comment in map(commentfile.load, paths)}
        return self[case]


@dataclass
class _CommentWriter:
    """Turns drafts into comment files: finds the case and the parent, skips
    erased senders and mail already imported, reports the rest."""

    comments_dir: Path
    existing: dict[str, str]
    known_cases: set[str]
    key: bytes
    report: ImportReport
    authors: set[str]
    forgotten: set[str]

    def __post_init__(self):
        self.cases = dict(self.existing)  # comment id -> case, growing as comments are written
        self.contents = _CaseContents(self.comments_dir)

    def add(self, own_id: str, location: str, draft: CommentDraft) -> None:
        cases, report = self.cases, self.report
        answered = (comment_id(self.key, message) for message in draft.answers)
        parent = next((candidate for candidate in answered if candidate in cases), None)
        case = draft.case or cases.get(parent) or self.contents.case_holding(draft, self.known_cases)
        if case is None or case not in self.known_cases:
            reason = (f"there is no case {case!r}" if case else
                      "the subject names no case; it should be like '[kommentti] <case-slug>'")
            report.rejected.append(Rejection(location, mask_sender(draft.message_id, draft.address),
                                             draft.subject, reason))
            return
        sender_key = erasure_key(self.key, draft.address)
        if sender_key in self.forgotten:
            report.erased += 1
            return
        if (draft.date, draft.text) in self.contents[case]:
            report.present += 1
            return
        comment = commentfile.Comment(
            id=own_id, case=case, author=draft.author, date=draft.date, text=draft.text,
            parent=parent if cases.get(parent) == case else None,
            role=AUTHOR_ROLE if draft.address in self.authors else None,
            erasure_key=sender_key,
        )
        commentfile.save(self.comments_dir, comment)
        cases[own_id] = case
        self.contents[case].add((draft.date, draft.text))
        report.imported.append(comment)


def forget_commenter(address: str, comments_dir: Path, key: bytes | None = None) -> list[Path]:
    """Delete every comment sent from `address` and remember, as a keyed hash
    only, not to import that sender again. Returns the deleted files."""
    key = key or load_key()
    sender_key = erasure_key(key, address)
    removed = []
    for path in sorted(comments_dir.glob("*/*.md")):
        if commentfile.load(path).erasure_key == sender_key:
            path.unlink()
            removed.append(path)
    forgotten = forgotten_keys(comments_dir) | {sender_key}
    comments_dir.mkdir(parents=True, exist_ok=True)
    temporary = comments_dir / (FORGOTTEN_FILE + ".tmp")
    temporary.write_text("".join(f"{entry}\n" for entry in sorted(forgotten)), encoding="ascii")
    os.replace(temporary, comments_dir / FORGOTTEN_FILE)
    return removed
