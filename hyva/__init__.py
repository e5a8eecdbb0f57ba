"""The shared core of Hyvä vastaus.

Pelican plugins (`plugins/`) and maintainer tools (`hyva_tools/`) both
import from here, never from each other: where cases and comments live and
what a case's slug is (`cases`), the facets (`facets`), the comment file
(`commentfile`), personal data (`privacy`), the interface catalogues
(`translations`), content errors (`errors`), the project's own signals
(`signals`) and plugin settings (`settings`). The core imports neither.
"""
