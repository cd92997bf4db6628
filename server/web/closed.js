// The dashboard's list of recently closed requests (GET /api/v1/requests?state=closed): how each ended,
// who took it and who closed it, and its history (history.js) when opened. It shows the latest SHOWN;
// "Pokaż starsze", there while the API says `more`, appends the next SHOWN (fetched with `before`, the
// last one shown), moves focus to the first of them and says politely how many came (#closed-added).
// It is fetched again as the dashboard connects (requests may have closed while it was away) and whenever
// a request of the office closes. Such a refresh keeps what the user opened by paging: never paged, it
// is the latest SHOWN again (the oldest pushed off the end, as before); once paged, it is every closure
// down to the oldest one shown, so new closures lengthen it at the top and nothing paged to vanishes from
// under the reader's eyes or focus. Signing out forgets the paging. Only the latest fetch's answer is
// shown (a refresh or a page), so an older list never replaces a newer one. Entries are updated in
// place, never rebuilt, so an open history and keyboard focus survive a refresh. Nothing in the list is a
// live region: a closure is not announced (open requests are what staff must hear about).
import { setUpHistory, translateHistory } from './history.js';
import { currentLanguage } from './i18n.js';
import { STRINGS, outcomeName } from './staff_strings.js';

const SHOWN = 20; // the latest closures, and each page more: a shift's worth, kept short below the open queue
const PAGE_MAX = 200; // the API's largest `limit`
const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'pl-PL');
const items = new Map(); // id -> its <li> on screen
let requests = null;     // the list shown, newest first; null before the first answer and after signing out
let more = false;        // the API has closures older than the last shown
let oldest = null;       // once the user paged: the id of the oldest entry shown, which a refresh keeps
let older = null;        // "Pokaż starsze" pressed and its entries not shown yet: { after: the id then last }
let failed = false;      // the latest fetch failed (the list before it stays shown)
let fetches = 0;         // the number of the latest fetch; signing out counts as one, so no answer is late
let refreshing = false;  // the latest fetch is a refresh not answered yet

// "10:32" today, "5.12, 10:32" on another day.
function when(iso) {
  const at = new Date(iso);
  const time = { hour: '2-digit', minute: '2-digit' };
  if (at.toDateString() === new Date().toDateString()) return at.toLocaleTimeString(locale(), time);
  return at.toLocaleString(locale(), { day: 'numeric', month: 'numeric', ...time });
}

function newItem(id) {
  const item = $('closed-template').content.firstElementChild.cloneNode(true);
  item.dataset.id = id;
  item.querySelector('.who').id = `closed-${id}-who`;
  item.querySelector('summary').setAttribute('aria-describedby', `closed-${id}-who`);
  setUpHistory(item.querySelector('details.history'), id);
  return item;
}

// "Zakończone: Oddzwoniono · 10:32 · zamknął(-ęła): Anna · przyjął(-ęła): Anna".
function ending(r, s) {
  const outcome = r.outcome ? `: ${outcomeName(currentLanguage(), r.outcome) ?? r.outcome}` : '';
  const parts = [`${s.state[r.state] ?? r.state}${outcome}`, when(r.closed_at)];
  if (r.closed_by.kind === 'staff') parts.push(`${s.closedBy}: ${r.closed_by.name}`);
  if (r.taken_by) parts.push(`${s.tookIt}: ${r.taken_by.name}`);
  return parts.join(' · ');
}

function fill(item, r, s) {
  const set = (selector, text) => {
    const el = item.querySelector(selector);
    if (el.textContent !== text) el.textContent = text;
  };
  set('.who', r.resident.name);
  set('.meta', `#${r.id} · ${s.via[r.channel] ?? r.channel} · ${r.priority === 'urgent' ? s.urgent : s.normal}`
    + ` · ${s.made} ${when(r.created_at)}`);
  set('.ending', ending(r, s));
  set('.closing-note', r.note ? `${s.note}: ${r.note}` : '');
  item.querySelector('.closing-note').hidden = !r.note;
}

