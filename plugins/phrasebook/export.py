"""The phrasebook as data: `<PHRASEBOOK_URL>/fraasikirja.json` and `.csv`.

For trainers' own material: every phrase that names a pattern, once, with
its note, verdict, patterns, case and the absolute URL of the phrase on the
case page. The JSON follows `fraasikirja.schema.json` (beside this file,
published beside the export); README.md, "The phrasebook", documents the
fields. Both are written in the cases' order, so an unchanged site writes
the same bytes.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from hyva.patterns import PHRASES

SCHEMA = Path(__file__).with_name("fraasikirja.schema.json")
EXPORT_NAME = "fraasikirja"
CSV_FIELDS = ("phrase", "note", "verdict", "kind", "patterns", "reply", "comparison",
              "case", "url", "date")


def phrase_link(case_url: str, phrase) -> str:
    """The phrase on its case page: the case's URL and the phrase's anchor."""
    return f"{case_url}#{phrase.anchor}"


def phrase_records(book, origin: str) -> list[dict]:
    """Each phrase that names a pattern once, in the order of its cases and
    of the case page."""
    cases = {id(entry.case): entry for page in book for entry in page.case_entries}
    records = []
    for case, case_url in sorted(((entry.case, entry.case_url) for entry in cases.values()),
                                 key=lambda pair: (pair[0].date, pair[0].source_path)):
        for phrase in case.metadata[PHRASES]:
            if phrase.patterns:
                records.append({
                    "phrase": phrase.text, "note": phrase.note, "verdict": phrase.verdict,
                    "kind": phrase.kind, "patterns": list(phrase.patterns),
                    "reply": phrase.reply, "comparison": phrase.comparison,
                    "case": case.title, "url": f"{origin}/{phrase_link(case_url, phrase)}",
                    "date": case.date.isoformat(),
                })
    return records


def pattern_records(book, origin: str) -> list[dict]:
    return [{
        "key": page.pattern.key, "name": page.pattern.name, "kind": page.pattern.kind,
        "description": page.pattern.description, "opposite": page.pattern.opposite,
        "url": f"{origin}/{page.pattern.url}", "phrases": len(page.entries),
        "cases": len(page.case_entries),
    } for page in book]


def write_export(book, settings: dict, output_path: str) -> None:
    origin = settings["SITE_ORIGIN"].rstrip("/")
    folder = Path(output_path, settings["PHRASEBOOK_URL"])
    folder.mkdir(parents=True, exist_ok=True)
    phrases = phrase_records(book, origin)
    data = {
        "$schema": f"{origin}/{settings['PHRASEBOOK_URL']}/{SCHEMA.name}",
        "site": settings["SITENAME"],
        "url": f"{origin}/{settings['PHRASEBOOK_URL']}/",
        "patterns": pattern_records(book, origin),
        "phrases": phrases,
    }
    (folder / f"{EXPORT_NAME}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # With a byte order mark, so that spreadsheets read it as UTF-8.
    with open(folder / f"{EXPORT_NAME}.csv", "w", encoding="utf-8-sig", newline="") as handle:
        table = csv.DictWriter(handle, CSV_FIELDS)
        table.writeheader()
        for record in phrases:
            table.writerow({**record, "patterns": " ".join(record["patterns"])})
    shutil.copyfile(SCHEMA, folder / SCHEMA.name)
