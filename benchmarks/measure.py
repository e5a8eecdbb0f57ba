"""Run a command as a fresh child process: wall time and its own peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    peak_mb: float


def run_once(command: list[str], cwd, env=None) -> Run:
    """`os.wait4` gives this child's rusage alone (with its own children),
    where RUSAGE_CHILDREN would mix in every earlier child."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed "
                           f"({process.returncode}):\n{output.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


@dataclass
class Summary:
    name: str
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)


def repeat(name: str, command: list[str], cwd, times: int, env=None, before=None) -> Summary:
    """`before()` runs ahead of each repetition (e.g. to empty the output)."""
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(run_once(command, cwd, env))
    return Summary(name, runs)
