"""Finnish compound words for the search index, split by Voikko.

Pagefind's Finnish stemmer knows inflection but not compounds: "kortti"
never finds "lahjakortilla". Voikko, the maintained Finnish morphology,
names the parts of a compound in their base form ("lahja", "kortti"), so
the copy of a case page that Pagefind reads carries them beside the word
(search_copy.py). Words Voikko does not know stay whole.
"""

from __future__ import annotations

import re

# What a machine without Voikko lacks: the library and its Finnish dictionary.
DEBIAN_PACKAGES = ("libvoikko1", "voikko-fi")

# One piece of Voikko's WORDBASES: "+surface(base)", or "+surface" for a
# linking piece; a base that starts with "+" marks a derivational ending.
PIECE = re.compile(r"\+([^+(]+)(?:\(([^)]*)\))?")


class VoikkoMissing(SystemExit):
    """Without Voikko the index would not know compounds: the build stops
    and names the packages, rather than ship a search that finds less."""

    def __init__(self, reason: str):
        super().__init__(
            f"Search index failed: Voikko cannot split Finnish compounds ({reason}). "
            f"Fix: install the Debian packages {' and '.join(DEBIAN_PACKAGES)} "
            "(./dev.sh installs them), or set SEARCH_INDEX = False")


def open_voikko(language: str = "fi"):
    """A Voikko analyser, or VoikkoMissing saying what is missing."""
    try:
        import libvoikko
    except ImportError as error:
        raise VoikkoMissing(f"the Python binding libvoikko is not installed: {error}") from None
    try:
        # Loads the library without making an analyser, which would leave
        # a half-made object to complain when it is collected.
        libvoikko.Voikko.listDicts()
        return libvoikko.Voikko(language)
    except (OSError, libvoikko.VoikkoException) as error:
        raise VoikkoMissing(str(error)) from None


def voikko_version() -> str:
    """The library's version and its dictionaries, which decide every split."""
    import libvoikko
    return repr((libvoikko.Voikko.getVersion(),
                 [(found.language, found.variant, found.description)
                  for found in libvoikko.Voikko.listDicts()]))


def parts_of(wordbases: str) -> list[str]:
    """The parts of one Voikko analysis, as they are spelled in the base
    form and in lower case: "+asiakas(asiakas)+palvel(palvella)+u(+u)" gives
    asiakas, palvelu, and a lexicalised "+anteeksipyyntö(anteeksi=pyyntö)"
    gives anteeksi, pyyntö. Endings and linking pieces join the part before."""
    parts: list[str] = []
    for surface, base in PIECE.findall(wordbases):
        surface = surface.lower()
        if not surface.isalpha():
            continue
        if parts and (not base or base.startswith("+")):
            parts[-1] += surface
        elif "=" in base and base.replace("=", "").lower() == surface:
            parts += base.lower().split("=")
        else:
            parts.append(surface)
    return parts


def part_starts(structure: str) -> list[int]:
    """Where in the word Voikko's STRUCTURE ("=ppppp=pppppppp") begins a
    part after the first: each "=" marks a part, every other character is
    a letter of the word."""
    starts, letters = [], 0
    for mark in structure:
        if mark == "=":
            if letters:
                starts.append(letters)
        else:
            letters += 1
    return starts


class Splitter:
    """Splits words with one Voikko instance, remembering each answer:
    a site uses the same words over and over."""

    def __init__(self, language: str = "fi"):
        self.voikko = open_voikko(language)
        # word: (its readings' parts, where in the word its parts begin)
        self.known: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]] = {}

    def split(self, word: str) -> tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]:
        """Voikko's readings of `word` that make it a compound, those with
        the fewest parts ("verkkosivuilta" is verkko + sivu, not verkko + sivu
        + ilta): each reading's parts in base form, and where in `word` the
        second and later parts begin."""
        found = self.known.get(word)
        if found is None:
            analyses = [(analysis["STRUCTURE"], analysis.get("WORDBASES", ""))
                        for analysis in self.voikko.analyze(word) if "STRUCTURE" in analysis]
            fewest = min((count for structure, _ in analyses
                          if (count := structure.count("=")) > 1), default=0)
            readings: tuple[tuple[str, ...], ...] = ()
            starts: set[int] = set()
            for structure, wordbases in analyses:
                parts = tuple(parts_of(wordbases)) if structure.count("=") == fewest else ()
                if len(parts) > 1:
                    readings += (parts,) if parts not in readings else ()
                    starts |= set(part_starts(structure))
            found = self.known[word] = readings, tuple(sorted(starts))
        return found

    def readings(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The parts of each reading ("lahjakortilla": (lahja, kortti),);
        () for a word that is not a compound or that Voikko does not know."""
        return self.split(word)[0]

    def parts(self, word: str) -> tuple[str, ...]:
        """Every part of every reading, each once."""
        return tuple(dict.fromkeys(part for split in self.readings(word) for part in split))

    def tails(self, word: str) -> tuple[str, ...]:
        """The compound without its first part, without its first two, and
        so on, in base form and as written: "tietosuojaviranomaiselta" gives
        suojaviranomainen, viranomainen, omainen, suojaviranomaiselta,
        viranomaiselta, omaiselta. Pagefind finds a word by its beginning,
        so these find the compound by any of its parts or of their runs, in
        the form a reader types or the one the text has (a stemmer cannot
        tell "kortilla" is "kortti")."""
        readings, starts = self.split(word)
        base = ("".join(parts[start:]) for parts in readings for start in range(1, len(parts)))
        written = (word[start:].lower() for start in starts)
        return tuple(dict.fromkeys(tail for tail in (*base, *written)))

    def close(self) -> None:
        self.voikko.terminate()
