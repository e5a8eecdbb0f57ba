"""Helpers for the comment import tests: test mail, a real Dovecot IMAP
server, and the import task run as a moderator runs it, with the
invariants every run must keep (`import_into`, `assert_site_passes`).

`dovecot` starts Debian's /usr/sbin/dovecot in the foreground with a
throwaway config in a temporary folder: plain IMAP and IMAPS (a self-signed
certificate made with the openssl CLI) on free ports of 127.0.0.1, one
passwd-file user, Maildir storage. It runs as root in CI: the login process
uses Debian's unprivileged `dovenull` user and mail is stored as `dovecot`.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from imapclient import IMAPClient

from server_support import free_port, wait_for_greeting

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "moderaattori", "hyvaksy-vain-hyvat"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
default_internal_user = {mail_user}
default_internal_group = {mail_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
"""


def make_message(*, sender: str = "Liisa Lukija <liisa@example.com>",
                 to: str = "kommentit@hyvavastaus.fi",
                 subject: str = "[kommentti] kiitos-jai-ilman-vastausta",
                 date: str = "Wed, 08 Jan 2025 09:15:00 +0200",
                 message_id: str | None = "<kommentti-1@example.com>",
                 body: str = "Hyvä kirjoitus, kiitos!", charset: str = "utf-8",
                 html: str | None = None, in_reply_to: str | None = None,
                 references: str | None = None, attachment: bytes | None = None,
                 headers: dict[str, str] | None = None) -> bytes:
    """A message as a mail client would send it (headers encoded as needed);
    `headers` adds others, as a mail server would."""
    message = EmailMessage()
    for name, value in (headers or {}).items():
        message[name] = value
    for name, value in (("From", sender), ("To", to), ("Subject", subject), ("Date", date),
                        ("Message-ID", message_id), ("In-Reply-To", in_reply_to),
                        ("References", references)):
        if value is not None:
            message[name] = value
    if html is None:
        message.set_content(body, charset=charset)
    else:
        message.set_content(html, subtype="html", charset=charset)
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream",
                               filename="liite.bin")
    return message.as_bytes()


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    with path.open("wb") as stream:
        for raw in messages:
            stream.write(b"From MAILER-DAEMON Wed Jan  8 09:15:00 2025\n")
            stream.write(raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From "))
            stream.write(b"\n")
    return path


def write_maildir(folder: Path, messages: list[bytes]) -> Path:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for number, raw in enumerate(messages):
        (folder / "new" / f"1736320500.M{number}P1.test").write_bytes(raw)
    return folder


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a source is unchanged."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _system_user(*names: str) -> str:
    for name in names:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip(f"none of the users {names} exists")


@dataclass
class Dovecot:
    root: Path
    port: int
    ssl_port: int
    cafile: Path

    def url(self, folder: str, secure: bool = False) -> str:
        scheme, port = ("imaps", self.ssl_port) if secure else ("imap", self.port)
        return f"{scheme}://{USER}@127.0.0.1:{port}/{quote(folder)}"

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, folder: str, messages: list[bytes]) -> None:
        """Put messages into `folder` with IMAP APPEND, as a moderator's client would."""
        client = self.client()
        if not client.folder_exists(folder):
            client.create_folder(folder)
        for raw in messages:
            client.append(folder, raw)
        client.logout()

    def flags(self, folder: str) -> dict[int, tuple]:
        client = self.client()
        client.select_folder(folder, readonly=True)
        flags = client.get_flags(client.search("ALL"))
        client.logout()
        return flags



@pytest.fixture(scope="session")
def dovecot():
    if not DOVECOT.exists() or not shutil.which("openssl"):
        pytest.skip("dovecot-imapd or openssl is not installed (./dev.sh test installs them)")
    mail_user = _system_user("dovecot", "nobody")
    login_user = _system_user("dovenull", "nobody")
    # Not under pytest's 0700 tmp folders: the unprivileged login process
    # must reach the sockets in base_dir.
    root = Path(tempfile.mkdtemp(prefix="hyva-dovecot-"))
    root.chmod(0o755)
    mail_group = grp.getgrgid(pwd.getpwnam(mail_user).pw_gid).gr_name
    (root / "mail").mkdir()
    shutil.chown(root / "mail", mail_user, mail_group)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port, ssl_port = free_port(), free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(
        root=root, port=port, ssl_port=ssl_port, mail_user=mail_user,
        mail_group=mail_group, login_user=login_user))
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_greeting(port, b"* OK", process, root / "dovecot.log")
        yield Dovecot(root, port, ssl_port, root / "cert.pem")
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_password(monkeypatch):
    monkeypatch.setenv("HYVA_IMAP_PASSWORD", PASSWORD)
    return PASSWORD


