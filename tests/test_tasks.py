"""The maintainer's `invoke` tasks, run for real in a copy of the project
(so that `new` and `publish` never touch the real content or output)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pelican.settings import read_settings

from conftest import ROOT, build, invoke, write_case
from hyva_tools.deploy import publish as deploy
from hyva_tools.deploy.target import parse_target
from ssh_support import free_port

TASKS = ("clean", "build", "rebuild", "serve", "livereload", "preview", "new",
         "import-comments", "forget-commenter", "check", "publish", "rollback")


def test_invoke_list_shows_every_task_with_a_help_line():
    listing = invoke(ROOT, "--list")
    assert listing.returncode == 0, listing.stderr
    for name in TASKS:
        assert re.search(rf"^  {name} +\S", listing.stdout, re.MULTILINE), f"{name} has no help"


def test_new_scaffolds_a_draft_case_that_builds(project, tmp_path):
    result = invoke(project, "new", "Äänekosken öljy-yhtiö ei vastannut", "--facet",
                    "channel=puhelin", "--facet", "channel=chat", "--facet", "sector=tele")
    assert result.returncode == 0, result.stderr
    case = project / "content" / "cases" / "aanekosken-oljy-yhtio-ei-vastannut.md"
    text = case.read_text(encoding="utf-8")
    # The author's today, in the site's time zone, whatever the machine's.
    zone = ZoneInfo(read_settings(str(project / "pelicanconf.py"))["TIMEZONE"])
    assert text.startswith("Title: Äänekosken öljy-yhtiö ei vastannut\n"
                           f"Date: {datetime.now(zone).date().isoformat()}\nStatus: draft\n")
    assert "\nChannel: puhelin, chat\nSector: tele\nOutcome: hyvä\n" in text
    assert ("//// compare | Äänekosken öljy-yhtiö ei vastannut\n/// bad | Yrityksen vastaus\n"
            "{==lause==}{>>miksi se epäonnistuu<<}\n///\n/// good | Parempi vastaus\n"
            "{==lause==}{>>miksi se toimii<<}\n///\n////\n") in text
    draft = build(project / "content", tmp_path / "output").soup(
        "drafts/aanekosken-oljy-yhtio-ei-vastannut.html")
    assert draft.find("h1").get_text(strip=True) == "Äänekosken öljy-yhtiö ei vastannut"
    assert draft.find(string=re.compile("miksi se toimii"))


def test_new_refuses_to_overwrite_or_to_use_unknown_values(project):
    cases = project / "content" / "cases"
    first = invoke(project, "new", "Sama otsikko")
    assert first.returncode == 0, first.stderr
    case = cases / "sama-otsikko.md"
    before = case.read_text(encoding="utf-8")
    again = invoke(project, "new", "Sama otsikko")
    assert again.returncode == 1
    assert "sama-otsikko.md already exists" in again.stderr
    assert case.read_text(encoding="utf-8") == before
    for facet, words in [
        ("channel=faksi", "Channel 'faksi' is not a known channel; use one of: sähköposti"),
        ("outcome=Hyvä,huono", "Outcome takes one value, not 'hyvä, huono'; choose one of: hyvä"),
        ("tone=kohtelias", "there is no facet 'tone'; the facets are: channel, sector, outcome"),
        ("puhelin", "--facet 'puhelin' is not name=value"),
    ]:
        unknown = invoke(project, "new", "Faksilla tullut vastaus", "--facet", facet)
        assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
        assert words in unknown.stderr, unknown.stderr
    assert not (cases / "faksilla-tullut-vastaus.md").exists()


@pytest.mark.parametrize("title, owner", [
    ("Haku", "content/pages/haku.md"),
    ("Tietoa", "content/pages/tietoa.md"),
    ("Puhelinjono", "content/cases/2024/syksy/puhelinjono.md"),
    ("Muuttokuorma", "content/cases/2023/vanha-muutto.md"),
    ("Arkisto", "the archives page"),
    ("Kanava", "the channel index"),
])
def test_new_refuses_a_title_whose_slug_a_case_or_page_has(project, title, owner):
    # A case anywhere under the case folders holds its slug, by file name or Slug header.
    cases = project / "content" / "cases"
    write_case(cases / "2024" / "syksy", "puhelinjono", "Jonossa syksyllä")
    write_case(cases / "2023", "vanha-muutto", "Vanha muutto", slug="muuttokuorma")
    before = sorted(project.rglob("*.md"))
    result = invoke(project, "new", title)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    slug = title.lower().replace(" ", "-")
    assert f"new: the slug '{slug}' is taken by {owner}; choose another title" in result.stderr
    assert sorted(project.rglob("*.md")) == before


def test_publish_without_a_target_refuses_before_building(project):
    result = invoke(project, "publish")
    assert result.returncode == 1
    assert "no deploy target: set HYVA_DEPLOY_TARGET" in result.stderr
    assert not (project / "output").exists()


@pytest.mark.server
def test_publish_dry_run_publish_and_rollback_over_ssh(project, sshd, tmp_path):
    server = tmp_path / "srv"
    environ = sshd.environ(server)
    dry = invoke(project, "publish", "--dry-run", **environ)
    assert dry.returncode == 0, dry.stderr
    assert "nothing was changed" in dry.stdout and ">f+++++++++ index.html" in dry.stdout
    assert not server.exists()

    published = invoke(project, "publish", **environ)
    assert published.returncode == 0, published.stderr
    first = os.readlink(server / "current")
    assert "Published release" in published.stdout
    # Build, check and upload are stages, one plain line each without a terminal.
    stages = [line.split(":")[0] for line in published.stderr.splitlines()
              if re.match(r"^(build|check|upload|upload, compared): .* s$", line)]
    assert stages[:2] == ["build", "check"], published.stderr
    assert sorted(stages[2:]) == ["upload", "upload, compared"], published.stderr
    assert not (project / "output").exists(), "a publish builds into a folder of its own"
    # What went live is what `invoke preview` builds from the same files.
    assert invoke(project, "preview").returncode == 0
    assert (server / "current" / "index.html").read_bytes() == \
        (project / "output" / "index.html").read_bytes()

    # A second release straight from the deploy module, then the task rolls back.
    deploy(project / "output", parse_target(sshd.target(server), sshd.ssh), keep=5)
    assert os.readlink(server / "current") != first
    rolled = invoke(project, "rollback", **environ)
    assert rolled.returncode == 0, rolled.stderr
    assert os.readlink(server / "current") == first


@pytest.mark.server
def test_a_failing_check_blocks_the_publish(project, sshd, tmp_path):
    case = next((project / "content" / "cases").glob("*.md"))
    case.write_text(case.read_text(encoding="utf-8")
                    + "\nKirjoita osoitteeseen matti.meikalainen@example.com.\n", encoding="utf-8")
    server = tmp_path / "srv"
    result = invoke(project, "publish", **sshd.environ(server))
    assert result.returncode == 1
    assert "check: the site must not be published as it is:" in result.stderr
    assert re.search(rf"^{case.stem}/index.html: line \d+: an email address \(m…@e…\)",
                     result.stderr, re.MULTILINE)
    assert "example.com" not in result.stdout + result.stderr
    assert not server.exists()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := condition():
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_livereload_rebuilds_and_the_page_asks_to_reload(project):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        case = next((project / "content" / "cases").glob("*.md"))
        url = f"http://127.0.0.1:{port}/{case.stem}/"
        page = wait_for(lambda: fetch(url), 60, "the livereload server")
        assert "livereload.js" in page, "the page connects back for reloads"
        text = case.read_text(encoding="utf-8")
        case.write_text(re.sub(r"^Title: .*$", "Title: Muokattu otsikko livereloadille", text,
                               count=1, flags=re.MULTILINE), encoding="utf-8")
        wait_for(lambda: "Muokattu otsikko livereloadille" in fetch(url), 60, "the rebuild")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
