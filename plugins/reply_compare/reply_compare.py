"""Reply comparisons in every Markdown file, and a flag for the theme.

Authors need no configuration: the Markdown extension is added on
`initialized`, like pelican-plugins' linkclass does, and speaks the
interface language of the theme (THEME_LANG).
"""

from pelican import signals

from hyva.translations import interface

from .extension import ReplyCompareExtension, labels

MARKER = 'class="reply-compare"'


def add_extension(pelican) -> None:
    extensions = pelican.settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(ext, ReplyCompareExtension) for ext in extensions):
        extensions.append(ReplyCompareExtension(
            labels=labels(interface(pelican.settings).gettext)))


def flag_comparison(content) -> None:
    """`has_comparison`: only pages that hold a comparison load its styles."""
    content.has_comparison = MARKER in (content._content or "")


def register() -> None:
    signals.initialized.connect(add_extension)
    signals.content_object_init.connect(flag_comparison)