def environment(**extra: str) -> dict[str, str]:
    """The environment for a subprocess, with `extra` added."""
    return {**os.environ, **extra}


# --- Running the import task as a moderator does, and its invariants -------

# The key the sample comments in content/ were made with (README, "Comments").
SAMPLE_KEY = "hyva-vastaus-sample"
# "Rejected <place>: Message-ID <hint>, subject ...: reason"
REJECTED = re.compile(r"^Rejected (?P<place>.+?): Message-ID <(?P<id>[^>]*)>", re.MULTILINE)
PLACE = re.compile(r"(\.mbox message \d+|\.eml|Maildir (new|cur)/\S+|UID \d+)$")


def run_task(project: Path, *arguments: str, key: str | None = SAMPLE_KEY,
             timeout: float = 120, password: str | None = None) -> subprocess.CompletedProcess:
    """An invoke task in `project`, with `key` as HYVA_COMMENT_KEY (None: no
    key in the environment), `password` as the IMAP password, and a config
    folder of its own."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("HYVA_COMMENT_KEY", "HYVA_IMAP_PASSWORD")
           and not name.startswith("HYVA_DEPLOY")}
    env["XDG_CONFIG_HOME"] = str(project.parent / "config")
    if key is not None:
        env["HYVA_COMMENT_KEY"] = key
    if password is not None:
        env["HYVA_IMAP_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "invoke", *arguments], cwd=project,
                          capture_output=True, text=True, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def texts_under(folder: Path) -> str:
    return "\n".join(path.read_bytes().decode("utf-8", "replace")
                     for path in sorted(folder.rglob("*")) if path.is_file())


def assert_no_address(text: str, addresses: list[str]) -> None:
    """None of `addresses`, however spelled, nor a plain hash of one."""
    seen = unicodedata.normalize("NFKC", text).lower()
    seen = "".join(character for character in seen if unicodedata.category(character) != "Cf")
    for address in addresses:
        assert address.lower() not in seen, f"{address[:2]}… leaked"
        for variant in {address, address.lower()}:
            for algorithm in ("md5", "sha1", "sha256"):
                assert hashlib.new(algorithm, variant.encode()).hexdigest() not in text


def import_into(project: Path, source: Path | str, addresses: list[str], *,
                rejected: int = 0, key: str | None = SAMPLE_KEY,
                password: str | None = None) -> str:
    """Import `source` with the task and check the invariants of the run;
    the terminal output."""
    before = tree_snapshot(source) if isinstance(source, Path) and source.is_dir() else (
        source.read_bytes() if isinstance(source, Path) else None)
    result = run_task(project, "import-comments", "--source", str(source), key=key,
                      password=password)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == (1 if rejected else 0), output
    if isinstance(source, Path):
        assert (tree_snapshot(source) if source.is_dir() else source.read_bytes()) == before
    reports = list(REJECTED.finditer(result.stdout))
    assert len(reports) == rejected, output
    for report in reports:
        assert PLACE.search(report["place"]), report.group()
        assert "@" not in report["id"] or "…@" in report["id"], report.group()  # a hint only
    assert_no_address(output, addresses)
    assert_no_address(texts_under(project / "content" / "comments"), addresses)
    assert "\x1b" not in output
    return output


def assert_site_passes(project: Path, addresses: list[str]) -> None:
    """`invoke build` passes, `invoke check` passes on the publish build,
    and no address is in output/."""
    for task in (("build",), ("preview",), ("check",)):
        result = run_task(project, *task, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert_no_address(texts_under(project / "output"), addresses)
