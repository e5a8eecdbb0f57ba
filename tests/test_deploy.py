"""Deploying releases with real rsync over a real OpenSSH server (ssh_support).

Each test deploys into its own folder, so none depends on another's state.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, build, mounted_tmpfs, tree
from hyva_tools.deploy import DeployError, publish, rollback
from hyva_tools.deploy.target import parse_target
from ssh_support import free_port

pytestmark = pytest.mark.server
CHANGED_CASE = "kiitos-jai-ilman-vastausta.md"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The real site built for publishing, and again after one case changed."""
    base = tmp_path_factory.mktemp("deploy-sites")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    before = build(content, base / "before", "publishconf.py").output
    case = content / "cases" / CHANGED_CASE
    case.write_text(case.read_text(encoding="utf-8")
                    + "\nLisätty kappale toista julkaisua varten.\n",
                    encoding="utf-8")
    after = build(content, base / "after", "publishconf.py").output
    return before, after


@pytest.fixture
def remote(sshd, tmp_path):
    """A fresh deploy folder on the SSH server and its target."""
    path = tmp_path / "srv" / "hyvavastaus"
    return path, parse_target(sshd.target(path), sshd.ssh)


def live(path: Path) -> Path:
    return path / "current"


def test_first_publish_makes_the_site_live(sites, remote):
    before, _ = sites
    path, target = remote
    upload = publish(before, target, keep=5)
    assert os.readlink(path / "current") == f"releases/{upload.release}"
    assert tree(live(path)) == tree(before)
    assert upload.previous is None
    assert upload.files_transferred == len(tree(before)) == len(upload.transferred)
    assert (live(path) / "index.html").stat().st_mode & 0o777 == 0o644


def test_second_publish_transfers_only_changed_files(sites, remote):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    second = publish(after, target, keep=5)
    old, new = tree(before), tree(after)
    changed = {name for name, digest in new.items() if old.get(name) != digest}
    assert f"{CHANGED_CASE.removesuffix('.md')}/index.html" in changed
    assert set(second.transferred) == changed
    assert second.files_transferred == len(changed) < len(new) / 2
    assert second.previous == first.release
    assert tree(live(path)) == new
    unchanged = next(name for name in new if name not in changed)
    assert ((path / "releases" / first.release / unchanged).stat().st_ino
            == (live(path) / unchanged).stat().st_ino), "unchanged files are hard links"


def test_rollback_restores_the_previous_release(sites, remote):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    second = publish(after, target, keep=5)
    assert rollback(target) == (second.release, first.release)
    assert tree(live(path)) == tree(before)
    with pytest.raises(DeployError, match="nothing to roll back to"):
        rollback(target)


def test_dry_run_lists_changes_and_touches_nothing(sites, remote):
    before, after = sites
    path, target = remote
    publish(before, target, keep=5)
    state = {p: (p.stat().st_mtime_ns, p.is_symlink()) for p in path.rglob("*")}
    preview = publish(after, target, keep=5, dry=True)
    assert f"{CHANGED_CASE.removesuffix('.md')}/index.html" in preview.transferred
    assert len(preview.transferred) < len(tree(after)) / 2
    assert {p: (p.stat().st_mtime_ns, p.is_symlink()) for p in path.rglob("*")} == state


def test_dry_run_before_the_first_release_creates_nothing(sites, remote):
    before, _ = sites
    path, target = remote
    preview = publish(before, target, keep=5, dry=True)
    assert len(preview.transferred) == len(tree(before))
    assert not path.exists()


def test_old_releases_are_pruned_on_a_local_target(sites, tmp_path):
    before, after = sites
    target = parse_target(str(tmp_path / "local"))
    releases = [publish(site, target, keep=2).release for site in (before, after, before)]
    assert sorted(p.name for p in (tmp_path / "local" / "releases").iterdir()) == releases[1:]
    assert tree(tmp_path / "local" / "current") == tree(before)


def test_killed_upload_leaves_the_live_site_intact(sites, remote, tmp_path, sshd):
    before, after = sites
    path, target = remote
    first = publish(before, target, keep=5)
    big = tmp_path / "big"
    shutil.copytree(after, big)
    (big / "iso-tiedosto.bin").write_bytes(os.urandom(4_000_000))
    script = ("from pathlib import Path; from hyva_tools.deploy import publish;"
              "from hyva_tools.deploy.target import parse_target;"
              f"publish(Path({str(big)!r}), parse_target({sshd.target(path)!r}, {sshd.ssh!r}), 5,"
              " rsync_options=['--bwlimit=200'])")
    upload = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not list((path / "releases").glob("*.partial/.iso-tiedosto.bin.*")):
            assert time.monotonic() < deadline and upload.poll() is None, "upload never started"
            time.sleep(0.1)
    finally:
        os.killpg(upload.pid, signal.SIGKILL)
        upload.wait()
    assert os.readlink(path / "current") == f"releases/{first.release}"
    assert tree(live(path)) == tree(before)
    again = publish(after, target, keep=5)
    assert sorted(p.name for p in (path / "releases").iterdir()) == [first.release, again.release]


def test_unreachable_host_changes_nothing(sites):
    before, _ = sites
    target = parse_target("root@127.0.0.1:/srv/ei-ole",
                          f"ssh -F /dev/null -o BatchMode=yes -p {free_port()}")
    with pytest.raises(DeployError, match="Connection refused.*The live site was not changed"):
        publish(before, target, keep=5)


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs: enough for the site, not for a big extra file."""
    with mounted_tmpfs(tmp_path / "disk", "4m") as mount:
        yield mount


def test_full_disk_fails_clearly_and_keeps_the_live_site(sites, sshd, small_disk, tmp_path):
    before, after = sites
    target = parse_target(sshd.target(small_disk / "site"), sshd.ssh)
    first = publish(before, target, keep=5)
    big = tmp_path / "big"
    shutil.copytree(after, big)
    (big / "iso-tiedosto.bin").write_bytes(os.urandom(6_000_000))
    with pytest.raises(DeployError, match=r"No space left on device.*still serves "
                                          rf"releases/{first.release}"):
        publish(big, target, keep=5)
    assert tree(small_disk / "site" / "current") == tree(before)
    assert [p.name for p in (small_disk / "site" / "releases").iterdir()] == [first.release]
