"""What is loaded before the cases are read, then the finished site, stays
out of the garbage collector's reach until the build is done
(plugins/gc_freeze)."""

from __future__ import annotations

import gc
import sys

from pelican import Pelican, signals
from pelican.settings import read_settings

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.corpus import generate  # noqa: E402


def test_the_site_is_frozen_while_read_and_written_and_unfrozen_after(tmp_path):
    content = generate(6, tmp_path)
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
        "SEARCH_INDEX": False, "BUILD_PROCESSES": 1, "LOAD_CONTENT_CACHE": False,
        "CACHE_CONTENT": False})
    frozen_while_reading, frozen_while_writing = [], []

    def note_frozen_read(generator):
        frozen_while_reading.append(gc.get_freeze_count())

    def note_frozen(generator, writer):
        frozen_while_writing.append(gc.get_freeze_count())

    signals.article_generator_pretaxonomy.connect(note_frozen_read)
    signals.article_writer_finalized.connect(note_frozen)
    try:
        Pelican(settings).run()
    finally:
        signals.article_generator_pretaxonomy.disconnect(note_frozen_read)
        signals.article_writer_finalized.disconnect(note_frozen)
    assert len(frozen_while_reading) == 1 and frozen_while_reading[0] > 1000
    assert len(frozen_while_writing) == 1 and frozen_while_writing[0] > frozen_while_reading[0]
    assert gc.get_freeze_count() == 0
    assert (tmp_path / "output" / "tapaus-00006" / "index.html").exists()


def test_a_new_build_unfreezes_what_a_failed_one_left_frozen(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(generate(2, tmp_path)), "OUTPUT_PATH": str(tmp_path / "output")})
    gc.freeze()  # as a build that failed while its cases were read leaves it
    assert gc.get_freeze_count() > 0
    Pelican(settings)
    assert gc.get_freeze_count() == 0
