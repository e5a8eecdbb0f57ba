"""The case page read where readers read it, in real Chromium: forced colours
(contrast themes) light and dark, print from a light or dark screen, line
lengths of the replies at common widths, the lead on a phone, and the
smaller points of the theme. Screenshots of a case with three replies go to
test-artifacts/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
AA = 4.5

# For each element matching the selector: its text colour, the colour behind
# it (the first ancestor with a background that is not transparent) and a
# sample of its text.
COLOURS = """selector => [...document.querySelectorAll(selector)]
  .filter(node => node.textContent.trim() && node.checkVisibility())
  .map(node => {
    let behind = node;
    while (behind && getComputedStyle(behind).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/))
      behind = behind.parentElement;
    return {text: node.textContent.trim().slice(0, 40), color: getComputedStyle(node).color,
            background: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)'};
  })"""


def channels(colour: str) -> tuple[float, ...]:
    values = [float(value) for value in re.findall(r"[\d.]+", colour)]
    return tuple(values[:3])


def luminance(colour: str) -> float:
    def linear(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(value) for value in channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast(page, selectors: list[str], paper: str | None = None) -> list[str]:
    """Every element of `selectors` whose text is below AA against what is
    behind it (and against `paper`, when given)."""
    found = []
    for selector in selectors:
        nodes = page.evaluate(COLOURS, selector)
        assert nodes, selector
        for node in nodes:
            for background in filter(None, (node["background"], paper)):
                ratio = contrast(node["color"], background)
                if ratio < AA:
                    found.append(f"{selector} {node['text']!r}: {node['color']} on "
                                 f"{background} is {ratio:.2f}:1")
    return found


@pytest.fixture(scope="module")
def cases(site) -> list[str]:
    return [a["href"] for a in site.soup("").select(".case-list h2 a")]


@pytest.fixture(scope="module")
def three_replies(site, cases) -> str:
    """A real case whose comparison has three replies."""
    for case in cases:
        if len(site.soup(case).select(".reply-compare-replies > .reply")) >= 3:
            return case
    pytest.fail("no case has a comparison of three replies")


def open_page(browser, url: str, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    return context, page


PHRASE_PARTS = ["mark.reply-annotation", "mark.reply-annotation *"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_forced_colours_keep_every_phrase_and_note_readable(browser, served_site, cases, scheme):
    for case in cases:
        context, page = open_page(browser, f"{served_site}/{case}", forced_colors="active",
                                  color_scheme=scheme)
        try:
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
            selectors = PHRASE_PARTS + [".note-kind", ".reply-verdict", ".reply-notes a",
                                        ".reply-title"]
            if page.locator("mark.reply-annotation *").count() == 0:
                selectors.remove("mark.reply-annotation *")
            assert low_contrast(page, selectors) == [], case
        finally:
            context.close()


PRINTED = [".case-body p", ".case-lead", ".case-facts", ".reply-verdict", ".note-kind",
           ".reply-notes li", "mark.reply-annotation"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printing_from_either_scheme_gives_dark_text_on_paper(page, served_site, three_replies,
                                                              scheme):
    page.goto(f"{served_site}/{three_replies}")
    page.emulate_media(media="print", color_scheme=scheme)
    assert page.evaluate("matchMedia('print').matches")
    selectors = PRINTED + [".edit-label", ".reply-edit del", ".reply-edit ins"]
    assert low_contrast(page, selectors, paper="rgb(255, 255, 255)") == []


# Characters on each full line of a reply's paragraphs (a paragraph's last
# line is left out: it may be short).
# Characters on each full line of a reply's paragraphs and notes: a line
# ends where the next character stands left of the one before. A block's
# last line is left out (it may be short), as is visually hidden text.
LINE_LENGTHS = """() => [...document.querySelectorAll('.reply blockquote p, .reply-notes li')]
  .flatMap(block => {
    const counts = [0];
    let previous = null;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
      const text = walker.currentNode;
      if (!text.parentElement.checkVisibility() || text.parentElement.closest('.visually-hidden'))
        continue;
      for (let i = 0; i < text.length; i++) {
        range.setStart(text, i); range.setEnd(text, i + 1);
        const box = range.getClientRects()[0];
        if (!box || !box.width) continue;
        if (previous && box.left < previous.left - 1 && box.top > previous.top) counts.push(0);
        counts[counts.length - 1] += 1;
        previous = box;
      }
    }
    return counts.slice(0, -1);
  })"""


@pytest.mark.parametrize("width", [900, 1280, 1600])
def test_replies_keep_a_readable_line_length(browser, served_site, site, cases, width):
    """Side by side only where each reply keeps about 45 characters a line;
    stacked, no longer than the text measure."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for case in cases:
            if not site.soup(case).select(".reply-compare"):
                continue
            page.goto(f"{served_site}/{case}")
            lengths = sorted(page.evaluate(LINE_LENGTHS))
            assert len(lengths) >= 3, case
            median, tenth = lengths[len(lengths) // 2], lengths[len(lengths) // 10]
            assert 45 <= median <= 90 and tenth >= 40, (case, width, lengths)
    finally:
        context.close()


def test_the_lead_is_above_the_fold_on_a_phone(browser, served_site, site, cases):
    for case in cases:
        soup = site.soup(case)
        context, page = open_page(browser, f"{served_site}/{case}",
                                  viewport={"width": 375, "height": 800})
        try:
            lead = page.locator(".case-lead")
            assert lead.inner_text().strip() == soup.select_one(".case-lead").get_text().strip()
            box = lead.bounding_box()
            assert box["y"] + box["height"] <= 800, (case, box)
            outcome = page.locator(".case-outcome").bounding_box()
            assert outcome["y"] + outcome["height"] <= box["y"] + 1, case
        finally:
            context.close()


def test_wrapped_facet_lines_in_listings_start_flush_left(browser, served_site):
    context, page = open_page(browser, f"{served_site}/", viewport={"width": 375, "height": 800})
    try:
        indented = page.evaluate("""() => [...document.querySelectorAll('.case-meta')]
          .flatMap(meta => {
            const left = meta.getBoundingClientRect().left;
            let previousTop = null;
            return [...meta.children].flatMap(child => {
              const box = child.getBoundingClientRect();
              const newLine = previousTop !== null && box.top > previousTop + 2;
              previousTop = box.top;
              return newLine && Math.abs(box.left - left) > 1 ? [child.textContent.trim()] : [];
            });
          })""")
        wrapped = page.evaluate("""() => [...document.querySelectorAll('.case-meta')]
          .some(meta => meta.getBoundingClientRect().height > 40)""")
        assert wrapped and indented == []
    finally:
        context.close()


def test_the_writers_page_fits_a_phone_and_is_out_of_the_main_menu(browser, served_site, site):
    assert not site.soup("").select('nav .site-nav a[href$="kirjoittajille/"]')
    assert site.soup("").select('.site-footer a[href$="kirjoittajille/"]')
    context, page = open_page(browser, f"{served_site}/kirjoittajille/",
                              viewport={"width": 375, "height": 800})
    try:
        assert page.locator("pre").count() > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_the_menu_marks_the_current_page_or_section(site, cases):
    def current(path: str) -> list[tuple[str, str]]:
        return [(a.get_text(strip=True), a["aria-current"])
                for a in site.soup(path).select(".site-nav a[aria-current]")]

    assert current("") == [("Tapaukset", "page")]
    assert current("kanava/") == [("Kanava", "page")]
    assert current("kanava/sahkoposti/") == [("Kanava", "true")]
    assert current("avainsana/savy/") == [("Avainsanat", "true")]
    assert current("tietoa/") == [("Tietoa blogista", "page")]
    assert current(cases[0]) == []


def test_pages_load_the_comparison_and_comment_styles_only_where_used(site):
    for path in site.html_files():
        relative = path.relative_to(site.output).as_posix()
        soup = site.soup(relative)
        styles = {link["href"].rsplit("/", 1)[-1] for link in soup.select('link[rel="stylesheet"]')}
        assert ("compare.css" in styles) == bool(soup.select(".reply-compare")), relative
        assert ("comments.css" in styles) == bool(soup.select(".comments")), relative


def test_related_cases_name_the_facet_of_each_shared_value(site, cases):
    words = ("kanava ", "toimiala ", "lopputulos ", "avainsana ")
    shown = [span.get_text() for case in cases
             for span in site.soup(case).select(".related-shared")]
    assert shown
    for text in shown:
        terms = text.removeprefix("(yhteistä: ").removesuffix(")").split(", ")
        assert all(term.startswith(words) for term in terms), text


def test_listings_carry_no_badge_that_every_case_has(site):
    assert "Sisältää vastausvertailun" not in site.path("index.html").read_text(encoding="utf-8")


MODES = {"light": {"color_scheme": "light"}, "dark": {"color_scheme": "dark"},
         "forced-light": {"color_scheme": "light", "forced_colors": "active"},
         "forced-dark": {"color_scheme": "dark", "forced_colors": "active"}}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", [375, 900, 1280])
def test_three_reply_case_screenshots(browser, served_site, three_replies, width, mode):
    context, page = open_page(browser, f"{served_site}/{three_replies}",
                              viewport={"width": width, "height": 900}, **MODES[mode])
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"three-replies-{width}px-{mode}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
