"""Settings for building Hyvä vastaus locally (`invoke build`, `invoke serve`).

`publishconf.py` imports everything here and overrides what differs on the
public site. Every setting of our own plugins is documented where it is set.
"""

from urllib.parse import urlsplit

from hyva.translations import N_

SITENAME = "Hyvä vastaus"
SITESUBTITLE = "Asiakaspalvelun tapauksia: huono vastaus, hyvä vastaus ja miksi"
AUTHOR = "Hyvä vastaus -toimitus"
# Where the built site is served locally; canonical URLs and feeds use it.
SITEURL = "http://127.0.0.1:8000"
# Pages link relatively, so a build opens from any folder or port.
RELATIVE_URLS = True
# Absolute origin for canonical links, feeds and JSON-LD (RELATIVE_URLS
# rewrites SITEURL per page, this one stays absolute).
SITE_ORIGIN = SITEURL
FEED_DOMAIN = SITEURL
# Root-relative prefix for pages served at any depth (the 404 page).
SITE_PATH = urlsplit(SITEURL).path.rstrip("/")

PATH = "content"
ARTICLE_PATHS = ["cases"]
PAGE_PATHS = ["pages"]
# Files copied as they are (none yet: images would go in content/images/).
STATIC_PATHS = ["images"]
THEME = "theme"
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = True

TIMEZONE = "Europe/Helsinki"
DEFAULT_LANG = "fi"
# Interface language of the theme: a catalogue in theme/translations/<lang>/.
THEME_LANG = "fi"
# Babel date style shown to readers: "long" is "16. toukokuuta 2014" in
# Finnish and "May 16, 2014" in English, with no OS locale needed.
DATE_STYLE = "long"

# The published contact address: the only address allowed in the output.
CONTACT_EMAIL = "toimitus@hyvavastaus.fi"
# Readers send comments here; the subject names the case.
COMMENTS_EMAIL = "kommentit@hyvavastaus.fi"

# Finnish URLs. Slugs drop diacritics: "sähköposti" -> "sahkoposti".
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "avainsana/{slug}/"
TAG_SAVE_AS = "avainsana/{slug}/index.html"
TAGS_URL = "avainsanat/"
TAGS_SAVE_AS = "avainsanat/index.html"
CATEGORY_URL = "aihe/{slug}/"
CATEGORY_SAVE_AS = "aihe/{slug}/index.html"
CATEGORIES_URL = "aiheet/"
CATEGORIES_SAVE_AS = "aiheet/index.html"
ARCHIVES_URL = "arkisto/"
ARCHIVES_SAVE_AS = "arkisto/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# The overview of case counts in charts (plugins/facet_charts).
CHARTS_URL = "tilastot/"
CHARTS_SAVE_AS = "tilastot/index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "404", "charts"]
# theme/templates/robots.txt, rendered so that it names the sitemap at SITE_ORIGIN.
TEMPLATE_PAGES = {"robots.txt": "robots.txt"}
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "facet": None}
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/sivu/{number}/", "{base_name}/sivu/{number}/index.html"),
)
INDEX_SAVE_AS = "index.html"
SLUGIFY_SOURCE = "basename"

# Feeds: full content, site-wide, per tag and per category, Atom and RSS.
FEED_ALL_ATOM = "feeds/kaikki.atom.xml"
FEED_ALL_RSS = "feeds/kaikki.rss.xml"
TAG_FEED_ATOM = "feeds/avainsana/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/avainsana/{slug}.rss.xml"
CATEGORY_FEED_ATOM = "feeds/aihe/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/aihe/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50

