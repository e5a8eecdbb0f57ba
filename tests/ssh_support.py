"""A real OpenSSH server on 127.0.0.1 for deploy tests.

Debian's sshd runs from a throwaway config in a temp folder: its own host
key, one user key in AuthorizedKeysFile, a free port, and a known_hosts file
so that the client checks the host key strictly. The tests log in as the
user running them (root in CI, hence PermitRootLogin prohibit-password).
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from server_support import free_port, wait_for_greeting

SSHD = Path("/usr/sbin/sshd")


@dataclass
class SSHServer:
    port: int
    user: str
    ssh: str  # the ssh command for HYVA_DEPLOY_SSH

    def target(self, path: Path) -> str:
        return f"{self.user}@127.0.0.1:{path}"

    def environ(self, path: Path) -> dict[str, str]:
        return {"HYVA_DEPLOY_TARGET": self.target(path), "HYVA_DEPLOY_SSH": self.ssh}



def keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    if not SSHD.exists() or not shutil.which("rsync"):
        pytest.skip("openssh-server and rsync are needed (./dev.sh test installs them)")
    home = tmp_path_factory.mktemp("sshd")
    host_key = keygen(home / "host_key")
    (home / "authorized_keys").write_text(keygen(home / "user_key") + "\n")
    port = free_port()
    (home / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n")
    (home / "sshd_config").write_text(f"""\
ListenAddress 127.0.0.1
Port {port}
HostKey {home / "host_key"}
AuthorizedKeysFile {home / "authorized_keys"}
PidFile {home / "sshd.pid"}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
MaxStartups 50
""")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # privilege separation
    log = home / "sshd.log"
    with log.open("w") as stream:
        process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(home / "sshd_config")],
                                   stdout=subprocess.DEVNULL, stderr=stream)
    try:
        wait_for_greeting(port, b"SSH-", process, log)
        # One shared connection (ControlMaster) keeps each deploy step from
        # paying for a new SSH handshake.
        ssh = (f"ssh -F /dev/null -p {port} -i {home / 'user_key'} -o IdentitiesOnly=yes "
               f"-o BatchMode=yes -o StrictHostKeyChecking=yes "
               f"-o UserKnownHostsFile={home / 'known_hosts'} "
               f"-o ControlMaster=auto -o ControlPath={home / 'control'} -o ControlPersist=120")
        yield SSHServer(port=port, user=getpass.getuser(), ssh=ssh)
        subprocess.run([*ssh.split(), "-O", "exit", "127.0.0.1"], capture_output=True)
    finally:
        process.terminate()
        process.wait(timeout=10)
