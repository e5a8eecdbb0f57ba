"""Where a release goes, and how to run shell commands and rsync there."""

from __future__ import annotations

import ctypes
import os
import re
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass

# `[user@]host:path`; anything else (no colon before the first slash) is a
# local folder.
REMOTE = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>.+)$")


class TargetError(ValueError):
    """The deploy target is missing or malformed."""


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child about to start: end it when the publishing process ends,
    however that process is killed, so no rsync or ssh uploads on alone."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run_child(command: list[str], input: str | None = None) -> subprocess.CompletedProcess:
    """Run a command that must not outlive this process."""
    return subprocess.run(command, capture_output=True, text=True, input=input,
                          preexec_fn=die_with_parent)


@dataclass(frozen=True)
class Target:
    """A deploy target: `host` is None for a local folder."""

    path: str
    host: str | None = None
    ssh: str = "ssh"

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.host else self.path

    def command(self, script: str) -> list[str]:
        """The command that runs a POSIX shell script there."""
        if self.host:
            return [*shlex.split(self.ssh), self.host, script]
        return ["sh", "-c", script]

    def run(self, script: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run a POSIX shell script there (one SSH connection when remote),
        with `input` on its standard input."""
        return run_child(self.command(script), input)

    def rsync_destination(self, folder: str) -> str:
        """`folder` (inside the target path) as rsync names it."""
        path = f"{self.path.rstrip('/')}/{folder}"
        return f"{self.host}:{path}" if self.host else path

    def rsync_shell(self) -> list[str]:
        return ["-e", self.ssh] if self.host else []


def parse_target(text: str, ssh: str = "ssh") -> Target:
    text = text.strip()
    if not text:
        raise TargetError("the deploy target is empty")
    match = REMOTE.match(text)
    if match:
        return Target(path=match["path"], host=match["host"], ssh=ssh)
    return Target(path=os.path.abspath(text))


def deploy_target(settings: dict, environ=os.environ) -> Target:
    """The target from HYVA_DEPLOY_TARGET, else DEPLOY_TARGET in publishconf.py;
    HYVA_DEPLOY_SSH is the ssh command (e.g. with -i key and -p port)."""
    text = environ.get("HYVA_DEPLOY_TARGET") or settings.get("DEPLOY_TARGET")
    if not text:
        raise TargetError("no deploy target: set HYVA_DEPLOY_TARGET to user@host:/path "
                          "(or a local folder), or DEPLOY_TARGET in publishconf.py")
    return parse_target(text, environ.get("HYVA_DEPLOY_SSH") or "ssh")
