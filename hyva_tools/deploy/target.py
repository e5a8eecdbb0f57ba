"""Where a release goes, and how to run shell commands and rsync there."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass

# `[user@]host:path`; anything else (no colon before the first slash) is a
# local folder.
REMOTE = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>.+)$")


class TargetError(ValueError):
    """The deploy target is missing or malformed."""


@dataclass(frozen=True)
class Target:
    """A deploy target: `host` is None for a local folder."""

    path: str
    host: str | None = None
    ssh: str = "ssh"

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.host else self.path

    def run(self, script: str) -> subprocess.CompletedProcess:
        """Run a POSIX shell script there (one SSH connection when remote)."""
        command = ["sh", "-c", script]
        if self.host:
            command = [*shlex.split(self.ssh), self.host, script]
        return subprocess.run(command, capture_output=True, text=True)

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
