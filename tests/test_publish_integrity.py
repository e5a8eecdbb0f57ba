"""A publish deploys exactly the site it checked, verified before it goes
live, one run at a time, with a rollback history and erasures that last;
against the real OpenSSH server and rsync (ssh_support)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, build, tree
from hyva_tools.deploy import DeployError, publish, rollback
from hyva_tools.deploy.releases import locked
from hyva_tools.deploy.target import parse_target

pytestmark = pytest.mark.server
CHANGED_CASE = "kiitos-jai-ilman-vastausta.md"
ERASED_AT = "2026-01-02T03:04:05+00:00"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The real site built for publishing, and again after one case changed."""
    base = tmp_path_factory.mktemp("integrity-sites")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    before = build(content, base / "before", "publishconf.py", SEARCH_INDEX=False).output
    case = content / "cases" / CHANGED_CASE
    case.write_text(case.read_text(encoding="utf-8") + "\nToinen julkaisu.\n", encoding="utf-8")
    after = build(content, base / "after", "publishconf.py", SEARCH_INDEX=False).output
    return before, after


@pytest.fixture
def remote(sshd, tmp_path):
    path = tmp_path / "srv" / "hyvavastaus"
    return path, parse_target(sshd.target(path), sshd.ssh)


def releases(path: Path) -> list[str]:
    return sorted(p.name for p in (path / "releases").iterdir())


def test_an_incomplete_upload_is_refused_before_the_switch(sites, remote):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    with pytest.raises(DeployError, match=r"does not match the checked site.*"
                                          rf"still serves releases/{first.release}"):
        publish(after, target, keep=5, rsync_options=["--exclude=/tietoa/index.html"])
    assert os.readlink(path / "current") == f"releases/{first.release}"
    assert releases(path) == [first.release]
    assert tree(path / "current") == tree(before)


def test_rollback_follows_what_was_live(sites, remote):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    second = publish(after, target, keep=5)
    assert rollback(target) == (second.release, first.release)
    third = publish(after, target, keep=5)
    # Back to what was live before the third publish, not to the release
    # that was rolled back from.
    assert rollback(target) == (third.release, first.release)
    with pytest.raises(DeployError, match="nothing to roll back to"):
        rollback(target)
    history = (path / "history").read_text().splitlines()
    assert [line.split(" ", 1)[1] for line in history] == [
        f"publish {first.release}", f"publish {second.release}",
        f"rollback {second.release} {first.release}", f"publish {third.release}",
        f"rollback {third.release} {first.release}"]


def test_a_current_folder_is_refused_cleanly(sites, remote):
    before, _ = sites
    path, target = remote
    (path / "current").mkdir(parents=True)
    (path / "current" / "index.html").write_text("vanha sivusto")
    with pytest.raises(DeployError, match="`current` .* is a folder, not a link"):
        publish(before, target, keep=5)
    assert (path / "current" / "index.html").read_text() == "vanha sivusto"
    assert not (path / ".current.new").exists()
    assert releases(path) == []


def publish_process(site: Path, target: str, ssh: str, *options: str) -> subprocess.Popen:
    script = ("import sys; from pathlib import Path; from hyva_tools.deploy import publish;"
              "from hyva_tools.deploy.target import parse_target;"
              f"u = publish(Path({str(site)!r}), parse_target({target!r}, {ssh!r}), 5, "
              f"rsync_options={list(options)!r}); print(u.release)")
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_concurrent_publishes_take_turns_and_every_release_is_complete(sites, remote, sshd):
    before, after = sites
    path, _ = remote
    published = []
    for _round in range(3):
        runs = [publish_process(site, sshd.target(path), sshd.ssh) for site in (before, after)]
        for run in runs:
            stdout, stderr = run.communicate(timeout=120)
            assert run.returncode == 0, stderr
            assert "Traceback" not in stderr
            published.append(stdout.strip())
    kept = releases(path)
    assert kept == sorted(published)[-5:]
    expected = {name: tree(site) for name, site in zip(published, [before, after] * 3, strict=True)}
    for name in kept:
        assert tree(path / "releases" / name) == expected[name], f"release {name} is not complete"
    assert os.readlink(path / "current").removeprefix("releases/") in kept
    assert not list((path / "releases").glob("*.partial"))


def test_a_publish_waits_for_the_lock_and_gives_up_cleanly(sites, remote):
    before, _ = sites
    path, target = remote
    waited = []
    with locked(target):
        with pytest.raises(DeployError, match="has held its lock for 1 s.*was not changed"):
            publish(before, target, keep=5, lock_wait=1, on_wait=lambda: waited.append(True))
        assert waited == [True]
        assert not (path / "releases").exists()
    upload = publish(before, target, keep=5, lock_wait=1)
    assert os.readlink(path / "current") == f"releases/{upload.release}"


