"""Starting real servers on 127.0.0.1 for tests: a free port, and waiting for
the server's greeting before a test talks to it."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_greeting(port: int, greeting: bytes, process: subprocess.Popen, log: Path,
                      timeout: float = 15) -> None:
    """Return once the server on `port` greets with `greeting` ("* OK", "SSH-");
    fail with its log if it exits or stays silent."""
    name = Path(process.args[0]).name if isinstance(process.args, list) else "server"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                if connection.recv(64).startswith(greeting):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer on 127.0.0.1:{port} in {timeout} s")
