"""Progress of long maintainer commands (hyva_tools/progress.py): live bars
under a real pseudo-terminal, plain lines without one, and Ctrl-C part way
through an import, sent as a terminal sends it (to the whole process group),
leaving complete comments, an untouched source and a re-run that finishes."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, write_case
from hyva import commentfile
from hyva_tools.deploy import publish
from hyva_tools.deploy.target import parse_target
from hyva_tools.progress import Progress
from mail_support import PASSWORD, SAMPLE_KEY, make_message, tree_snapshot, write_maildir

CASE = "kiitos-jai-ilman-vastausta"
ESCAPE = "\x1b"
INTERRUPTED = 130


@pytest.fixture
def mail_project(tmp_path) -> Path:
    """A folder with one case to comment on (tasks are run with -r ROOT)."""
    write_case(tmp_path / "content" / "cases", CASE, "Kiitos", "Teksti.\n")
    return tmp_path


def maildir(folder: Path, count: int) -> Path:
    messages = [make_message(message_id=f"<viesti-{number}@example.com>",
                             sender=f"Lukija {number} <lukija{number}@example.com>",
                             date=f"Wed, 08 Jan 2025 {number // 3600 % 24:02}:"
                                  f"{number // 60 % 60:02}:{number % 60:02} +0200",
                             body=f"Kommentti numero {number}: hyvä kirjoitus.")
                for number in range(count)]
    return write_maildir(folder, messages)


def task_command(project: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "invoke", "-r", str(ROOT), *arguments,
            "--content", str(project / "content")]


def task_environment(project: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("CI", "HYVA_COMMENT_KEY", "HYVA_IMAP_PASSWORD")}
    return {**env, "XDG_CONFIG_HOME": str(project / "config"), "HYVA_COMMENT_KEY": SAMPLE_KEY,
            "TERM": "xterm-256color", "COLUMNS": "100", **extra}


def in_terminal(command: list[str], env: dict[str, str], interrupt_when=None,
                timeout: float = 120) -> tuple[int, str]:
    """Run `command` on a new pseudo-terminal, its controlling terminal;
    when `interrupt_when()` first holds, type Ctrl-C. (exit status, output)."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        os.execvpe(command[0], command, env)
    output, interrupted, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        if interrupt_when and not interrupted and interrupt_when():
            os.write(terminal, b"\x03")
            interrupted = True
        ready, _, _ = select.select([terminal], [], [], 0.005)
        if ready:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def piped(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)


def comment_files(project: Path) -> list[Path]:
    """The comment files written, not one still being written (a dot file)."""
    return sorted(path for path in (project / "content" / "comments").glob("*/*.md")
                  if not path.name.startswith("."))


def test_an_import_on_a_terminal_shows_live_bars(mail_project):
    source = maildir(mail_project / "mail", 300)
    status, output = in_terminal(
        task_command(mail_project, "import-comments", "--source", str(source)),
        task_environment(mail_project))
    assert status == 0, output
    assert ESCAPE + "[" in output
    for stage in ("read", "parsed", "written"):
        assert stage in output
    assert "300/300" in output  # the read bar knows the Maildir's total
    assert "Imported 300, already present 0" in output


@pytest.mark.parametrize("why", ["pipe", "CI=true on a terminal"])
def test_without_a_terminal_each_stage_is_one_plain_line(mail_project, why):
    source = maildir(mail_project / "mail", 250)
    arguments = ("import-comments", "--source", str(source))
    if why == "pipe":
        result = piped(task_command(mail_project, *arguments), task_environment(mail_project))
        status, stderr, output = result.returncode, result.stderr, result.stdout + result.stderr
    else:
        status, output = in_terminal(task_command(mail_project, *arguments),
                                     task_environment(mail_project, CI="true"))
        stderr = output
    assert status == 0, output
    assert ESCAPE not in output
    lines = [line.strip() for line in stderr.splitlines()]
    for stage, count in (("read", "250 of 250 messages"), ("parsed", "250 messages"),
                         ("written", "250 comments")):
        [line] = [line for line in lines if line.startswith(f"{stage}: ")]
        assert line.startswith(f"{stage}: {count}, ") and line.endswith(" s"), line