def rsync_processes_for(path: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and command and command[0].endswith(b"rsync") \
                and any(str(path).encode() in part for part in command):
            found.append(int(entry.name))
    return found


def test_killing_the_publisher_stops_its_rsync_and_frees_the_lock(sites, remote, sshd, tmp_path):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    big = tmp_path / "big"
    shutil.copytree(after, big)
    (big / "iso-tiedosto.bin").write_bytes(os.urandom(3_000_000))
    run = publish_process(big, sshd.target(path), sshd.ssh, "--bwlimit=200")
    deadline = time.monotonic() + 30
    while not list((path / "releases").glob("*.partial/.iso-tiedosto.bin.*")):
        assert time.monotonic() < deadline and run.poll() is None, "the upload never started"
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)  # only the publishing process, not its group
    run.wait()
    deadline = time.monotonic() + 10
    while rsync_processes_for(path):
        assert time.monotonic() < deadline, "rsync went on uploading after the publisher died"
        time.sleep(0.2)
    assert os.readlink(path / "current") == f"releases/{first.release}"
    again = publish(after, target, keep=5, lock_wait=20)
    assert releases(path) == [first.release, again.release]


def test_a_publish_after_an_erasure_leaves_no_release_without_it(sites, remote):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    second = publish(after, target, keep=5)
    # An erasure made since: the live release still holds the comments, and
    # rollback does not go to a release that lacks the erasure either.
    with pytest.raises(DeployError, match=re.escape(ERASED_AT) + ".*does not go past an erasure"):
        rollback(target, erasures=[ERASED_AT])
    third = publish(before, target, keep=5, erasures=[ERASED_AT])
    assert set(third.removed) == {first.release, second.release}
    assert releases(path) == [third.release]
    assert (path / "meta" / f"{third.release}.erasures").read_text() == f"{ERASED_AT}\n"
    fourth = publish(after, target, keep=5, erasures=[ERASED_AT])
    assert releases(path) == [third.release, fourth.release]
    assert rollback(target, erasures=[ERASED_AT]) == (fourth.release, third.release)
    # A checkout without the erasure log would publish the comments again.
    with pytest.raises(DeployError, match=re.escape(ERASED_AT) + ".*erasure log lacks"):
        publish(after, target, keep=5)
    assert releases(path) == [third.release, fourth.release]
    assert os.readlink(path / "current") == f"releases/{third.release}"


# --- The whole `invoke publish`, racing a build of output/ ---------------

@pytest.fixture
def project(tmp_path) -> Path:
    """The project's sources in a temp folder, with a draft case added."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("content", "plugins", "theme"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    case = (copy / "content" / "cases" / CHANGED_CASE).read_text(encoding="utf-8")
    (copy / "content" / "cases" / "luonnos-kesken.md").write_text(
        case.replace("\n\n", "\nStatus: draft\n\n", 1), encoding="utf-8")
    return copy


def test_a_build_during_the_upload_does_not_change_what_is_published(project, sshd, tmp_path):
    slow = tmp_path / "slow-ssh"
    slow.write_text('#!/bin/sh\nsleep 1\nexec ssh "$@"\n')
    slow.chmod(0o755)
    server, scratch = tmp_path / "srv", tmp_path / "scratch"
    scratch.mkdir()
    environ = {key: value for key, value in os.environ.items() if not key.startswith("HYVA_DEPLOY")}
    environ |= sshd.environ(server) | {"PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch),
                                       "HYVA_DEPLOY_SSH": sshd.ssh.replace("ssh", str(slow), 1)}
    run = subprocess.Popen([sys.executable, "-m", "invoke", "publish"], cwd=project, env=environ,
                           text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in run.stdout:
        if "passed every check" in line:
            break
    dev = subprocess.run([sys.executable, "-m", "invoke", "build"], cwd=project, env=environ,
                         capture_output=True, text=True)
    assert dev.returncode == 0, dev.stderr
    assert (project / "output" / "drafts" / "luonnos-kesken.html").is_file()
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    live = server / "current"
    assert (live / "index.html").is_file() and not (live / "drafts").exists()
    leaked = [name for name, path in ((p.relative_to(live).as_posix(), p) for p in live.rglob("*"))
              if path.is_file() and b"127.0.0.1:8000" in path.read_bytes()]
    assert leaked == []
    assert list(scratch.iterdir()) == [], "the publish build is removed"
