"""Upload a release, verify it, switch `current` to it atomically, prune,
roll back.

rsync compares by checksum (Pelican rewrites every file, so times say
nothing) and hard-links unchanged files from the live release
(`--link-dest`): only changed files cross the network, yet every release is
complete. An upload goes to `releases/<name>.partial`; it is renamed and
made live only after the server has checked its file count and every
checksum against the list made from the folder that was checked, so an
interrupted or incomplete upload can never become live or be rolled back to.

A whole publish or rollback holds a lock on the target (`flock` on
`<path>/.lock`, held by a shell there for as long as this process keeps its
standard input open), so two runs never interleave, and a `.partial` found
under the lock belongs to a run that died.

`<path>/history` logs what was made live, one line per switch:
`<UTC time> publish <release>` or `<UTC time> rollback <from> <to>`.
Replayed as a stack (a publish pushes, a rollback pops), it says which
release each rollback returns to: the one live before the last publish not
yet undone. Pruning keeps the newest `keep` releases of that stack.

`<path>/meta/<release>.erasures` lists the commenter erasures
(`hyva.privacy.erasure_times`) the release's content already includes.
A publish deletes every other release missing one of its erasures, so no
release on the server keeps an erased person's comments; rollback refuses to
go to such a release too.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hyva_tools.deploy.target import Target, die_with_parent
from hyva_tools.progress import Progress, quiet

# Sortable and unique: releases are ordered by name.
RELEASE_NAME = "%Y%m%dT%H%M%S%fZ"
RELEASE_PATTERN = re.compile(r"^\d{8}T\d{12}Z$")
PARTIAL = ".partial"
RSYNC = [
    "rsync", "--recursive", "--links", "--perms", "--chmod=D755,F644",
    "--checksum", "--itemize-changes", "--stats",
]
UNCHANGED_SITE = "The live site was not changed."
# A line of rsync's own progress (--info=progress2): the bytes sent so far,
# and once its file list is complete "to-chk=<left>/<total>" entries to compare.
RSYNC_PROGRESS = re.compile(r"^\s*([\d,]+)\s+\d+%\s.*?(?:to-chk=(\d+)/(\d+))?\)?\s*$")
# How long a publish waits for another one to the same target to finish.
LOCK_WAIT_SECONDS = 600


class DeployError(RuntimeError):
    """Deploying failed; the message says what happened and what is live."""


@dataclass
class Upload:
    """What a publish did (or, in a dry run, would do)."""

    release: str | None
    previous: str | None
    changes: list[str] = field(default_factory=list)
    files_transferred: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def transferred(self) -> list[str]:
        """Files whose content was sent (itemized as `>f`), relative to the site."""
        return [line[12:] for line in self.changes if line[:2] in (">f", "<f")]


@dataclass
class ServerState:
    current: str | None
    releases: list[str]
    history: list[str] = field(default_factory=list)
    erasures: dict[str, set[str]] = field(default_factory=dict)
    current_is_folder: bool = False

    def live_stack(self) -> list[str]:
        """What was live, oldest first, with rolled-back publishes taken off."""
        stack: list[str] = []
        for line in self.history:
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "publish":
                stack.append(parts[2])
            elif len(parts) >= 4 and parts[1] == "rollback":
                if stack and stack[-1] == parts[2]:
                    stack.pop()
                if not stack or stack[-1] != parts[3]:
                    stack.append(parts[3])
        if not self.history:  # a target published before the history was kept
            stack = [name for name in self.releases if self.current and name <= self.current]
        if self.current and (not stack or stack[-1] != self.current):
            stack.append(self.current)
        return stack

    def missing_erasures(self, release: str, erasures: set[str]) -> set[str]:
        return erasures - self.erasures.get(release, set())


def release_name(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime(RELEASE_NAME)


def last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no error message"


STATE_SCRIPT = r"""
printf 'current\t%s\n' "$(readlink current 2>/dev/null)"
if [ -e current ] && [ ! -L current ]; then printf 'folder\n'; fi
for r in releases/*; do [ -e "$r" ] && printf 'release\t%s\n' "${r#releases/}"; done
for e in meta/*.erasures; do
  [ -f "$e" ] || continue
  n=${e#meta/}; n=${n%.erasures}; printf 'erased\t%s\t\n' "$n"
  while IFS= read -r l; do printf 'erased\t%s\t%s\n' "$n" "$l"; done < "$e"
done
if [ -f history ]; then sed 's/^/history\t/' history; fi
"""


def read_state(target: Target, prepare: bool) -> ServerState:
    """The live release, the complete releases, the history and what each
    release has erased; with `prepare` (under the lock), first make the
    layout and remove what interrupted runs left."""
    path = shlex.quote(target.path)
    script = f"cd -- {path} 2>/dev/null || exit 0\n{STATE_SCRIPT}"
    if prepare:
        script = (f"mkdir -p -- {path}/releases {path}/meta && cd -- {path} && "
                  f"rm -rf -- releases/*{PARTIAL} .current.new || exit 1\n"
                  "for m in meta/*; do n=${m#meta/}; n=${n%.*}; "
                  '[ -e "releases/$n" ] || rm -f -- "$m"; done\n' + STATE_SCRIPT)
    result = target.run(script)
    if result.returncode != 0:
        raise DeployError(f"could not reach or prepare {target}: {last_lines(result.stderr)}. "
                          f"{UNCHANGED_SITE}")
    state = ServerState(current=None, releases=[])
    for line in result.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "current":
            state.current = rest.removeprefix("releases/") or None
        elif kind == "folder":
            state.current_is_folder = True
        elif kind == "release" and RELEASE_PATTERN.match(rest):
            state.releases.append(rest)
        elif kind == "erased":
            name, _, erased = rest.partition("\t")
            state.erasures.setdefault(name, set()).update({erased} if erased else set())
        elif kind == "history":
            state.history.append(rest)
    state.releases.sort()
    if state.current_is_folder:
        state.current = None
    return state


@contextmanager
def locked(target: Target, wait: int = LOCK_WAIT_SECONDS, on_wait=None):
    """Hold the target's lock while in the block (calling `on_wait` first if
    another run holds it). The shell holding it there ends, and frees the
    lock, when this process closes its input, also when this process is
    killed."""
    path = shlex.quote(target.path)
    script = (f"mkdir -p -- {path} && exec 9>>{path}/.lock || exit 1; "
              f"flock -n 9 || {{ echo waiting; flock -w {int(wait)} 9; }} || "
              "{ echo busy; exit 1; }; echo locked; exec cat >/dev/null")
    with tempfile.TemporaryFile("w+") as errors:
        holder = subprocess.Popen(target.command(script), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=errors, text=True,
                                  preexec_fn=die_with_parent)
        try:
            answer = holder.stdout.readline().strip()
            if answer == "waiting":
                if on_wait:
                    on_wait()
                answer = holder.stdout.readline().strip()
            if answer != "locked":
                holder.wait()
                errors.seek(0)
                if answer == "busy":
                    raise DeployError(f"another publish or rollback to {target} has held its "
                                      f"lock for {wait} s; try again when it has finished. "
                                      f"{UNCHANGED_SITE}")
                raise DeployError(f"could not reach or lock {target}: "
                                  f"{last_lines(errors.read())}. {UNCHANGED_SITE}")
            yield
        finally:
            holder.stdin.close()
            holder.wait()


def run_rsync(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([*RSYNC, *arguments], capture_output=True, text=True,
                          preexec_fn=die_with_parent)


def rsync_with_progress(arguments: list[str], progress: Progress) -> subprocess.CompletedProcess:
    """run_rsync, with rsync's own progress shown as two stages (bytes sent,
    entries compared) and left out of the output that parse_rsync reads."""
    command = [*RSYNC, "--info=progress2", *arguments]
    kept: list[str] = []
    with tempfile.TemporaryFile() as errors, progress.stage("upload", unit="bytes") as sent, \
            progress.stage("upload, compared", unit="files and folders") as compared:

        def read(line: bytes) -> None:
            text = line.decode("utf-8", "replace")
            shown = RSYNC_PROGRESS.match(text)
            if not shown:
                kept.append(text)
                return
            sent.advance(int(shown[1].replace(",", "")) - sent.done)
            if shown[3]:
                compared.set_total(int(shown[3]))
                compared.advance(int(shown[3]) - int(shown[2]) - compared.done)

        rsync = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors,
                                 preexec_fn=die_with_parent)
        pending = b""
        for chunk in iter(lambda: rsync.stdout.read1(65536), b""):
            *lines, pending = re.split(rb"[\r\n]", pending + chunk)
            for line in lines:
                read(line)
        read(pending)
        rsync.wait()
        errors.seek(0)
        return subprocess.CompletedProcess(command, rsync.returncode, "\n".join(kept),
                                           errors.read().decode("utf-8", "replace"))


def parse_rsync(result: subprocess.CompletedProcess) -> tuple[list[str], int]:
    """The itemized changes and the number of files rsync sent."""
    changes = [line for line in result.stdout.splitlines()
               if re.match(r"^([<>ch.*][fdLDS]|\*deleting)", line)]
    sent = re.search(r"Number of regular files transferred: ([\d,]+)", result.stdout)
    return changes, int(sent.group(1).replace(",", "")) if sent else 0


def checksum_list(output: Path) -> list[str]:
    """`sha256sum` lines for every file of the site, as `sha256sum -c` reads
    them on the server; anything but folders and plain files is refused."""
    lines = []
    for folder, subfolders, files in os.walk(output):
        subfolders.sort()
        for name in [*files, *(name for name in subfolders if os.path.islink(Path(folder, name)))]:
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file():
                raise DeployError(f"{path} is not a plain file; a release holds only files "
                                  f"and folders. {UNCHANGED_SITE}")
            relative = "./" + path.relative_to(output).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if "\\" in relative or "\n" in relative:
                relative = relative.replace("\\", "\\\\").replace("\n", "\\n")
                digest = "\\" + digest
            lines.append(f"{digest}  {relative}\n")
    return sorted(lines)


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


def live_description(state: ServerState) -> str:
    return f"releases/{state.current}" if state.current else "nothing (no release yet)"


def publish(output: Path, target: Target, keep: int, *, dry: bool = False,
            rsync_options: list[str] = (), now: datetime | None = None,
            erasures: list[str] = (), lock_wait: int = LOCK_WAIT_SECONDS,
            on_wait=None, progress: Progress | None = None) -> Upload:
    """Upload `output` as a new release and make it live once verified,
    keeping the newest `keep` releases of the live history; `erasures` are
    the commenter erasures its content includes; `on_wait` is called if
    another run holds the target's lock; `progress` shows the upload. With
    `dry`, only report what would change."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise DeployError(f"{output} has no index.html: build the site first. {UNCHANGED_SITE}")
    if dry:
        return dry_run(output, target, list(rsync_options))
    checksums = checksum_list(output)
    with locked(target, lock_wait, on_wait):
        state = read_state(target, prepare=True)
        if state.current_is_folder:
            raise DeployError(f"`current` in {target} is a folder, not a link to a release: "
                              "move it into releases/ (or aside) and publish again. "
                              f"{UNCHANGED_SITE}")
        behind = state.erasures.get(state.current, set()) - set(erasures)
        if behind:
            raise DeployError(f"the live release on {target} includes commenter erasures made at "
                              f"{', '.join(sorted(behind))}, which this content's erasure log "
                              "lacks, so its build could hold erased comments again: bring "
                              "content/comments up to date (with its .erasures) and publish again. "
                              f"{UNCHANGED_SITE}")
        name = release_name(now)
        upload = upload_release(output, target, state, name, checksums, list(rsync_options),
                                progress or quiet())
        verify(target, state, name, checksums, sorted(set(erasures)))
        state.history.append(f"- publish {name}")
        state.releases.append(name)
        state.erasures[name] = set(erasures)
        removed = obsolete(state, keep, set(erasures))
        switch(target, name, history=f"publish {name}",
               finish=f"mv -T releases/{name}{PARTIAL} releases/{name}", remove=removed)
    upload.removed = removed
    return upload


def upload_release(output: Path, target: Target, state: ServerState, name: str,
                   checksums: list[str], rsync_options: list[str],
                   progress: Progress) -> Upload:
    link_dest = [f"--link-dest=../{state.current}"] if state.current else []
    partial = f"releases/{name}{PARTIAL}"
    result = rsync_with_progress([*link_dest, *target.rsync_shell(), *rsync_options,
                                  f"{output}/", target.rsync_destination(partial) + "/"],
                                 progress)
    if result.returncode != 0:
        discard(target, name)
        raise DeployError(f"uploading to {target} failed (rsync exit {result.returncode}: "
                          f"{last_lines(result.stderr)}). The live site still serves "
                          f"{live_description(state)}.")
    changes, sent = parse_rsync(result)
    return Upload(release=name, previous=state.current, changes=changes, files_transferred=sent)


def verify(target: Target, state: ServerState, name: str, checksums: list[str],
           erasures: list[str]) -> None:
    """Store the release's checksum list and erasures beside it, and check on
    the server that the upload holds exactly those files with those sums."""
    erased = "".join(f"{line}\n" for line in erasures)
    script = (f"cd -- {shlex.quote(target.path)} && cat > meta/{name}.sha256 && "
              f"printf %s {shlex.quote(erased)} > meta/{name}.erasures && "
              f"cd releases/{name}{PARTIAL} && "
              f"sha256sum --quiet --strict -c ../../meta/{name}.sha256 && "
              f"found=$(find . ! -type d -printf . | wc -c) && "
              f"if [ \"$found\" -ne {len(checksums)} ]; then "
              f"echo \"the upload holds $found files, not {len(checksums)}\" >&2; exit 1; fi")
    result = target.run(script, input="".join(checksums))
    if result.returncode != 0:
        discard(target, name)
        problem = last_lines(result.stdout + "\n" + result.stderr)
        raise DeployError(f"the upload to {target} does not match the checked site "
                          f"({problem}); it was removed. The live site still serves "
                          f"{live_description(state)}.")


def discard(target: Target, name: str) -> None:
    target.run(f"cd -- {shlex.quote(target.path)} && "
               f"rm -rf -- releases/{name}{PARTIAL} meta/{name}.sha256 meta/{name}.erasures")


def obsolete(state: ServerState, keep: int, erasures: set[str]) -> list[str]:
    """Releases to delete once the newest is live: those missing an erasure,
    and those beyond the newest `keep` of the live history."""
    stack = state.live_stack()
    kept: list[str] = []
    for name in reversed(stack):
        if name in state.releases and name not in kept and len(kept) < max(keep, 1) \
                and not state.missing_erasures(name, erasures):
            kept.append(name)
    return [name for name in state.releases if name not in kept]


def switch(target: Target, name: str, history: str, finish: str = "",
           remove: list[str] = ()) -> None:
    """Point `current` at releases/<name> in one rename (after `finish`, a
    command completing the release), log it in the history, then delete the
    `remove` releases with their metadata."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    steps = [f"cd -- {shlex.quote(target.path)}", finish,
             f"ln -sfn releases/{name} .current.new",
             "{ mv -T .current.new current || { rm -f .current.new; exit 1; }; }",
             f"printf '%s\\n' {shlex.quote(f'{now} {history}')} >> history"]
    if remove:
        steps.append("rm -rf -- " + " ".join(f"releases/{release} meta/{release}.sha256 "
                                             f"meta/{release}.erasures" for release in remove))
    result = target.run(" && ".join(step for step in steps if step))
    if result.returncode != 0:
        raise DeployError(f"switching {target} to release {name} failed: "
                          f"{last_lines(result.stderr)}")


def rollback(target: Target, erasures: list[str] = (),
             lock_wait: int = LOCK_WAIT_SECONDS) -> tuple[str, str]:
    """Make the release that was live before the last publish not yet undone
    live again: (from, to). A release missing an erasure that the live one
    or `erasures` (the local content's) includes is never made live."""
    with locked(target, lock_wait):
        state = read_state(target, prepare=False)
        if state.current is None:
            raise DeployError(f"{target} has no live release to roll back from")
        required = set(erasures) | state.erasures.get(state.current, set())
        earlier = [name for name in state.live_stack()[:-1]
                   if name in state.releases and name != state.current]
        if not earlier:
            raise DeployError(f"{target} keeps no release that was live before "
                              f"{state.current}; nothing to roll back to")
        chosen = earlier[-1]
        missing = state.missing_erasures(chosen, required)
        if missing:
            raise DeployError(f"release {chosen} on {target} still holds comments erased at "
                              f"{', '.join(sorted(missing))}; rollback does not go past an "
                              "erasure. Publish again instead (that also deletes such releases)")
        switch(target, chosen, history=f"rollback {state.current} {chosen}")
    return state.current, chosen
