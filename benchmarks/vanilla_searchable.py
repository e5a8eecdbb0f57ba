"""The anchor: what a Pelican user runs for a searchable blog.

Default theme and no plugins, with the listing job our site does: the
content cache on, pagination by 10, `/slug/` URLs, Atom and RSS site-wide,
per tag and per category, with full content. Pagefind then indexes the
output (bench_build.py runs both as one command).
"""

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
DEFAULT_PAGINATION = 10
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
RSS_FEED_SUMMARY_ONLY = False
TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "fi"
