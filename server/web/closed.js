// The dashboard's list of recently closed requests (GET /api/v1/requests?state=closed): how each ended,
// who took it and who closed it, and its history (history.js) when opened. It is fetched as the dashboard
// connects (requests may have closed while it was away) and whenever a request of the office closes;
// only the latest fetch's answer is shown, so an older list never replaces a newer one. Entries are
// updated in place, never rebuilt, so an open history and keyboard focus survive a refresh. Nothing here
// is a live region: a closure is not announced (open requests are what staff must hear about).
import { setUpHistory, translateHistory } from './history.js';
import { currentLanguage } from './i18n.js';
import { STRINGS, outcomeName } from './staff_strings.js';

const SHOWN = 20; // the latest closures: a shift's worth, kept short below the open queue
const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'pl-PL');
const items = new Map(); // id -> its <li> on screen
let requests = null;     // the latest answer's list; null before the first and after signing out
let failed = false;      // the latest fetch failed (the list before it stays shown)
let fetches = 0;         // the number of the latest fetch; signing out counts as one, so no answer is late

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
  // Focus stays where it was: put back if its entry moved, or on the list's heading if the entry went
  // (pushed past the latest SHOWN).
  if (focusedItem && !focusedItem.isConnected) $('closed-title').focus();
  else if (focusedItem && document.activeElement !== focused) focused.focus({ preventScroll: true });
  const note = failed ? s.closedFailed : requests && !shown.length ? s.closedEmpty : '';
  $('closed-note').textContent = note;
  $('closed-note').hidden = !note;
}

/** Fetches the list again; shown once it is the answer to the latest fetch. */
export async function refreshClosed() {
  const number = ++fetches;
  let list = null;
  try {
    const response = await fetch(`/api/v1/requests?state=closed&limit=${SHOWN}`,
      { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) list = (await response.json()).requests;
  } catch { /* unreachable, or not JSON: said as failed */ }
  if (number !== fetches) return;
  failed = !list;
  if (list) requests = list;
  render();
}

/** Signed out: no resident's name stays on screen, and no answer still on its way is shown. */
export function clearClosed() {
  ++fetches;
  requests = null;
  failed = false;
  render();
}

/** The language changed: the entries and their histories are written again. */
export function translateClosed() {
  render();
  for (const [id, item] of items) translateHistory(item.querySelector('details.history'), id);
}