# Case facets, the only list of them (hyva/facets.py): for each metadata
# field, its name and listing title (msgids of the theme catalogue, marked
# with N_ for pybabel and shown translated), the URL folder of its listing
# pages, whether every case must name it (required), whether a case may
# name several values (multiple), and the allowed values. A value outside
# the list fails the build with a hint.
CASE_FACETS = {
    "channel": {
        "label": N_("Channel"),
        "title": N_("Cases by channel"),
        "url": "kanava",
        "required": True,
        "multiple": True,
        "values": [
            "sähköposti", "puhelin", "verkkolomake", "myymälä", "chat",
            "kirje", "some", "uutiskirje",
        ],
    },
    "sector": {
        "label": N_("Sector"),
        "title": N_("Cases by sector"),
        "url": "toimiala",
        "required": True,
        "multiple": True,
        "values": [
            "tele", "verkkokauppa", "muutto", "ravintola", "vähittäiskauppa",
            "pankki", "vakuutus", "julkinen", "koulutus", "matkailu",
            "energia", "terveys", "media", "laskutus",
        ],
    },
    "outcome": {
        "label": N_("Outcome"),
        "title": N_("Cases by outcome"),
        "url": "lopputulos",
        "required": True,
        "multiple": False,
        "values": ["hyvä", "huono", "korjattu"],
    },
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        # Its title, like the footnotes' words, comes from the theme catalogue
        # (plugins/theme_locale).
        "markdown.extensions.toc": {"toc_depth": "2-3"},
    },
    "output_format": "html5",
}

# Each plugin is independent of the others: their order does not matter.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "build_errors",
    "theme_locale",
    "case_metadata",
    "reply_compare",
    "comments",
    "reader_extras",
    "search_index",
    "reader_cache",
    "feed_links",
    "facet_charts",
    "phrasebook",
    "personal_data",
    "pelican.plugins.sitemap",
]
# Pelican's own rule for files that are never content, applied to file
# names: dot files (an unfinished write, an Emacs lock `.#case.md`) and
# editor backups (`case.md~`, `#case.md#`).
IGNORE_FILES = [".*", "*~", "#*#"]


# auto_reload off: a build compiles each template once, and Jinja would
# otherwise stat the template file on every include. The preview server
# rebuilds from scratch when a template changes, so it never needs Jinja to
# notice.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "auto_reload": False}

# --- Comments (plugins/comments) ---
# Approved comments, one file each, in <PATH>/<COMMENTS_PATH>/<case-slug>/;
# written by `invoke import-comments`, read into the case pages. A missing
# folder just means no comments yet.
COMMENTS_PATH = "comments"
# Atom feeds of comments: one per case, and the latest of the whole site
# (FEED_MAX_ITEMS of them). Set either to None to leave it out.
COMMENT_FEED_ATOM = "feeds/kommentit/{slug}.atom.xml"
COMMENT_FEED_ALL_ATOM = "feeds/kommentit.atom.xml"
# Senders whose comments are the blog's own replies: `invoke import-comments`
# marks them `Role: author` (the page labels them). Compared case-insensitively;
# never written to content/ or the output.
COMMENT_AUTHOR_ADDRESSES = ["toimitus@hyvavastaus.fi"]
# ...and only when their mail carries this header ("Name: value"), which the
# blog's own mail server adds to mail its editors send (a From: line alone
# can be forged by anyone). None: no comment gets Role: author.
COMMENT_AUTHOR_HEADER = "X-Hyva-Sender: toimitus"

# --- Personal data (plugins/personal_data, hyva/identifiers.py) ---
# Henkilötunnus, phone numbers, IBANs and card numbers published on
# purpose: each value as written -> why it may be published, e.g.
#   "09 123 4567": "the blog's own customer-service line, on the about page",
# `invoke check` fails on any other one in the output; the build warns (or,
# with "fail", stops) at every one in a case's or page's source.
PERSONAL_DATA_ALLOWED = {}
# What a build does when a case or page holds one: "warn" with file and
# line here, "fail" in publishconf.py.
PERSONAL_DATA_IN_SOURCES = "warn"

# --- Reader extras: related cases, SEO metadata, reading time (plugins/reader_extras) ---
# Reading speed for "Reading time": Finnish words are long, so fewer per
# minute than the usual English estimate of 200-250.
READING_WORDS_PER_MINUTE = 160
# A table of contents is shown only for long cases: at least this many
# minutes to read and this many h2/h3 headings.
TOC_MIN_MINUTES = 3
TOC_MIN_HEADINGS = 3
# At most this many related cases (sharing tags or facet values) per case.
RELATED_CASES_MAX = 3
# OpenGraph locale of the pages (og:locale).
OG_LOCALE = "fi_FI"
# sitemap.xml by the maintained pelican-sitemap plugin; the 404 page is
# left out.
SITEMAP = {
    "format": "xml",
    "exclude": [r"^404\.html$", r"^robots\.txt$"],
    "changefreqs": {"articles": "monthly", "pages": "monthly", "indexes": "weekly"},
}

