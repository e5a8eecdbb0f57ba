"""Every signal of the project's own, declared in one place.

Pelican declares its signals in `pelican.plugins.signals`; these are the
ones our plugins send to each other, so no plugin imports another to hear
what it did. Like Pelican's, they are blinker signals.
"""

from blinker import signal

# A content file holds a mistake an author must fix. Sender: the
# `hyva.errors.ContentError`, already located (`path` and `line` set).
# The build-failure policy (plugins/build_errors) listens.
content_error = signal("hyva_content_error")

# A case's Markdown has just been converted. Sender: the Markdown instance;
# keyword arguments `content` (the HTML) and `metadata` (the reader's dict,
# which receivers may add keys to: they are kept in the reader cache).
# reply_compare adds the case's phrases (hyva.patterns.PHRASES) here.
case_converted = signal("hyva_case_converted")
