"""Personal identifiers (hyva.identifiers): found in every form, confirmed
by the libraries, so look-alikes are not; blocked by `invoke check` in
every kind of output file unless allowed; named at their source line by
the build, which the public build fails on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pelican.settings import read_settings

from benchmarks import bench_identifiers
from benchmarks.bench_identifiers import FORMS, generate, sentence
from conftest import ROOT, build, copy_project, invoke, write_case
from hyva.identifiers import (
    CARD,
    HETU,
    IBAN,
    PHONE,
    SETTINGS,
    find_identifiers,
    mask_identifiers,
    masked_summary,
)
from hyva.settings import SettingsError, settle
from hyva_tools.check import identifiers as identifier_check
from hyva_tools.check.runner import run_checks


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.value) for hit in find_identifiers(text)]


@pytest.mark.parametrize("form", FORMS)
def test_every_kind_is_found_in_every_form(form):
    for number, item in enumerate(generate(80, seed=9)):
        text = sentence(item, form, number)
        assert found(text) == [(item.kind, item.value)], (form, item.kind)


@pytest.mark.parametrize("text, expected", [
    ("henkilötunnus 131052-308T", [(HETU, "131052-308T")]),
    ("uusi merkki 010594Y903W ja A-merkki 010101A123N", None),
    ("Soita 040 123 4567 tai +358 9 123 4567", [(PHONE, "+358401234567"), (PHONE, "+35891234567")]),
    ("tili FI21 1234 5600 0007 85", [(IBAN, "FI2112345600000785")]),
    ("kortti 4111 1111 1111 1111", [(CARD, "4111111111111111")]),
])
def test_examples_are_confirmed_by_the_libraries(text, expected):
    from stdnum.fi import hetu
    if expected is None:  # the century signs of 2023: whichever the library accepts
        codes = re.findall(r"\d{6}[A-Y]\d{3}\w", text)
        expected = [(HETU, code) for code in codes if hetu.is_valid(code)]
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "16.5.2014", "01.05.2014 klo 09.30–10.00", "2014-05-16T12:00:00+03:00",
    "Date: 2012-11-30 03:00", "Id: 453108d1b64166b4", "koodi 0401d234567",
    "jfi_0813992\x19",
    "Hinta 1 234,50 €, toimitus 4,90 €", "Tilausnumero 4111111111111112",
    "Lasku 2024-000123, viite 1234 5678 9012 3", "ISBN 978-951-0-12345-6",
    "00100 Helsinki", "Y-tunnus 0112038-9", "Y-tunnus 2345678-1",
    "131052-308U (väärä tarkiste)", "FI21 1234 5600 0007 86 (väärä tarkiste)",
    "Message-ID: <5BB86EF4B6E24E4C9DA4BBEF59DA9809@gmail.com>",
])
def test_look_alikes_are_not_identifiers(text):
    assert found(text) == []


def test_masking_says_in_words_what_was_removed_and_counts_it():
    text = "Hetu 131052-308T, puhelin 040 123 4567 ja 050-765 4321."
    masked, counts = mask_identifiers(text, {HETU: "[hetu]", PHONE: "[puh]", IBAN: "", CARD: ""})
    assert masked == "Hetu [hetu], puhelin [puh] ja [puh]."
    assert masked_summary(counts) == "1 personal identity code, 2 phone numbers"


def test_pathological_input_stays_linear():
    """A body of digits and separators at the import's size limit (no time
    asserted: the benchmark measures; this only must finish)."""
    assert found("0 " * 5_000 + "1-" * 5_000 + "a1" * 5_000) == []


def test_the_allow_list_needs_one_identifier_and_a_reason_each():
    for bad in ({"040 123 4567": ""}, {"ei numero": "syy"}, {"040 123 4567, 050 765 4321": "x"}):
        with pytest.raises(SettingsError, match="PERSONAL_DATA_ALLOWED"):
            settle({"PERSONAL_DATA_ALLOWED": bad}, SETTINGS)
    with pytest.raises(SettingsError, match="PERSONAL_DATA_IN_SOURCES"):
        settle({"PERSONAL_DATA_IN_SOURCES": "maybe"}, SETTINGS)


# --- The build and `invoke check` ---------------------------------------

# A slug holding a phone number puts it in the sitemap and every link.
SLUG = "soita-0405556677"
ITEMS = [next(item for item in generate(16, seed=3) if item.kind == kind)
         for kind in (HETU, PHONE, IBAN, CARD)]


def case_with_identifiers(content: Path) -> Path:
    """A case holding each kind, in the body (several forms) and in its
    summary (so in JSON-LD, listings and feeds too)."""
    body = "\n\n".join(sentence(item, form) for item in ITEMS
                       for form in ("as written", "dots", "HTML tags", "character references"))
    return write_case(content / "cases", SLUG, "Numero viestissä", f"{body}\n",
                      summary=f"Asiakas antoi numeronsa {ITEMS[1].written}.")


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory) -> tuple[Path, Path, str]:
    """The real content plus that case, built locally (warnings only)."""
    work = tmp_path_factory.mktemp("identifiers")
    content = Path(shutil.copytree(ROOT / "content", work / "content"))
    case_with_identifiers(content)
    built = build(content, work / "output")
    return content, built.output, built.log


def check_problems(content: Path, output: Path, allowed: dict | None = None) -> list[str]:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "PERSONAL_DATA_ALLOWED": allowed or {}})
    return [str(problem) for problem in
            run_checks(output, settings, [identifier_check.CHECK]).problems]


def test_check_finds_them_in_pages_feeds_json_ld_and_the_search_index(seeded_site):
    content, output, _ = seeded_site
    problems = check_problems(content, output)
    files = {problem.partition(":")[0] for problem in problems}
    assert f"{SLUG}/index.html" in files
    assert "feeds/kaikki.atom.xml" in files and "index.html" in files
    assert any(name.startswith("pagefind/") for name in files), files
    page = [problem for problem in problems if problem.startswith(f"{SLUG}/index.html:")]
    kinds = {"personal identity code", "phone number", "bank account number", "card number"}
    assert all(any(kind in problem for problem in page) for kind in kinds), page
    text = (output / SLUG / "index.html").read_text()
    json_ld = re.search(r'<script type="application/ld\+json">.*?</script>', text, re.DOTALL)
    lines = {int(re.search(r": line (\d+):", problem).group(1)) for problem in page}
    assert set(range(text.count("\n", 0, json_ld.start()) + 1,
                     text.count("\n", 0, json_ld.end()) + 2)) & lines
    assert "sitemap.xml" in files
    source = f"content/cases/{SLUG}.md"
    assert all(re.search(rf"from {re.escape(source)}(:\d+| \(its file name\))", problem)
               for problem in page), page
    assert any("(its file name)" in problem for problem in page)
    text = "\n".join(problems)
    for item in ITEMS:
        assert item.written not in text and item.value not in text
        assert item.written.replace(" ", "")[:5] not in text.replace(" ", "")


def test_check_passes_once_every_value_is_allowed(seeded_site):
    content, output, _ = seeded_site
    allowed = {item.written: "a made-up example in a test" for item in ITEMS}
    allowed["040 555 6677"] = "the made-up number in the slug"
    assert check_problems(content, output, allowed) == []
    assert len(check_problems(content, output, dict(list(allowed.items())[:3]))) > 0


def test_the_local_build_warns_at_the_source_line(seeded_site):
    content, _, log = seeded_site
    lines = (content / "cases" / f"{SLUG}.md").read_text().splitlines()
    warned = re.findall(rf"content/cases/{SLUG}\.md:(\d+): (a [^(]+)\(", log)
    assert len(warned) >= 16, log
    for line, kind in warned:
        assert found(lines[int(line) - 1]), (line, kind)
    for item in ITEMS:
        assert item.written not in log and item.value not in log


def test_invoke_check_blocks_then_passes_with_the_allow_list(tmp_path):
    project = copy_project(tmp_path / "project")
    case_with_identifiers(project / "content")
    public = invoke(project, "preview")
    assert public.returncode == 1, public.stdout + public.stderr
    assert f"content/cases/{SLUG}.md:" in public.stderr + public.stdout
    assert "Traceback" not in public.stderr
    assert invoke(project, "build").returncode == 0
    blocked = invoke(project, "check", "--settings", "dev")
    printed = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1 and "personal data must not be published" in printed, printed
    assert f"from content/cases/{SLUG}.md:" in printed
    for item in ITEMS:
        assert item.written not in printed and item.value not in printed
    settings = project / "pelicanconf.py"
    entries = "".join(f"    {written!r}: 'a made-up example of the tests',\n"
                      for written in [item.written for item in ITEMS] + ["040 555 6677"])
    settings.write_text(settings.read_text().replace(
        "PERSONAL_DATA_ALLOWED = {}", "PERSONAL_DATA_ALLOWED = {\n" + entries + "}"))
    assert invoke(project, "preview").returncode == 0
    assert invoke(project, "build").returncode == 0
    passed = invoke(project, "check", "--settings", "dev")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_benchmark_runs_at_small_size(tmp_path):
    report = bench_identifiers.report(identifier_count=40, messages=30, rounds=1, work=tmp_path)
    assert "all: 320/320 = 100.00 %" in report, report
    assert re.search(r"False positives in \d+ texts .*: 0 ", report), report
    assert re.search(r"Import at 30 messages.* = [\d.]+x", report)
    assert re.search(r"Check at 30 messages.* = [\d.]+x", report)
