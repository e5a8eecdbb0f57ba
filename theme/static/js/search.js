// The search page's only script. The form and its filter checkboxes come
// from the template (in the site's language); this asks Pagefind's JS API
// for the matching cases and lists them. Without JavaScript the form is
// hidden and the page offers the tag and facet listings instead.
const form = document.querySelector(".search");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const filterSummary = form.querySelector(".search-filters-count");
const pagefindUrl = new URL("pagefind.js", new URL(form.dataset.bundle, document.baseURI)).href;

// Marks in the text Pagefind indexed (plugins/search_index/search_copy.py):
// the parts of a compound, added after it, and headings, left out of excerpts.
const PARTS_OPEN = "\u2e22", PARTS_CLOSE = "\u2e23";
const HIDDEN_OPEN = "\u2e24", HIDDEN_CLOSE = "\u2e25";
// Shorter on a narrow screen, so that the first result fits on it.
const EXCERPT_WORDS = matchMedia("(min-width: 40rem)").matches ? 30 : 16;
const LEAD_WORDS = 6;

// Pagefind ANDs filter keys and ORs the values listed under `any`.
function chosenFilters() {
  const filters = {};
  for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ??= { any: [] }).any.push(box.value);
  }
  return filters;
}

function countText(count, none, one, many) {
  const text = count === 0 ? none : count === 1 ? one : many;
  return text.replace("{count}", count);
}

function showFilterCount() {
  const count = form.querySelectorAll("input[type=checkbox]:checked").length;
  const { filtersNone, filtersOne, filtersMany } = form.dataset;
  filterSummary.textContent = countText(count, filtersNone, filtersOne, filtersMany);
}

// The page's words as readers see them, and for each word Pagefind counted
// (its locations), the word to highlight: a compound's parts point to the
// compound, a heading's words to none (-1).
function readableWords(content) {
  const words = [];
  const shownAs = [];
  let mode = "text";
  let afterParts = false;
  for (const token of content.split(" ")) {
    // Punctuation Pagefind parted from its word by the parts between them.
    if (afterParts && !/[\p{L}\p{N}\u2e22-\u2e25]/u.test(token)) {
      words[words.length - 1] += token;
      shownAs.push(-1);
      continue;
    }
    const startsInText = mode === "text";
    let visible = "";
    let inParts = mode === "parts";
    let inHidden = mode === "hidden";
    let leadingText = true;
    for (const char of token) {
      // A heading's compounds have their parts too: hidden all the same.
      if (mode === "hidden" && char !== HIDDEN_CLOSE) continue;
      if (char === PARTS_OPEN) { mode = "parts"; inParts = true; }
      else if (char === HIDDEN_OPEN) { mode = "hidden"; inHidden = true; }
      else if (char === PARTS_CLOSE || char === HIDDEN_CLOSE) mode = "text";
      else if (mode === "text") { visible += char; continue; }
      if (!visible) leadingText = false;
    }
    if (visible && startsInText && leadingText) words.push(visible);
    else if (visible && !inHidden && words.length) words[words.length - 1] += visible;
    shownAs.push(inParts || (visible && !inHidden) ? words.length - 1 : -1);
    afterParts = inParts && mode === "text";
  }
  return { words, shownAs };
}

// Text from Pagefind's escaped page text; parsed inertly, never run.
function decoded(text) {
  return new DOMParser().parseFromString(text, "text/html").documentElement.textContent;
}

// The run of EXCERPT_WORDS words where the matches weigh most, with the
// matched words (or the compounds whose parts matched) in <mark>.
function excerpt(data) {
  const { words, shownAs } = readableWords(data.content);
  const weight = new Array(words.length).fill(0);
  for (const { location, weight: w } of data.weighted_locations) {
    const word = shownAs[location];
    if (word >= 0) weight[word] += w;
  }
  let start = 0;
  let best = 0;
  let sum = 0;
  for (let i = 0; i < words.length; i++) {
    sum += weight[i] - (i >= EXCERPT_WORDS ? weight[i - EXCERPT_WORDS] : 0);
    if (sum > best) {
      best = sum;
      start = Math.max(0, i - EXCERPT_WORDS + 1);
    }
  }
  // A few words of context before the first match, not a whole run.
  const first = weight.findIndex((w, i) => i >= start && w > 0);
  if (first > start + LEAD_WORDS) start = first - LEAD_WORDS;
  const end = Math.min(words.length, start + EXCERPT_WORDS);
  const paragraph = document.createElement("p");
  if (start > 0) paragraph.append("… ");
  for (let i = start; i < end; i++) {
    const text = decoded(words[i]);
    if (weight[i] > 0) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      paragraph.append(mark);
    } else {
      paragraph.append(text);
    }
    if (i < end - 1) paragraph.append(" ");
  }
  if (end < words.length) paragraph.append(" …");
  return paragraph;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = decoded(data.meta.title);
  heading.append(link);
  item.append(heading, excerpt(data));
  return item;
}

let latest = 0; // only the newest search may fill the list

async function update() {
  const current = ++latest;
  const term = form.q.value.trim();
  const filters = chosenFilters();
  showFilterCount();
  if (!term && Object.keys(filters).length === 0) {
    list.replaceChildren();
    list.removeAttribute("aria-busy");
    status.textContent = "";
    return;
  }
  // Imported on the first search rather than with the page; later imports reuse it.
  const pagefind = await import(pagefindUrl);
  const search = await pagefind.search(term || null, { filters });
  if (current !== latest) return;
  const results = await Promise.all(search.results.map((result) => result.data()));
  if (current !== latest) return;
  list.replaceChildren(...results.map(resultItem));
  list.removeAttribute("aria-busy");
  const { none, one, many } = form.dataset;
  status.textContent = countText(results.length, none, one, many);
}

// Search once typing pauses, not on every key. The list is marked busy
// from the first change until the newest search has filled it; a search
// still running when the reader changes the form may no longer fill it.
let pause;
form.addEventListener("input", () => {
  latest++;
  list.setAttribute("aria-busy", "true");
  showFilterCount();
  clearTimeout(pause);
  pause = setTimeout(update, 250);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  update();
});
form.q.value = new URLSearchParams(location.search).get("q") ?? form.q.value;
update();