# --- Search (plugins/search_index) ---
# Run Pagefind over the output after each build, writing <output>/pagefind/
# for the search page (content/pages/haku.md). Turn off for builds that need
# no search, e.g. benchmarks. With CACHE_CONTENT on, Pagefind's bundle is
# also kept in CACHE_PATH, so the next build writes only the index files that
# changed (LOAD_CONTENT_CACHE = False, i.e. --ignore-cache, starts it afresh).
SEARCH_INDEX = True
# Parts of a case page left out of the search text (filters in them still
# count): the facts list would otherwise fill every result excerpt.
SEARCH_EXCLUDE_SELECTORS = [".case-facts"]

# --- Preview and speed ---
# Markdown is read once per changed file: later builds take each unchanged
# case from Pelican's reader cache, kept beside the content folder in
# cache/<folder>-<digest>/ and renewed whenever a plugin, a settings file or
# a Markdown library changes (plugins/reader_cache). The output
# is byte-identical with or without it (tests/test_output_identical.py).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"

# --- Reply patterns and the phrasebook (hyva/patterns.py, plugins/phrasebook) ---
# What an annotated phrase does, the only list of them. A note names its
# patterns at its end: {>>Läksyttää asiakasta. #syyllistäminen<<}. Each
# entry: `name` and `description` (one paragraph: what the pattern is and
# why it fails or works; content, in Finnish), `kind` ("fault" or
# "strength"; the note's label follows it) and, optionally, `opposite`: the
# key of the pattern of the other kind, which names this one back. A key
# that is not here stops the build; its page is <PHRASEBOOK_URL>/<slug>/.
REPLY_PATTERNS = {
    "syyllistäminen": {
        "name": "Syyllistäminen",
        "kind": "fault",
        "description": "Vastaus panee asiakkaan syyksi asian, joka johtui yrityksestä, tai "
                       "neuvoo häntä kuin huolimatonta lasta. Vaikka hyvitys tulisi, asiakas "
                       "muistaa nuhteen, ja luottamus kärsii enemmän kuin virhe itse.",
        "opposite": "vastuunotto",
    },
    "vastuunotto": {
        "name": "Vastuunotto",
        "kind": "strength",
        "description": "Yritys sanoo suoraan, mikä meni sen omissa toimissa vikaan. Kun "
                       "vastuu on selvä heti alussa, asiakkaan ei tarvitse todistella "
                       "eikä puolustautua, ja keskustelu siirtyy ratkaisuun.",
        "opposite": "syyllistäminen",
    },
    "pahoittelun-välttely": {
        "name": "Pahoittelun välttely",
        "kind": "fault",
        "description": "Pahoittelu puuttuu, hukkuu selitysten sekaan tai koskee asiakkaan "
                       "tunnetta eikä yrityksen tekoa (”pahoittelemme, jos koit”). Asiakas "
                       "kuulee, ettei kukaan myönnä mitään.",
        "opposite": "aito-pahoittelu",
    },
    "aito-pahoittelu": {
        "name": "Aito pahoittelu",
        "kind": "strength",
        "description": "Pahoittelu nimeää teon, joka meni vikaan, ja sen haitan, jonka "
                       "asiakas koki. Se ei ehdollista eikä vähättele, joten se kuulostaa "
                       "tarkoitetulta.",
        "opposite": "pahoittelun-välttely",
    },
    "selittely": {
        "name": "Selittely",
        "kind": "fault",
        "description": "Vastaus selittää, miksi asia meni niin kuin meni: järjestelmä, "
                       "kiire tai käytäntö. Selitys kuulostaa puolustukselta, varsinkin kun "
                       "se ei sovi siihen, mitä asiakas kertoi.",
        "opposite": "syyn-korjaus",
    },
    "syyn-korjaus": {
        "name": "Syyn korjaus",
        "kind": "strength",
        "description": "Selityksen sijaan yritys kertoo, minkä se korjasi, jotta sama ei "
                       "toistu. Asiakas näkee, että hänen viestinsä muutti jotain.",
        "opposite": "selittely",
    },
    "tyhjä-lupaus": {
        "name": "Tyhjä lupaus",
        "kind": "fault",
        "description": "Palaute on ”kirjattu” tai ”arvokasta”, mutta kukaan ei kerro, kuka "
                       "sen lukee, mitä sille tehdään ja milloin. Lupaus ilman sisältöä "
                       "kertoo asiakkaalle, että viesti katoaa.",
        "opposite": "kerrottu-seuraus",
    },
    "kerrottu-seuraus": {
        "name": "Kerrottu seuraus",
        "kind": "strength",
        "description": "Vastaus kertoo, minne viesti meni ja mitä sille tapahtuu, tai "
                       "milloin asiakas saa vastauksen. Konkreettinen tieto tekee "
                       "kiitoksesta ja lupauksesta uskottavan.",
        "opposite": "tyhjä-lupaus",
    },
    "kaavavastaus": {
        "name": "Kaavavastaus",
        "kind": "fault",
        "description": "Valmis fraasi tai ohje, joka ei liity asiakkaan viestiin: jono, "
                       "lomake, yleinen neuvontanumero tai väite, ettei tapausta tunneta. "
                       "Asiakas päättelee, ettei hänen viestiään luettu.",
        "opposite": "asiakkaan-asia",
    },
    "asiakkaan-asia": {
        "name": "Asiakkaan oma asia",
        "kind": "strength",
        "description": "Vastaus tarttuu siihen, mitä asiakas itse kirjoitti: hänen "
                       "havaintoonsa, perusteluunsa tai kysymykseensä. Se on paras todiste "
                       "siitä, että viesti luettiin.",
        "opposite": "kaavavastaus",
    },
    "oven-sulkeminen": {
        "name": "Oven sulkeminen",
        "kind": "fault",
        "description": "Viesti kertoo jo alussa, ettei siihen voi vastata tai ettei "
                       "yritys vastaa. Asiakas jää yksin, eikä ystävällinen sävy muuta sitä.",
        "opposite": "henkilökohtainen-vastaus",
    },
    "henkilökohtainen-vastaus": {
        "name": "Henkilökohtainen vastaus",
        "kind": "strength",
        "description": "Yritys kertoo asiakkaalle itse ja lupaa ihmisen vastauksen, ja "
                       "asiakas saa päättää, haluaako keskustelun. Ovi jää auki.",
        "opposite": "oven-sulkeminen",
    },
    "nihkeä-hyvitys": {
        "name": "Nihkeä hyvitys",
        "kind": "fault",
        "description": "Hyvitys annetaan armonosoituksena (”tällä kertaa”) tai perutaan "
                       "jälkikäteen. Silloin se ei korjaa mitään, vaan muistuttaa, kuka "
                       "päättää.",
        "opposite": "reilu-hyvitys",
    },
    "reilu-hyvitys": {
        "name": "Reilu hyvitys",
        "kind": "strength",
        "description": "Hyvitys tulee pyytämättä, on mitoitettu haitan mukaan ja pysyy "
                       "voimassa. Asiakkaan ei tarvitse vaatia eikä kiittää.",
        "opposite": "nihkeä-hyvitys",
    },
    "kiitos-asiakkaalle": {
        "name": "Kiitos asiakkaalle",
        "kind": "strength",
        "description": "Vastaus kiittää asiakasta jostakin, minkä hän teki: viestistä, "
                       "tarkoista tiedoista tai moitteesta. Kiitos kertoo, että palaute on "
                       "apua eikä vaiva.",
    },
    "lämmin-lopetus": {
        "name": "Lämmin lopetus",
        "kind": "strength",
        "description": "Lyhyt, asiakkaan tilanteeseen sopiva lopputoivotus ilman "
                       "myyntipuhetta. Se toimii vain, kun vastaus muuten on kunnossa.",
    },
}
# The phrasebook's folder: <PHRASEBOOK_URL>/ lists the patterns, and each
# pattern's phrases are at <PHRASEBOOK_URL>/<slug>/ (slugs drop diacritics).
PHRASEBOOK_URL = "fraasit"
# Atom feed per pattern of the cases that add phrases to it (None: none).
PHRASEBOOK_FEED_ATOM = "feeds/fraasit/{slug}.atom.xml"
