"""Running the checks over a built site, with the check cache.

Every output file is read once per run: its hash says whether the cached
facts of each check still hold; the files that changed are read and parsed
once for all the checks that want them, in one process per core. The HTML
checker gets the changed pages in a thread of its own meanwhile. Then each
check's judge turns all the facts, cached or new, into problems.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from hyva.errors import ContentError, shown_path
from hyva_tools.check.cache import CheckCache, DamagedCache, Facts, checksum
from hyva_tools.check.output import BuiltOutput, Check, Problem, ScannedFile, Verdict, digest
from hyva_tools.progress import Progress

PROJECT = Path(__file__).resolve().parents[2]
# The check code is this folder and the core it uses (hyva/: privacy, cases...).
CHECK_CODE = (PROJECT / "hyva_tools" / "check", PROJECT / "hyva")
LIBRARIES = ("lxml", "pelican", "markdown", "phonenumbers", "python-stdnum")
SOURCE = "source:"  # the cache key of a content file starts so, an output file's does not
FILES_PER_TASK = 16
STORE_EVERY = 256


def code_version() -> str:
    """The check code and the libraries it parses with."""
    parts = [f"{path.relative_to(PROJECT)}\0".encode() + path.read_bytes()
             for folder in CHECK_CODE for path in sorted(folder.rglob("*.py"))]
    parts += [f"{library}=={version(library)}".encode() for library in LIBRARIES]
    return digest(b"\0".join(parts))


def check_version(check: Check, settings: dict, code: str) -> str:
    """Everything that judges this check's files but the files themselves."""
    read = [f"{name}={settings.get(name)!r}" for name in check.settings]
    return checksum(code, check.name, check.version(), *read)


@dataclass
class Timing:
    scan_seconds: float = 0.0  # CPU time in the scanning processes, or the checker's wall time
    judge_seconds: float = 0.0


@dataclass
class CheckRun:
    problems: list[Problem]
    checked: int = 0  # output files read and judged anew
    from_cache: int = 0  # output files every check took from the cache
    cache_started_afresh: bool = False
    timings: dict[str, Timing] = field(default_factory=dict)


# What the scanning processes work on, set before they are forked.
_work: tuple[BuiltOutput, dict, dict[str, Check]] | None = None


def ignore_interrupts() -> None:
    """Ctrl-C is for the main process, which stops the pool itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def scan_items(items: list[tuple[str, str, list[str]]]) -> list[tuple]:
    """(key, hash, {check: facts}, {check: seconds}, problems) of each
    (key, file, checks whose cached facts of it are stale). The hash is of
    the bytes scanned here, which are what the facts are cached by."""
    site, settings, checks = _work
    done = []
    for key, path, stale in items:
        data = Path(path).read_bytes()
        facts, seconds, problems = {}, {}, []
        scanned = ScannedFile(site, key, data)
        for name in stale:
            check, started = checks[name], time.process_time()
            try:
                facts[name] = (check.scan_source(Path(path), settings) if key.startswith(SOURCE)
                               else check.scan(scanned, settings))
            except ContentError as error:
                where, _, message = error.located(shown_path(path)).partition(": ")
                problems.append(Problem(where, message))
            seconds[name] = time.process_time() - started
        done.append((key, digest(data), facts, seconds, problems))
    return done


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Stages:
    """A progress stage per check, each ended as soon as its files are done."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.stages, self.open = {}, {}
        self._lock = threading.Lock()

    def start(self, name: str, total: int) -> None:
        stack = ExitStack()
        self.stages[name] = stack.enter_context(self.progress.stage(name, total))
        self.open[name] = stack
        self.advance(name, 0)

    def advance(self, name: str, amount: int = 1) -> None:
        stage = self.stages[name]
        stage.advance(amount)
        with self._lock:
            finished = stage.done >= stage.total and self.open.pop(name, None)
        if finished:
            finished.close()

    def interrupt(self) -> None:
        """Each unfinished stage says how far it got."""
        with self._lock:
            unfinished, self.open = list(self.open.values()), {}
        for stack in unfinished:
            stack.__exit__(*sys.exc_info())


class CheckerJob:
    """A check that runs an external checker over many pages, in a thread."""

    def __init__(self, check: Check, site: BuiltOutput, pages: list[str], advance):
        self.check, self.site, self.advance = check, site, advance
        self.results: list[tuple[str, Any]] = []
        self.error: Exception | None = None
        self.processes = []
        self.stopped = False
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(pages,), daemon=True)
        self._thread.start()

    def _run(self, pages: list[str]) -> None:
        started = time.monotonic()
        try:
            for result in self.check.scan_pages([self.site.root / page for page in pages],
                                                self.site, self):
                self.results.append(result)
        except Exception as error:  # noqa: BLE001 - any failure fails the check, never passes it
            self.error = error
        self.seconds = time.monotonic() - started

    def track(self, process) -> None:
        self.processes.append(process)
        if self.stopped:  # started by another thread as `stop` ran
            process.kill()

    def take(self) -> list[tuple[str, Any]]:
        """The results so far; the thread may append more meanwhile."""
        taken = self.results[:]
        del self.results[:len(taken)]
        return taken

    def wait(self, timeout: float) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def stop(self) -> None:
        self.stopped = True
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        self._thread.join()


