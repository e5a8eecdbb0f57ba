"""Reply comparisons in every Markdown file, and a flag for the theme.

Authors need no configuration: the Markdown extension is added on
`initialized`, like pelican-plugins' linkclass does, and speaks the
interface language of the theme (THEME_LANG). A note's `#pattern` tags
name entries of REPLY_PATTERNS (hyva/patterns.py); each case keeps its
phrases in its metadata (`hyva.patterns.PHRASES`) for the phrasebook.
"""

from pelican import signals

from hyva import patterns
from hyva import signals as hyva_signals
from hyva.settings import settle
from hyva.translations import interface

from .extension import ReplyCompareExtension, labels

MARKER = 'class="reply-compare"'


def add_extension(pelican) -> None:
    settings = pelican.settings
    settle(settings, patterns.SETTINGS)
    extensions = settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(ext, ReplyCompareExtension) for ext in extensions):
        extensions.append(ReplyCompareExtension(
            labels=labels(interface(settings).gettext),
            patterns=patterns.known_patterns(settings), site=settings["SITE_ORIGIN"]))


def flag_comparison(content) -> None:
    """`has_comparison`: only pages that hold a comparison load its styles."""
    content.has_comparison = MARKER in (content._content or "")


def keep_phrases(md, content: str) -> dict:
    """The converted case's phrases, into its metadata."""
    return {patterns.PHRASES: list(getattr(md, "reply_phrases", []))}


def register() -> None:
    signals.initialized.connect(add_extension)
    signals.content_object_init.connect(flag_comparison)
    hyva_signals.case_converted.connect(keep_phrases)
