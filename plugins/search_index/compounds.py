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


class Splitter:
    """Splits words with one Voikko instance, remembering each answer:
    a site uses the same words over and over."""

    def __init__(self, language: str = "fi"):
        self.voikko = open_voikko(language)
        self.known: dict[str, tuple[tuple[str, ...], ...]] = {}

    def readings(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The ways Voikko splits `word`, each as its parts in base form
        ("lahjakortilla": (lahja, kortti)); () for a word that is not a
        compound or that Voikko does not know. Of the readings that make it
        a compound, those with the fewest parts: "verkkosivuilta" is verkko +
        sivu, not verkko + sivu + ilta."""
        found = self.known.get(word)
        if found is None:
            analyses = [(analysis["STRUCTURE"].count("="), analysis.get("WORDBASES", ""))
                        for analysis in self.voikko.analyze(word) if "STRUCTURE" in analysis]
            fewest = min((count for count, _ in analyses if count > 1), default=0)
            found = ()
            for count, wordbases in analyses:
                split = tuple(parts_of(wordbases)) if count == fewest else ()
                if len(split) > 1 and split not in found:
                    found += (split,)
            self.known[word] = found
        return found

    def parts(self, word: str) -> tuple[str, ...]:
        """Every part of every reading, each once."""
        return tuple(dict.fromkeys(part for split in self.readings(word) for part in split))

    def tails(self, word: str) -> tuple[str, ...]:
        """The compound without its first part, without its first two, and
        so on: "tietosuojaviranomaiselta" gives suojaviranomainen,
        viranomainen, omainen. Pagefind finds a word by its beginning, so
        these find the compound by any of its parts or of their runs."""
        return tuple(dict.fromkeys("".join(split[start:]) for split in self.readings(word)
                                   for start in range(1, len(split))))

    def close(self) -> None:
        self.voikko.terminate()
