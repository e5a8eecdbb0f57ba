"""The import run: approved mail in, one comment file per message out.

Ids are keyed hashes of Message-IDs. A message whose id is already a
comment is the same mail only when its date and sender match that comment
too (read from its headers alone, cheaply); web-form mailers reuse
Message-IDs, so a different mail under a known one gets an id of its own.
Mail without a Message-ID is known by date and sender. Replies are threaded
through In-Reply-To/References against existing comment files and the rest
of the run. Bad messages are reported with their place and a hint of their
Message-ID and skipped; they never stop the others, and the source is never
changed. One import or erasure at a time works on a comments folder.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from hyva import commentfile
from hyva.cases import is_slug
from hyva.errors import ContentError
from hyva.identifiers import LABELS, mask_identifiers, masked_summary
from hyva.privacy import (
    MASK,
    canonical_address,
    comment_id,
    comment_key,
    erasure_key,
    hint,
    keyed_hash,
    parse_address,
    printable,
    record_erasure,
)
from hyva_tools.comment_import.mail import (
    CommentDraft,
    UnusableMessage,
    date_and_sender,
    message_id,
    parse_message,
)
from hyva_tools.comment_import.moderation import rejection_groups
from hyva_tools.comment_import.removed import removed_comments
from hyva_tools.comment_import.replies import subject_tokens, thread
from hyva_tools.comment_import.sources import read_messages
from hyva_tools.progress import Progress, Stage, quiet

AUTHOR_ROLE = "author"
# Erasure keys of people who asked to be forgotten, so a re-import of the
# same mailbox does not bring their comments back. Keyed hashes only.
FORGOTTEN_FILE = ".forgotten"
# Imports of at least this many new messages parse them in a process pool,
# PARALLEL_CHUNK messages per task.
PARALLEL_FROM = 200
PARALLEL_CHUNK = 100
PARSE_WORKERS = os.cpu_count() or 1


class Busy(Exception):
    """Another import or erasure is working on the same comments folder."""


class NotAnAddress(ValueError):
    """forget-commenter was given something that holds no one address."""


def _dot_files(name: str) -> bool:
    return name.startswith(".")


@dataclass
class Rejection:
    location: str
    message_id: str | None  # a hint only (privacy.hint): it may be an address
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
    notes: list[str] = field(default_factory=list)
    removed: int = 0  # mail of comments a moderator took down (remove-comment)
    # Where each imported comment came from and how it was threaded, for the dry run.
    previews: list[Preview] = field(default_factory=list)
    # (place in the source, Message-ID hint, counts by kind) of each imported
    # message whose text held personal identifiers, masked on import.
    masked: list[tuple[str, str | None, Counter]] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 1 if self.rejected else 0

    def summary(self, mask: str = MASK, labels=LABELS) -> str:
        """The run for the moderator's terminal: every field masked and its
        control characters escaped (names and subjects come from strangers).
        Masked identifiers are counted by kind, never shown."""
        lines = [f"+ {comment.case}/{comment.id}.md by {comment.author or '(no name)'}"
                 for comment in self.imported]
        lines += [f"Masked in {location}, Message-ID <{identity or 'none'}>: "
                  f"{masked_summary(counts)}" for location, identity, counts in self.masked]
        lines += [f"Note: {note}" for note in self.notes]
        lines.append(f"Imported {len(self.imported)}, already present {self.present}, "
                     f"skipped as erased on request {self.erased}, rejected {len(self.rejected)}.")
        if self.removed:
            lines.append(f"Skipped {self.removed} message(s) of comments a moderator removed "
                         "(invoke remove-comment).")
        lines += [f"Rejected {rejection}" for rejection in self.rejected]
        lines += rejection_groups(self.rejected)
        return "\n".join(printable(mask_identifiers(line, labels)[0], mask) for line in lines)


@dataclass
class Preview:
    location: str
    comment: commentfile.Comment
    threading: str


@contextmanager
def exclusive(comments_dir: Path) -> Iterator[None]:
    """Lock the folder itself (no lock file to leave behind or commit); a
    second import or erasure refuses at once rather than racing for the
    same files."""
    comments_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(comments_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{comments_dir}: another import-comments, forget-commenter or "
                       "remove-comment is working on this folder. Fix: wait for it to finish, "
                       "then run again") from None
        _remove_leftovers(comments_dir)
        yield
    finally:
        os.close(handle)


def _remove_leftovers(comments_dir: Path) -> None:
    """Temporary files an interrupted import or erasure left (`.tmp-<id>.md`,
    `.forgotten.tmp`); safe under the lock, which no other run holds."""
    for leftover in itertools.chain(comments_dir.glob(".*.tmp"), comments_dir.glob("*/.tmp-*.md")):
        leftover.unlink(missing_ok=True)


def existing_comments(comments_dir: Path, ignored: Callable[[str], bool]) -> dict[str, str]:
    """Comment id -> case slug, from file names only (fast on big archives)."""
    return {path.stem: folder.name
            for folder, paths in commentfile.comment_folders(comments_dir, ignored)
            for path in paths}


def forgotten_keys(comments_dir: Path) -> set[str]:
    path = comments_dir / FORGOTTEN_FILE
    return set(path.read_text(encoding="ascii").split()) if path.exists() else set()


def _legacy_erasure_key(key: bytes, address: str) -> str:
    """The erasure key of earlier imports, which kept a `+tag`."""
    return keyed_hash(key, "address", address.strip().lower())


def run_import(source: str, comments_dir: Path, known_cases: set[str],
               author_addresses=(), key: bytes | None = None, *, mask: str = MASK,
               author_header: str | None = None, draft_cases=frozenset(),
               ignored: Callable[[str], bool] = _dot_files, dry_run: bool = False,
               progress: Progress | None = None, labels=LABELS) -> ImportReport:
    """Import every new message of `source` into `comments_dir`.

    `known_cases` are the published cases' slugs, `draft_cases` those whose
    comments wait. Senders in `author_addresses` get `Role: author` only
    when their mail carries `author_header` ("Name: value"), a header the
    site's own server adds. Raises KeyProblem, Busy or SourceError before
    anything is written. A reply whose answered message is not a comment
    yet waits until the end; those go oldest first. A dry run writes
    nothing (no lock, no key, no fingerprint) and reports the same.
    `progress` shows the messages read, parsed and written as stages;
    interrupted, each says how far it got, and every comment written so far
    is complete."""
    progress = progress or quiet()
    with nullcontext() if dry_run else exclusive(comments_dir), \
            progress.stage("written", unit="comments") as written, \
            progress.stage("parsed", unit="messages") as parsed, \
            progress.stage("read", unit="messages") as read:
        key, note = comment_key(comments_dir, key, record=not dry_run)
        report = ImportReport(notes=[note] if note else [])
        slugs = {slug for slug in set(known_cases) | set(draft_cases) if is_slug(slug)}
        existing = existing_comments(comments_dir, ignored)
        authors = {canonical_address(address) for address in author_addresses}
        writer = _CommentWriter(comments_dir, existing, slugs, set(draft_cases), key, report,
                                authors=authors,
                                forgotten=forgotten_keys(comments_dir), ignored=ignored,
                                removed=removed_comments(comments_dir), mask=mask,
                                dry_run=dry_run)
        waiting = []
        messages = _counted(read_messages(source, on_total=read.set_total), read)
        for message, result in _parsed(_unknown_messages(messages, writer), slugs,
                                       (mask, labels), author_header):
            parsed.advance()
            if isinstance(result, UnusableMessage):
                report.rejected.append(Rejection(message.location, result.message_id,
                                                 result.subject, result.reason))
            elif writer.waits(result):
                waiting.append((message.location, result))
            else:
                writer.add(message.location, result, written)
        for location, draft in sorted(waiting, key=lambda reply: reply[1].date):
            writer.add(location, draft, written)
        report.imported.sort(key=lambda comment: comment.date)
        return report


def _counted(items, stage):
    """Each item as it passes, counted in the progress `stage`."""
    for item in items:
        stage.advance()
        yield item


def _unknown_messages(messages, writer: _CommentWriter):
    """The messages that are not already comments. One whose Message-ID is
    a comment's id counts as present when its date and sender match that
    comment (from its headers alone); otherwise it is parsed in full."""
    for message in messages:
        identity = message_id(message.raw)
        own_id = identity and comment_id(writer.key, identity)
        if own_id in writer.existing and writer.same_sender_and_date(own_id, message.raw):
            writer.report.present += 1
            continue
        yield message


def _parsed(messages, known_cases: set[str], masks: tuple, author_header: str | None):
    """(message, draft or problem), in order. Parsing is most of an
    import's work, so it runs on every core; a pool costs more than it saves
    for a handful of messages, so small runs stay serial."""
    first = list(itertools.islice(messages, PARALLEL_FROM))
    if len(first) < PARALLEL_FROM:
        for message in first:
            yield message, _draft_or_problem(message.raw, known_cases, masks, author_header)
        return
    # Ctrl-C is the main process's to handle: the workers ignore it, and an
    # interrupted import drops the chunks not yet parsed instead of waiting.
    pool = ProcessPoolExecutor(max_workers=PARSE_WORKERS, initializer=signal.signal,
                               initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        chunks = _chunks(itertools.chain(first, messages), PARALLEL_CHUNK)
        parsing = [(chunk, pool.submit(_drafts_or_problems, [message.raw for message in chunk],
                                       known_cases, masks, author_header)) for chunk in chunks]
        for chunk, results in parsing:
            yield from zip(chunk, results.result(), strict=True)
    finally:
        pool.shutdown(cancel_futures=True)


def _chunks(items, size: int):
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _drafts_or_problems(raws: list[bytes], known_cases: set[str], masks: tuple,
                        author_header: str | None) -> list:
    return [_draft_or_problem(raw, known_cases, masks, author_header) for raw in raws]


def _draft_or_problem(raw: bytes, known_cases: set[str], masks: tuple,
                      author_header: str | None) -> CommentDraft | UnusableMessage:
    try:
        mask, labels = masks  # the address mask, and each identifier kind's
        return parse_message(raw, known_cases, mask, author_header, labels)
    except UnusableMessage as problem:
        return problem
    except Exception as error:  # the email package on truly broken input
        return UnusableMessage(f"cannot be parsed ({type(error).__name__})", message_id(raw), "")


@dataclass
class _CommentWriter:
    """Turns drafts into comment files: finds the case and the parent, skips
    erased senders and mail already imported, reports the rest."""

    comments_dir: Path
    existing: dict[str, str]
    known_cases: set[str]
    draft_cases: set[str]
    key: bytes
    report: ImportReport
    authors: set[str]
    forgotten: set[str]
    ignored: Callable[[str], bool]
    removed: dict = field(default_factory=dict)  # comment id -> RemovedComment
    mask: str = MASK
    dry_run: bool = False

    def __post_init__(self):
        self.cases = dict(self.existing)  # comment id -> case, growing as comments are written
        self.written: dict[str, commentfile.Comment] = {}
        self.contents: dict[str, set] = {}  # case -> {(date, erasure key)} of its comments

    def waits(self, draft: CommentDraft) -> bool:
        """Whether the comment it answers may still come later in the run."""
        named = subject_tokens(draft.subject)
        if len(named) == 1:
            return named[0] not in self.cases and named[0] not in self.removed
        return bool(draft.answers) and comment_id(self.key, draft.answers[0]) not in self.cases

    def comment(self, own_id: str) -> commentfile.Comment:
        if own_id in self.written:
            return self.written[own_id]
        return commentfile.load(self.comments_dir / self.cases[own_id] / f"{own_id}.md")

    def same_sender_and_date(self, own_id: str, raw: bytes) -> bool:
        date, address = date_and_sender(raw)
        try:
            known = commentfile.peek(self.comments_dir / self.cases[own_id] / f"{own_id}.md")
        except (OSError, UnicodeDecodeError):
            return False  # parse it in full: the writer then says what is wrong
        return bool(date and address) and date.isoformat() == known.get("Date") \
            and known.get("Erasure-Key") in self._sender_keys(address)

    def _sender_keys(self, address: str) -> set[str]:
        """The erasure key, and the one earlier imports made when it differs."""
        keys = {erasure_key(self.key, address)}
        if canonical_address(address) != address.strip().lower():
            keys.add(_legacy_erasure_key(self.key, address))
        return keys

    def case_senders(self, case: str) -> set:
        """Who sent the case's comments when: mail without a Message-ID that
        earlier imports knew by other ids is not imported twice."""
        if case not in self.contents:
            found = set()
            for folder, paths in commentfile.comment_folders(self.comments_dir, self.ignored):
                if folder.name == case:
                    for comment in map(commentfile.load, paths):
                        found.add((comment.date, comment.erasure_key))
            self.contents[case] = found
        return self.contents[case]

    def reject(self, location: str, draft: CommentDraft, reason: str) -> None:
        self.report.rejected.append(Rejection(location, hint(draft.message_id) or None,
                                              draft.subject, reason))

    def add(self, location: str, draft: CommentDraft, written: Stage | None = None) -> None:
        before = len(self.report.imported)
        try:
            self._add(location, draft)
        except (ContentError, OSError) as error:  # an unreadable comment file, a full disk
            self.reject(location, draft, f"cannot be imported ({error})")
        if written is not None:
            written.advance(len(self.report.imported) - before)

    def _add(self, location: str, draft: CommentDraft) -> None:
        cases, report = self.cases, self.report
        sender_key = erasure_key(self.key, draft.address)
        threading = thread(draft.subject, draft.case,
                           [comment_id(self.key, message) for message in draft.answers],
                           self.mask, cases, self.removed)
        case, parent = threading.case, threading.parent
        if case is None:
            self.reject(location, draft,
                        "the subject names no case; it should be like '[kommentti] <case-slug>'")
            return
        if case not in self.known_cases:
            self.reject(location, draft, f"there is no case {case!r}")
            return
        if case in self.draft_cases:
            self.reject(location, draft, f"the case {case!r} is a draft; import its comments "
                                         "once it is published")
            return
        if self._sender_keys(draft.address) & self.forgotten:
            report.erased += 1
            return
        own_id = self._identity(location, draft, sender_key)
        if own_id is None:
            report.present += 1
            return
        if own_id in self.removed:
            report.removed += 1
            return
        if not draft.message_id and (draft.date, sender_key) in self.case_senders(case):
            report.present += 1
            return
        role = None
        if canonical_address(draft.address) in self.authors:
            if draft.verified:
                role = AUTHOR_ROLE
            else:
                report.notes.append(f"{location}: sent from an author address without the "
                                    "COMMENT_AUTHOR_HEADER header; imported without Role: author")
        for note in draft.notes + threading.notes:
            report.notes.append(f"{location}: {note}")
        if draft.masked:
            report.masked.append((location, hint(draft.message_id) or None, draft.masked))
        comment = commentfile.Comment(
            id=own_id, case=case, author=draft.author, date=draft.date, text=draft.text,
            parent=parent, role=role, erasure_key=sender_key,
        )
        if not self.dry_run:
            commentfile.save(self.comments_dir, comment)
        cases[own_id] = case
        self.written[own_id] = comment
        self.case_senders(case).add((draft.date, sender_key))
        report.imported.append(comment)
        report.previews.append(Preview(location, comment, threading.how))

    def _identity(self, location: str, draft: CommentDraft, sender_key: str) -> str | None:
        """The new comment's id, or None when it is already a comment. A
        Message-ID another mail already used gets an id of its own, noted."""
        date = draft.date.isoformat()
        if not draft.message_id:
            own_id = comment_id(self.key, f"\0no-message-id\0{date}\0{sender_key}")
            return None if own_id in self.cases else own_id
        own_id = comment_id(self.key, draft.message_id)
        if own_id not in self.cases:
            return own_id
        earlier = self.comment(own_id)
        if earlier.date == draft.date and earlier.erasure_key in self._sender_keys(draft.address):
            return None
        reused = own_id
        own_id = comment_id(self.key, f"{draft.message_id}\0{date}\0{sender_key}")
        if own_id in self.cases:
            return None
        self.report.notes.append(
            f"{location}: Message-ID <{hint(draft.message_id)}> is also comment {reused}, from "
            "another sender or time; imported as a comment of its own")
        return own_id


def forget_commenter(address: str, comments_dir: Path, key: bytes | None = None,
                     ignored: Callable[[str], bool] = _dot_files,
                     progress: Progress | None = None) -> list[Path]:
    """Delete every comment sent from `address` (any `+tag` of it too),
    remember, as a keyed hash only, not to import that sender again, and log
    the erasure for publishing. Returns the deleted files. Raises
    NotAnAddress for input without one address, KeyProblem or Busy.
    `progress` shows the comments read and deleted; interrupted while
    reading it has changed nothing, and later a rerun finishes the erasure."""
    found = parse_address(address)
    if found is None:
        raise NotAnAddress("no email address, or more than one, in the argument. Fix: give the "
                           "commenter's address (forms like Name <address> and mailto: are fine)")
    with exclusive(comments_dir):
        key, _ = comment_key(comments_dir, key)
        sender_key = erasure_key(key, found)
        matching = {sender_key, _legacy_erasure_key(key, found)}
        every = [path for _, paths in commentfile.comment_folders(comments_dir, ignored)
                 for path in paths]
        with (progress or quiet()).stage("read", total=len(every), unit="comments") as read:
            doomed = [path for path in _counted(every, read)
                      if commentfile.load(path).erasure_key in matching]
        # Remembered before anything is deleted: if a write fails, nothing
        # is lost, and a rerun finishes the erasure.
        forgotten = forgotten_keys(comments_dir) | {sender_key}
        temporary = comments_dir / (FORGOTTEN_FILE + ".tmp")
        temporary.write_text("".join(f"{entry}\n" for entry in sorted(forgotten)), encoding="ascii")
        os.replace(temporary, comments_dir / FORGOTTEN_FILE)
        record_erasure(comments_dir, sender_key)
        with (progress or quiet()).stage("deleted", total=len(doomed), unit="comments") as gone:
            for path in _counted(doomed, gone):
                path.unlink()
        return doomed
