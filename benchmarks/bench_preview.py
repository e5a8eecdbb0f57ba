"""Edit-to-preview latency: save a case, wait until the server sends it.

The preview server runs as `invoke serve` runs it, in its own process; the
clock starts just before the edited file is written and stops when an HTTP
fetch of the case page first contains the new text.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fetch(url: str) -> bytes | None:
    """The page, or None while it is missing or being rewritten (the server
    may send a file that is still being written: not the final page yet)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
        return None


def wait_until(url: str, condition, seconds: float, poll: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        body = fetch(url)
        if body is not None and condition(body):
            return time.perf_counter() - start
        time.sleep(poll)
    raise TimeoutError(f"{url} not as expected after {seconds} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edit_latencies(content: Path, work: Path, edits: int) -> tuple[float, list[float]]:
    """Seconds to the first full build, and the latency of each edit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "hyva_tools.preview", "--content", str(content),
         "--output", str(work / "preview"), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        started = time.perf_counter()
        while fetch(url) is None:
            if server.poll() is not None:
                raise RuntimeError("the preview server stopped: "
                                   + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
        startup = time.perf_counter() - started
        cases = sorted((content / "cases").glob("*.md"))
        latencies = []
        for number in range(edits):
            case = cases[(number * 7919) % len(cases)]
            page = f"{url}{case.stem}/"
            marker = f"Muokkaus numero {number} esikatselussa."
            text = case.read_text(encoding="utf-8")
            started = time.perf_counter()
            case.write_text(f"{text}\n{marker}\n", encoding="utf-8")
            wait_until(page, lambda body, marker=marker: marker.encode() in body, 60, 0.002)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.3)
        return startup, latencies
    finally:
        server.terminate()
        server.wait()


def summary(latencies: list[float]) -> dict:
    return {"median": statistics.median(latencies), "max": max(latencies),
            "edits": len(latencies)}