class Run:
    """One run of the checks: cached facts in, new facts out, problems at the end."""

    def __init__(self, site: BuiltOutput, settings: dict, checks: Iterable[Check],
                 cache: CheckCache, progress: Progress):
        self.site, self.settings, self.cache, self.progress = site, settings, cache, progress
        self.judged = {check.name: check for check in checks}
        self.checks = {**{other.name: other for check in checks for other in check.reads},
                       **self.judged}
        code = code_version()
        self.versions = {name: check_version(check, settings, code)
                         for name, check in self.checks.items()}
        self.cached = {name: cache.load(name, self.versions[name]) for name in self.checks}
        self.facts: dict[str, dict[str, Any]] = {name: {} for name in self.checks}
        self.seen: dict[str, set[str]] = {name: set() for name in self.checks}
        self.unstored: dict[str, list] = defaultdict(list)
        self.timings = {name: Timing() for name in self.checks}
        self.anew: set[str] = set()
        self.hashes: dict[str, str] = {}  # key -> hash of the bytes read at the start
        self.errors: list[Problem] = []

    def items(self) -> tuple[list, dict[str, list[str]], dict[str, int]]:
        """What the scanning processes get: each file some check's cached
        facts of are stale, with those checks; the pages each checker job
        gets; and how many files each check judges. Every file is hashed
        here once, and the facts whose hash matches are taken from the cache."""
        content = os.path.join(os.path.abspath(self.settings["PATH"]), "")
        root = str(self.site.root)
        wanted: dict[str, tuple[str, list[str]]] = {}
        scanners = [(name, check) for name, check in self.checks.items()
                    if check.scan or check.scan_pages]
        for relative in self.site.all_files:
            names = [name for name, check in scanners if check.wants(relative)]
            if names:
                wanted[relative] = (f"{root}/{relative}", names)
        for name, check in self.checks.items():
            for path in (check.sources(self.settings) if check.sources else ()):
                path = os.path.abspath(path)
                key = SOURCE + path.removeprefix(content).replace(os.sep, "/")
                wanted.setdefault(key, (path, []))[1].append(name)
        stale: list[tuple[str, str, list[str]]] = []
        pages: dict[str, list[str]] = defaultdict(list)
        totals: dict[str, int] = defaultdict(int)
        for key, (path, names) in wanted.items():
            with open(path, "rb") as file:
                self.hashes[key] = file_hash = digest(file.read())
            scanned = []
            for name in names:
                self.seen[name].add(key)
                totals[name] += 1
                if self.checks[name].scan_pages and not key.startswith(SOURCE):
                    pages[name].append(key)
                elif self.cached[name].get(key, (None,))[0] == file_hash:
                    self.record(name, key, file_hash, self.cached[name][key][1], anew=False)
                else:
                    scanned.append(name)
            if scanned:
                stale.append((key, path, scanned))
        return stale, pages, totals

    def record(self, name: str, key: str, file_hash: str, facts: Any, anew: bool) -> None:
        self.facts[name][key] = facts
        if anew:
            self.unstored[name].append((key, file_hash, facts))
            if not key.startswith(SOURCE):
                self.anew.add(key)

    def store(self) -> None:
        for name, rows in self.unstored.items():
            self.cache.store(name, self.versions[name], rows)
        self.unstored.clear()

    def checker_pages(self, name: str, pages: list[str]) -> list[str]:
        """The pages whose bytes differ from the ones the checker passed; the
        others' facts are taken from the cache."""
        changed = []
        for page in pages:
            cached = self.cached[name].get(page)
            if cached and cached[0] == self.hashes[page]:
                self.record(name, page, self.hashes[page], cached[1], anew=False)
            else:
                changed.append(page)
        return changed

    def scan(self) -> None:
        global _work
        items, pages, totals = self.items()
        _work = (self.site, self.settings, self.checks)
        pool = multiprocessing.get_context("fork").Pool(
            os.cpu_count(), initializer=ignore_interrupts) if items else None
        stages = Stages(self.progress)
        jobs = []
        try:
            for name in self.checks:
                stages.start(name, totals[name])
                stale = sum(name in names for _key, _path, names in items)
                stages.advance(name, totals[name] - len(pages.get(name, ())) - stale)
            for name, checked_pages in pages.items():
                changed = self.checker_pages(name, checked_pages)
                stages.advance(name, len(checked_pages) - len(changed))
                if changed:
                    jobs.append((name, CheckerJob(self.checks[name], self.site, changed,
                                                  partial(stages.advance, name))))
            self.scan_in(pool, items, stages)
            for name, job in jobs:
                while not job.wait(0.2):
                    self.take(name, job)
                self.take(name, job)
                self.timings[name].scan_seconds = job.seconds
                if job.error:
                    self.errors.append(Problem(".", f"cannot run the {name} check: {job.error}"))
        except KeyboardInterrupt:
            if pool:
                pool.terminate()
            for _name, job in jobs:
                job.stop()
            self.store()
            stages.interrupt()
            raise
        finally:
            if pool:
                pool.close()
                pool.join()
            _work = None

    def scan_in(self, pool, items: list, stages: Stages) -> None:
        """Each file scanned by the checks whose cached facts of it are stale."""
        done = 0
        for results in (pool.imap_unordered(scan_items, chunks(items, FILES_PER_TASK))
                        if pool else ()):
            for key, file_hash, facts, seconds, problems in results:
                for name in seconds:
                    if name in facts:
                        self.record(name, key, file_hash, facts[name], anew=True)
                    self.timings[name].scan_seconds += seconds[name]
                    stages.advance(name)
                self.errors += problems
                done += 1
            if done >= STORE_EVERY:
                self.store()
                done = 0
        self.store()

    def verdict(self, check: Check) -> Verdict:
        """What the check's judge reads: its facts and those of the checks it reads."""
        content = Path(self.settings["PATH"])
        found = self.facts[check.name]
        files = Facts({key: facts for key, facts in found.items() if not key.startswith(SOURCE)})
        sources = Facts({content / key.removeprefix(SOURCE): facts
                         for key, facts in found.items() if key.startswith(SOURCE)})
        others = {other.name: Facts(self.facts[other.name]) for other in check.reads}
        return Verdict(self.site, self.settings, files, sources, others)

    def inputs(self, check: Check) -> str:
        """A checksum of everything a pure judge reads: its version, the list
        of output files and the hash of each file it and the checks it reads
        have facts of."""
        parts = [self.versions[check.name], *self.site.all_files]
        for name in (check.name, *(other.name for other in check.reads)):
            parts += (f"{name}:{key}:{self.hashes[key]}" for key in sorted(self.seen[name]))
        return checksum(*parts)

    def take(self, name: str, job: CheckerJob) -> None:
        for page, found in job.take():
            self.record(name, page, self.hashes.get(page, ""), found, anew=True)
        self.store()

    def judge(self) -> list[Problem]:
        problems = list(self.errors)
        for name, check in self.judged.items():
            started = time.process_time()
            inputs = self.inputs(check) if check.verdict_reusable else None
            found = self.cache.verdict(name, inputs) if inputs else None
            if found is None:
                found = [(problem.file, problem.message) for problem in check.judge(
                    self.verdict(check))]
                if inputs and not self.errors:
                    self.cache.store_verdict(name, inputs, found)
            problems += (Problem(file, message) for file, message in found)
            self.timings[name].judge_seconds = time.process_time() - started
        for name in self.checks:
            if not self.errors:
                self.cache.keep_only(name, self.versions[name], self.seen[name])
        return sorted(problems)


def run_checks(output: Path, settings: dict, checks: Iterable[Check],
               cache: CheckCache | None = None, progress: Progress | None = None) -> CheckRun:
    """Every problem `checks` find in the built site at `output`, with counts
    of files checked and taken from the cache."""
    site = BuiltOutput(Path(output).resolve(), settings)
    if not (site.root / "index.html").is_file():
        return CheckRun([Problem(str(output), "there is no built site here (no index.html); "
                                              "build it first with `invoke preview`")])
    cache = cache or CheckCache(None)
    with ExitStack() as stack:
        progress = progress or stack.enter_context(Progress())
        run = Run(site, settings, checks, cache, progress)
        run.scan()
        try:
            problems = run.judge()
        except DamagedCache:
            return CheckRun([Problem(str(cache.path), "the check cache holds facts it did not "
                                                      "write; delete it, or run `invoke check "
                                                      "--no-cache`")])
    judged = set().union(*run.seen.values()) - {key for key in set().union(*run.seen.values())
                                                if key.startswith(SOURCE)}
    return CheckRun(problems, checked=len(run.anew), from_cache=len(judged - run.anew),
                    cache_started_afresh=cache.started_afresh, timings=run.timings)
