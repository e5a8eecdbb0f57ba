"""Reply comparisons in every Markdown file, and a flag for listings.

Authors need no configuration: the Markdown extension is added on
`initialized`, like pelican-plugins' linkclass does.
"""

from pelican import signals

from .extension import ReplyCompareExtension

MARKER = 'class="reply-compare"'


def add_extension(pelican) -> None:
    extensions = pelican.settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(ext, ReplyCompareExtension) for ext in extensions):
        labels = pelican.settings.get("REPLY_COMPARE_LABELS", {})
        extensions.append(ReplyCompareExtension(labels=labels))


def flag_comparison(content) -> None:
    """`has_comparison` lets listings badge the cases that hold one."""
    content.has_comparison = MARKER in (content._content or "")


def register() -> None:
    signals.initialized.connect(add_extension)
    signals.content_object_init.connect(flag_comparison)
