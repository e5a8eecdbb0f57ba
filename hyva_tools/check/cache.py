"""The check cache: each check's facts of each file, by the file's hash.

One SQLite file in the build cache folder (`cache/` beside the content).
A row holds a check's facts of one file, the hash of the file's bytes and
the version of the judge (the check code, the settings it reads, its
checker program), and a checksum over all of these: a row whose checksum
does not match is ignored, and a file SQLite cannot read is replaced by an
empty cache. Rows are committed as each batch of files is done, so a run
that is stopped keeps what it finished and nothing half-written.

A check whose verdict follows from its inputs alone (`Check.pure_judge`)
also keeps its last verdict, by a checksum of those inputs. Facts are
decoded only when a judge reads them, so an unchanged site's links are
never decoded.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from hyva.cases import cache_root
from hyva_tools.check.output import digest

SCHEMA = ("""CREATE TABLE IF NOT EXISTS facts (
    check_name TEXT NOT NULL, path TEXT NOT NULL, version TEXT NOT NULL,
    file_hash TEXT NOT NULL, facts TEXT NOT NULL, checksum TEXT NOT NULL,
    PRIMARY KEY (check_name, path))""", """CREATE TABLE IF NOT EXISTS verdicts (
    check_name TEXT PRIMARY KEY, inputs TEXT NOT NULL, problems TEXT NOT NULL,
    checksum TEXT NOT NULL)""")

# Most files have no problem and no facts: these need no JSON decoding.
NO_FACTS = {"[]": (), "0": 0}


class DamagedCache(Exception):
    """A row that passed its checksum but is not JSON: not written by this cache."""


class Stored:
    """Facts as the cache holds them, decoded when first read."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def decoded(self) -> Any:
        if self.text in NO_FACTS:
            return NO_FACTS[self.text]
        try:
            return json.loads(self.text)
        except json.JSONDecodeError:
            raise DamagedCache from None


class Facts(Mapping):
    """A check's facts by file, the cached ones decoded on first reading."""

    def __init__(self, found: dict[str, Any]):
        self._found = found

    def __getitem__(self, key: str) -> Any:
        value = self._found[key]
        if isinstance(value, Stored):
            value = self._found[key] = value.decoded()
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def items(self) -> Iterator[tuple[str, Any]]:
        for key, value in self._found.items():
            yield key, self[key] if isinstance(value, Stored) else value


def cache_file(settings: dict) -> Path:
    """The cache of the checks on sites built from this content folder."""
    content = Path(settings["PATH"]).resolve()
    return cache_root(settings) / f"checks-{content.name}.sqlite"


def checksum(*parts: str) -> str:
    return digest("\0".join(parts).encode())


class CheckCache:
    """Cached facts; `None` as the path makes a cache that remembers nothing.
    With `reuse` off nothing is taken from it, but what is found is stored."""

    def __init__(self, path: Path | None, reuse: bool = True):
        self.path, self.reuse = path, reuse
        self.started_afresh = False
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open(path)
            except sqlite3.DatabaseError:
                self.started_afresh = True
                for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
                    leftover.unlink(missing_ok=True)
                self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
        # A commit need not wait for the disk: a cache lost in a crash is
        # found damaged (or incomplete) and rebuilt, never wrongly trusted.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            db.close()
            raise sqlite3.DatabaseError("the check cache is damaged")
        for table in SCHEMA:
            db.execute(table)
        return db

    def load(self, check: str, version: str) -> dict[str, tuple[str, Any]]:
        """path -> (file hash, facts) of the rows that are intact and of this version."""
        if self._db is None or not self.reuse:
            return {}
        rows = self._db.execute("SELECT path, file_hash, facts, checksum FROM facts "
                                "WHERE check_name = ? AND version = ?", (check, version))
        return {path: (file_hash, NO_FACTS[facts] if facts in NO_FACTS else Stored(facts))
                for path, file_hash, facts, stored in rows
                if stored == checksum(check, path, version, file_hash, facts)}

    def verdict(self, check: str, inputs: str) -> list[tuple[str, str]] | None:
        """The (file, message) problems last found from exactly these inputs."""
        if self._db is None or not self.reuse:
            return None
        row = self._db.execute("SELECT problems, checksum FROM verdicts WHERE check_name = ? "
                               "AND inputs = ?", (check, inputs)).fetchone()
        if row is None or row[1] != checksum(check, inputs, row[0]):
            return None
        return [tuple(problem) for problem in Stored(row[0]).decoded()]

    def store_verdict(self, check: str, inputs: str, problems: list[tuple[str, str]]) -> None:
        if self._db is None:
            return
        encoded = json.dumps(problems, ensure_ascii=False)
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?)",
                             (check, inputs, encoded, checksum(check, inputs, encoded)))

    def store(self, check: str, version: str, rows: list[tuple[str, str, Any]]) -> None:
        """(path, file hash, facts) rows, in one transaction."""
        if self._db is None or not rows:
            return
        encoded = [(path, file_hash, json.dumps(facts, ensure_ascii=False))
                   for path, file_hash, facts in rows]
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?)",
                [(check, path, version, file_hash, facts,
                  checksum(check, path, version, file_hash, facts))
                 for path, file_hash, facts in encoded])

    def keep_only(self, check: str, version: str, paths: set[str]) -> None:
        """Forget the check's rows of files that are gone or of another version."""
        if self._db is None:
            return
        # Every path in `paths` has a row of this version by now, so equal
        # counts mean there is nothing to forget.
        rows, current = self._db.execute(
            "SELECT count(*), count(version = ? OR NULL) FROM facts WHERE check_name = ?",
            (version, check)).fetchone()
        if rows == current == len(paths):
            return
        stored = {path for (path,) in self._db.execute(
            "SELECT path FROM facts WHERE check_name = ? AND version = ?", (check, version))}
        with self._transaction():
            self._db.execute("DELETE FROM facts WHERE check_name = ? AND version != ?",
                             (check, version))
            self._db.executemany("DELETE FROM facts WHERE check_name = ? AND path = ?",
                                 [(check, path) for path in stored - paths])

    @contextlib.contextmanager
    def _transaction(self):
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