function render() {
  const s = t();
  const list = $('closed-list');
  const shown = requests ?? [];
  const focused = document.activeElement;
  const focusedItem = [...items.values()].find((item) => item.contains(focused));
  const ids = new Set(shown.map((r) => r.id));
  for (const [id, item] of items) {
    if (ids.has(id)) continue;
    item.remove();
    items.delete(id);
  }
  shown.forEach((r, i) => {
    let item = items.get(r.id);
    if (!item) items.set(r.id, item = newItem(r.id));
    fill(item, r, s);
    if (list.children[i] !== item) list.insertBefore(item, list.children[i] ?? null);
  });
  const button = $('closed-more');
  const onButton = focused === button;
  button.hidden = !(requests && more);
  // Focus stays where it was: put back if its entry moved, or on the list's heading if the entry went
  // (pushed past the latest SHOWN) or the button did (nothing older left). After "Pokaż starsze",
  // reveal() places it.
  if (focusedItem && !focusedItem.isConnected) $('closed-title').focus();
  else if (focusedItem && document.activeElement !== focused) focused.focus({ preventScroll: true });
  else if (onButton && button.hidden && !older) $('closed-title').focus();
  const note = failed ? s.closedFailed : requests && !shown.length ? s.closedEmpty : '';
  $('closed-note').textContent = note;
  $('closed-note').hidden = !note;
}

// One page: `{ requests, more }`, or null if it could not be had.
async function fetchPage(limit, before) {
  const after = before === undefined ? '' : `&before=${before}`;
  try {
    const response = await fetch(`/api/v1/requests?state=closed&limit=${limit}${after}`,
      { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) return await response.json();
  } catch { /* unreachable, or not JSON: said as failed */ }
  return null;
}

// The latest closures down to the one with id `through` and `beyond` more past it; the latest SHOWN
// when `through` is null. One missing (deleted meanwhile, after the office's retention period) ends
// the list PAGE_MAX past the length shown. `{ requests, more }`, or null if a page could not be had.
async function latest(through, beyond) {
  const list = [];
  let end = through === null ? SHOWN : (requests?.length ?? 0) + PAGE_MAX;
  let left = true; // the last page said there is more
  while (left && list.length < end) {
    const page = await fetchPage(Math.min(PAGE_MAX, end - list.length), list.at(-1)?.id);
    if (!page) return null;
    for (const r of page.requests) {
      list.push(r);
      if (r.id === through) end = list.length + beyond;
    }
    left = page.more;
  }
  return { requests: list.slice(0, end), more: left || list.length > end };
}

/** Fetches the list again (as far down as the user paged); shown once it answers the latest fetch. */
export async function refreshClosed() {
  const number = ++fetches;
  refreshing = true;
  // A page asked for and not shown yet is fetched here too: this answer replaces that page's.
  const answer = await latest(older?.after ?? oldest, older ? SHOWN : 0);
  if (number !== fetches) return;
  refreshing = false;
  failed = !answer;
  if (answer) {
    ({ requests, more } = answer);
    if (older || oldest !== null) oldest = requests.at(-1)?.id ?? null;
  }
  render();
  if (older) reveal();
}

// "Pokaż starsze": the next SHOWN after the last one shown. A refresh it overtakes (the list refetched
// for a closure) is asked again once the page is shown, so no closure is missed.
async function showOlder() {
  if (older || !requests?.length) return; // a page at a time: a second click must not skip one
  const overtaken = refreshing;
  refreshing = false;
  older = { after: requests.at(-1).id };
  const number = ++fetches;
  const page = await fetchPage(SHOWN, older.after);
  if (number !== fetches) return; // overtaken by a refresh, which fetches this page too
  failed = !page;
  if (page) {
    const shown = new Set(requests.map((r) => r.id));
    requests = [...requests, ...page.requests.filter((r) => !shown.has(r.id))];
    more = page.more;
    oldest = requests.at(-1).id;
  }
  render();
  reveal();
  if (overtaken) refreshClosed();
}

// The entries "Pokaż starsze" asked for are on screen: focus goes to the first of them (the button may
// be gone), and #closed-added says how many came. A failed fetch leaves focus on the button, to try
// again, and #closed-note says why.
function reveal() {
  const { after } = older;
  older = null;
  if (failed) return;
  const at = requests.findIndex((r) => r.id === after);
  const added = at < 0 ? 0 : requests.length - at - 1;
  $('closed-added').textContent = t().closedAdded(added, !more);
  if (added) items.get(requests[at + 1].id).focus();
  else if ($('closed-more').hidden) $('closed-title').focus();
}

/** Signed out: no resident's name stays on screen, no answer still on its way is shown, and the
    next sign-in starts from the latest SHOWN. */
export function clearClosed() {
  ++fetches;
  requests = null;
  more = false;
  oldest = null;
  older = null;
  refreshing = false;
  failed = false;
  $('closed-added').textContent = '';
  render();
}

/** The language changed: the entries and their histories are written again (what "Pokaż starsze" said
    last is dropped rather than left in the other language). */
export function translateClosed() {
  $('closed-added').textContent = '';
  render();
  for (const [id, item] of items) translateHistory(item.querySelector('details.history'), id);
}

$('closed-more').addEventListener('click', showOlder);
