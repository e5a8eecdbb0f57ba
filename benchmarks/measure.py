"""Run a command as a fresh child process: its wall time, the CPU time of it
and every process it waited for (Pagefind is one), or its peak memory
counting the processes it starts.

Time and memory come from separate runs: sampling a process tree's memory
costs CPU time of its own. `busy_core()` keeps one core busy with other
work, to see what a build costs on a machine that is not idle."""

from __future__ import annotations

import multiprocessing
import os
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float | None = None  # None: memory was not sampled


def proportional_kb(pid: int) -> int:
    """The process's share of memory (Pss): a page it shares with a forked
    parent counts half to each, so the sum over processes is the total."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_kb(root: int) -> int:
    """Memory of `root` and all its descendants now, from /proc."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                    parents[int(entry.name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree = {root}
    for pid in sorted(parents):  # parents start before their children
        if parents[pid] in tree:
            tree.add(pid)
    return sum(proportional_kb(pid) for pid in tree)


def sample_peak(pid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.wait(0.05):
        peak[0] = max(peak[0], tree_memory_kb(pid))


def run_once(command: list[str], cwd, env=None, sample_memory: bool = False) -> Run:
    """With `sample_memory`, peak memory is the larger of the sampled
    process-tree total and what `os.wait4` reports (the largest single
    process, sampled or not)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    done, peak = threading.Event(), [0]
    sampler = threading.Thread(target=sample_peak, args=(process.pid, done, peak), daemon=True)
    if sample_memory:
        sampler.start()
    try:
        output = process.stdout.read()
    except BaseException:  # Ctrl-C: the build and its Pagefind stop before their folder goes
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    if sample_memory:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed "
                           f"({process.returncode}):\n{output.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime,
               max(peak[0], usage.ru_maxrss) / 1024 if sample_memory else None)


@dataclass
class Summary:
    name: str
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float | None:
        return max((run.peak_mb for run in self.runs if run.peak_mb is not None), default=None)


def repeat(name: str, command: list[str], cwd, times: int, env=None, before=None,
           sample_memory: bool = False) -> Summary:
    """`before()` runs ahead of each repetition (e.g. to empty the output)."""
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(run_once(command, cwd, env, sample_memory))
    return Summary(name, runs)


def _spin() -> None:
    os.sched_setaffinity(0, {0})
    while True:
        pass


class busy_core:
    """A process spinning on core 0 for as long as the `with` block lasts."""

    def __enter__(self):
        self.process = multiprocessing.get_context("spawn").Process(target=_spin, daemon=True)
        self.process.start()
        return self

    def __exit__(self, *_exc):
        self.process.terminate()
        self.process.join()
