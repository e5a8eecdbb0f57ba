"""Upload a release, switch `current` to it atomically, prune, roll back.

rsync compares by checksum (Pelican rewrites every file, so times say
nothing) and hard-links unchanged files from the live release
(`--link-dest`): only changed files cross the network, yet every release is
complete. An upload goes to `releases/<name>.partial` and is renamed only
when complete, so an interrupted upload can never become live or be rolled
back to.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from hyva_tools.deploy.target import Target

# Sortable and unique: releases are ordered by name.
RELEASE_NAME = "%Y%m%dT%H%M%S%fZ"
PARTIAL = ".partial"
RSYNC = [
    "rsync", "--recursive", "--links", "--perms", "--chmod=D755,F644",
    "--checksum", "--itemize-changes", "--stats",
]
UNCHANGED_SITE = "The live site was not changed."


class DeployError(RuntimeError):
    """Deploying failed; the message says what happened and what is live."""


@dataclass
class Upload:
    """What a publish did (or, in a dry run, would do)."""

    release: str | None
    previous: str | None
    changes: list[str] = field(default_factory=list)
    files_transferred: int = 0

    @property
    def transferred(self) -> list[str]:
        """Files whose content was sent (itemized as `>f`), relative to the site."""
        return [line[12:] for line in self.changes if line[:2] in (">f", "<f")]


@dataclass
class ServerState:
    current: str | None
    releases: list[str]


def release_name(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime(RELEASE_NAME)


def read_state(target: Target, prepare: bool) -> ServerState:
    """The live release and all complete releases; with `prepare`, first make
    the layout and remove leftovers of interrupted uploads."""
    path = shlex.quote(target.path)
    script = (f"cd -- {path} 2>/dev/null || exit 0; "
              "readlink current || echo; ls -1 releases 2>/dev/null || true")
    if prepare:
        script = (f"mkdir -p -- {path}/releases && rm -rf -- {path}/releases/*{PARTIAL} "
                  f"|| exit 1; {script}")
    result = target.run(script)
    if result.returncode != 0:
        raise DeployError(f"could not reach or prepare {target}: {last_lines(result.stderr)}. {UNCHANGED_SITE}")
    current, *releases = result.stdout.splitlines() or [""]
    return ServerState(current=current.removeprefix("releases/") or None,
                       releases=sorted(name for name in releases if not name.endswith(PARTIAL)))


def last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no error message"


def run_rsync(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([*RSYNC, *arguments], capture_output=True, text=True)


def parse_rsync(result: subprocess.CompletedProcess) -> tuple[list[str], int]:
    """The itemized changes and the number of files rsync sent."""
    changes = [line for line in result.stdout.splitlines()
               if re.match(r"^([<>ch.*][fdLDS]|\*deleting)", line)]
    sent = re.search(r"Number of regular files transferred: ([\d,]+)", result.stdout)
    return changes, int(sent.group(1).replace(",", "")) if sent else 0


def dry_run(output: Path, target: Target, rsync_options: list[str]) -> Upload:
    """What a publish would change, compared with the live release."""
    state = read_state(target, prepare=False)
    with tempfile.TemporaryDirectory() as empty:
        destination = target.rsync_destination("current") if state.current else empty
        shell = target.rsync_shell() if state.current else []
        result = run_rsync(["--dry-run", "--delete", *shell, *rsync_options,
                            f"{output}/", f"{destination}/"])
    if result.returncode != 0:
        raise DeployError(f"cannot compare with {target}: {last_lines(result.stderr)}. "
                          f"{UNCHANGED_SITE}")
    changes, sent = parse_rsync(result)
    return Upload(release=None, previous=state.current, changes=changes, files_transferred=sent)


def publish(output: Path, target: Target, keep: int, *, dry: bool = False,
            rsync_options: list[str] = (), now: datetime | None = None) -> Upload:
    """Upload `output` as a new release and make it live, keeping the newest
    `keep` releases; with `dry`, only report what would change."""
    if not Path(output, "index.html").is_file():
        raise DeployError(f"{output} has no index.html: build the site first. {UNCHANGED_SITE}")
    if dry:
        return dry_run(output, target, list(rsync_options))
    state = read_state(target, prepare=True)
    name = release_name(now)
    link_dest = [f"--link-dest=../{state.current}"] if state.current else []
    partial = f"releases/{name}{PARTIAL}"
    result = run_rsync([*link_dest, *target.rsync_shell(), *rsync_options,
                        f"{output}/", target.rsync_destination(partial) + "/"])
    if result.returncode != 0:
        target.run(f"rm -rf -- {shlex.quote(target.path)}/{partial}")
        live = f"releases/{state.current}" if state.current else "nothing (no release yet)"
        raise DeployError(f"uploading to {target} failed (rsync exit {result.returncode}: "
                          f"{last_lines(result.stderr)}). The live site still serves {live}.")
    changes, sent = parse_rsync(result)
    obsolete = sorted([*state.releases, name])[:-keep] if keep > 0 else []
    switch(target, name, finish=f"mv -T releases/{name}{PARTIAL} releases/{name}",
           remove=[release for release in obsolete if release != name])
    return Upload(release=name, previous=state.current, changes=changes, files_transferred=sent)


def switch(target: Target, name: str, finish: str = "", remove: list[str] = ()) -> None:
    """Point `current` at releases/<name> in one rename (after `finish`, a
    command completing the release), then delete the `remove` releases."""
    steps = [f"cd -- {shlex.quote(target.path)}", finish,
             f"ln -sfn releases/{name} .current.new", "mv -T .current.new current"]
    if remove:
        steps.append("rm -rf -- " + " ".join(f"releases/{release}" for release in remove))
    result = target.run(" && ".join(step for step in steps if step))
    if result.returncode != 0:
        raise DeployError(f"switching {target} to release {name} failed: "
                          f"{last_lines(result.stderr)}")


def rollback(target: Target) -> tuple[str, str]:
    """Make the release before the live one live again: (from, to)."""
    state = read_state(target, prepare=False)
    if state.current is None:
        raise DeployError(f"{target} has no live release to roll back from")
    earlier = [release for release in state.releases if release < state.current]
    if not earlier:
        raise DeployError(f"{target} keeps no release older than the live "
                          f"{state.current}; nothing to roll back to")
    switch(target, earlier[-1])
    return state.current, earlier[-1]
