"""Cases in subfolders of content/cases/ (`2024/`, `2024/syksy/`) work end to
end: `invoke new --folder`, `invoke import-comments`, the build and the
check for unpublished cases all find them where Pelican does."""

from __future__ import annotations

import shutil

import pytest
from pelican.settings import read_settings

from conftest import ROOT, build, copy_project, invoke, write_case
from hyva import commentfile
from hyva_tools.check import check_site, unpublished
from mail_support import make_message, write_mbox

# slug: (folder under content/cases/, title, Status)
CASES = {
    "kevainen-kiitos": ("2024", "Keväinen kiitos jäi vaille vastausta", None),
    "syksyinen-moite": ("2024/syksy", "Syksyinen moite ja nopea korjaus", None),
    "syksyn-luonnos": ("2024/syksy", "Syksyn luonnos", "draft"),
    "piilotettu-kevat": ("2024", "Piilotettu kevät", "hidden"),
}
COMMENTED = [slug for slug, (_, _, status) in CASES.items() if status != "draft"]


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    """A copied project whose cases are all in subfolders, with one
    comment mailed for each case but the draft (which takes none yet),
    imported by the task and then built."""
    root = tmp_path_factory.mktemp("nested")
    project = copy_project(root / "project", content=False)
    for slug, (folder, title, status) in CASES.items():
        write_case(project / "content" / "cases" / folder, slug, title, "Tapauksen teksti.\n",
                   status=status)
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    mbox = write_mbox(root / "approved.mbox", [
        make_message(subject=f"[kommentti] {slug}", message_id=f"<{slug}@example.com>",
                     body=f"Kommentti tapaukseen {slug}.")
        for slug in COMMENTED])
    imported = invoke(project, "import-comments", "--source", str(mbox),
                      XDG_CONFIG_HOME=str(root / "config"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    site = build(project / "content", root / "output", SEARCH_INDEX=False)
    return project, imported.stdout, site


def test_import_comments_accepts_a_comment_for_every_nested_case(nested):
    project, summary, _ = nested
    assert f"Imported {len(COMMENTED)}, already present 0" in summary
    assert "rejected 0" in summary
    comments = project / "content" / "comments"
    stored = {commentfile.load(path).case for path in comments.glob("*/*.md")}
    assert stored == set(COMMENTED)


def test_the_build_writes_nested_cases_at_their_slugs_with_their_comments(nested):
    _, _, site = nested
    for slug in ("kevainen-kiitos", "syksyinen-moite"):
        page = site.soup(f"{slug}/")
        assert page.h1.get_text(strip=True) == CASES[slug][1]
        assert f"Kommentti tapaukseen {slug}." in page.find(id="kommentit").get_text()
    assert site.path("drafts/syksyn-luonnos.html").exists()
    assert site.path("piilotettu-kevat/index.html").exists()


def test_the_check_finds_drafts_and_hidden_cases_in_subfolders(nested):
    project, _, site = nested
    settings = read_settings(str(project / "pelicanconf.py"))
    found = check_site(site.output, settings, checks=[unpublished.CHECK])
    reported = {(problem.file, problem.message.split(" is not published")[0]) for problem in found
                if "its page is in the output" in problem.message}
    assert reported == {
        ("drafts/syksyn-luonnos.html", "case cases/2024/syksy/syksyn-luonnos.md"),
        ("piilotettu-kevat/index.html", "case cases/2024/piilotettu-kevat.md"),
    }


@pytest.mark.parametrize("folder, title, slug", [
    ("2024", "Uusi kevään tapaus", "uusi-kevaan-tapaus"),
    ("2024/syksy", "Uusi syksyn tapaus", "uusi-syksyn-tapaus"),
])
def test_invoke_new_puts_the_case_in_the_folder_given(nested, folder, title, slug):
    project, _, _ = nested
    made = invoke(project, "new", title, "--folder", folder)
    assert made.returncode == 0, made.stderr
    assert f"Created content/cases/{folder}/{slug}.md (Status: draft)" in made.stdout
    path = project / "content" / "cases" / folder / f"{slug}.md"
    assert path.read_text(encoding="utf-8").startswith(f"Title: {title}\n")


def test_invoke_new_refuses_a_folder_outside_the_cases(nested):
    project, _, _ = nested
    outside = invoke(project, "new", "Karkuri", "--folder", "../pages")
    assert outside.returncode == 1 and "Traceback" not in outside.stderr
    assert "new: the folder '../pages' is not inside" in outside.stderr
    assert not (project / "content" / "pages" / "karkuri.md").exists()