def test_ctrl_c_part_way_through_an_import_leaves_complete_comments(mail_project):
    count = 6000
    source = maildir(mail_project / "mail", count)
    before = tree_snapshot(source)
    status, output = in_terminal(
        task_command(mail_project, "import-comments", "--source", str(source)),
        task_environment(mail_project), interrupt_when=lambda: bool(comment_files(mail_project)))
    assert status == INTERRUPTED, output
    written = comment_files(mail_project)
    assert 0 < len(written) < count, "the import finished before Ctrl-C reached it"
    assert "stopped after" in output and "interrupted" in output
    assert "Traceback" not in output
    for path in written:
        assert commentfile.load(path).case == CASE
    assert tree_snapshot(source) == before

    again = piped(task_command(mail_project, "import-comments", "--source", str(source)),
                  task_environment(mail_project))
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"Imported {count - len(written)}, already present {len(written)}," in again.stdout
    assert len(comment_files(mail_project)) == count
    assert not list((mail_project / "content" / "comments").rglob(".tmp-*"))


def test_an_upload_shows_rsync_s_own_progress_in_bytes_and_files(site, tmp_path):
    """rsync's --info=progress2 becomes the upload's stages; its lines stay
    out of the itemized changes the publish reports."""
    target = parse_target(str(tmp_path / "srv"))
    entries = list(site.output.rglob("*"))
    size = sum(path.stat().st_size for path in entries if path.is_file())
    shown = io.StringIO()
    with Progress(shown) as progress:
        first = publish(site.output, target, keep=5, progress=progress)
        second = publish(site.output, target, keep=5, progress=progress)
    lines = shown.getvalue().splitlines()
    uploads = [line for line in lines if line.startswith("upload: ")]
    compared = [line for line in lines if line.startswith("upload, compared: ")]
    assert [line.split(",")[0] for line in uploads] == [f"upload: {size} bytes", "upload: 0 bytes"]
    total = len(entries) + 1  # and the site's folder itself
    assert compared and all(line.startswith(f"upload, compared: {total} of {total} files and "
                                            "folders, ") for line in compared), compared
    assert first.files_transferred == len(first.transferred) == \
        sum(1 for path in entries if path.is_file())
    assert second.files_transferred == 0
    assert all(not re.match(r"^\s*[\d,]+\s+\d+%", line) for line in first.changes)


def test_forget_commenter_shows_comments_read_and_deleted(mail_project):
    source = maildir(mail_project / "mail", 40)
    imported = piped(task_command(mail_project, "import-comments", "--source", str(source)),
                     task_environment(mail_project))
    assert imported.returncode == 0, imported.stderr
    forgotten = piped(task_command(mail_project, "forget-commenter", "lukija7@example.com"),
                      task_environment(mail_project))
    assert forgotten.returncode == 0, forgotten.stderr
    assert ESCAPE not in forgotten.stderr
    assert re.search(r"^read: 40 of 40 comments, [\d.]+ s$", forgotten.stderr, re.MULTILINE)
    assert re.search(r"^deleted: 1 of 1 comments, [\d.]+ s$", forgotten.stderr, re.MULTILINE)
    assert len(comment_files(mail_project)) == 39


@pytest.mark.server
def test_an_imap_import_shows_messages_fetched_of_the_folder_s_total(dovecot, mail_project):
    messages = [make_message(message_id=f"<imap-{number}@example.com>",
                             body=f"Kommentti {number} IMAPin kautta.") for number in range(30)]
    dovecot.deliver("Edistyminen", messages)
    result = piped(task_command(mail_project, "import-comments", "--source",
                                dovecot.url("Edistyminen")),
                   task_environment(mail_project, HYVA_IMAP_PASSWORD=PASSWORD))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^read: 30 of 30 messages, [\d.]+ s$", result.stderr, re.MULTILINE)
    status, output = in_terminal(
        task_command(mail_project, "import-comments", "--source", dovecot.url("Edistyminen")),
        task_environment(mail_project, HYVA_IMAP_PASSWORD=PASSWORD))
    assert status == 0, output
    assert "30/30" in output and "already present 30" in output
