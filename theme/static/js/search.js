// The search page's only script. The form and its filter checkboxes come
// from the template (in the site's language); this asks Pagefind's JS API
// for the matching cases and lists them. Without JavaScript the form is
// hidden and the page offers the tag and facet listings instead.
const form = document.querySelector(".search");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const pagefindUrl = new URL("pagefind.js", new URL(form.dataset.bundle, document.baseURI)).href;

// Pagefind ANDs filter keys and ORs the values listed under `any`.
function chosenFilters() {
  const filters = {};
  for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ??= { any: [] }).any.push(box.value);
  }
  return filters;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  heading.append(link);
  const excerpt = document.createElement("p");
  // Pagefind's excerpt is the page's own escaped text with <mark> around hits.
  excerpt.innerHTML = data.excerpt;
  item.append(heading, excerpt);
  return item;
}

function summary(count) {
  const text = count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.many;
  return text.replace("{count}", count);
}

let latest = 0; // only the newest search may fill the list

async function update() {
  const current = ++latest;
  const term = form.q.value.trim();
  const filters = chosenFilters();
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
  status.textContent = summary(results.length);
}

// Search once typing pauses, not on every key. The list is marked busy
// from the first change until the newest search has filled it.
let pause;
form.addEventListener("input", () => {
  list.setAttribute("aria-busy", "true");
  clearTimeout(pause);
  pause = setTimeout(update, 250);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  update();
});
form.q.value = new URLSearchParams(location.search).get("q") ?? form.q.value;
update();
