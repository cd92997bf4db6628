// A request's history on the dashboard: every step from GET /api/v1/requests/{id}/events (who
// was alerted and how, escalations, who took it, texts sent), loaded when staff open it and again
// whenever the request changes while it is open.
import { HISTORY_STRINGS, SMS_STATUS_ALIASES } from './history_strings.js';
import { currentLanguage } from './i18n.js';
import { STRINGS, outcomeName } from './staff_strings.js';

const open = new Set();     // ids whose history is expanded
const loaded = new Map();   // id -> events, as last fetched
// id -> the number of its latest fetch. Answers may come back out of order (a slow one overtaken by the
// next); only the latest fetch's answer is shown, so an older state never replaces a newer one.
const latest = new Map();
const t = () => HISTORY_STRINGS[currentLanguage()];
// A code in plain words from `table`; a code the table does not know is shown as it is.
const word = (table, code) => table[code] ?? code;
const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'pl-PL');

function smsStatusWords(status) {
  const name = String(status).toLowerCase();
  return t().smsStatus[SMS_STATUS_ALIASES[name] ?? name] ?? status;
}

// Who was alerted, how, and how many of them it reached: "koordynatorzy (panel, SMS, 2 osoby)". `via` is a
// list, or one channel's name; `reached` is there for steps by the clock (not by hand, nor in askd's first
// reconnect_grace_seconds). A step that reached none of them says so, and whether the next came at once.
function reachedWords(d) {
  const channels = [].concat(d.via ?? []).map((v) => word(t().reachedBy, v));
  if (Number.isInteger(d.reached) && d.reached > 0) channels.push(t().people(d.reached));
  let reached = `${word(t().who, d.who)}${channels.length ? ` (${channels.join(', ')})` : ''}`;
  // A reminder that went to the coordinators at once, whoever took the request having no way to get it.
  if (d.acknowledger_unreachable === true) reached += ` — ${t().acknowledgerUnreachable}`;
  // One that went to everyone at once, no coordinator having a way to get it.
  if (d.coordinators_unreachable === true) reached += ` — ${t().coordinatorsUnreachable}`;
  // An overdue one that went to the holder again, nobody else having a way to get it.
  if (d.nobody_else_reachable === true) reached += ` — ${t().nobodyElseReachable}`;
  if (d.reached_nobody !== true) return reached;
  return `${reached} — ${t().reachedNobody}${d.next_step_at_once === true ? `; ${t().nextStepAtOnce}` : ''}`;
}

// A re-ring of the on-duty dashboards (`notified` with no step's `who`): folded with the ones next to it.
const isRing = (e) => e.kind === 'notified' && !e.detail?.who;

// How many on-duty people a ring reached: "panel, 3 osoby".
function ringWords(d) {
  const people = Number(d.recipients);
  const channel = word(t().reachedBy, d.via ?? 'dashboard');
  return Number.isFinite(people) ? `${channel}, ${t().people(people)}` : channel;
}

// A press again: by which way, and what the resident wrote, if anything.
function repeatWords(d) {
  const way = STRINGS[currentLanguage()].via[d.channel] ?? d.channel ?? '';
  return d.message ? `${way}: „${d.message}”` : way;
}

// The one detail shown after the event's name (the first of these it carries), in plain words.
function detailWords(e) {
  const d = e.detail ?? {};
  if (isRing(e)) return ringWords(d);
  if (e.kind === 'repeated') return repeatWords(d);
  if (d.text) return d.text;
  if (d.note) return d.note;
  if (d.outcome) return outcomeName(currentLanguage(), d.outcome) ?? d.outcome;
  if (e.kind === 'sms_sent' && d.repeat) return t().repeatSent;
  if (d.status) return smsStatusWords(d.status);
  if (d.reason) return word(t().reasons, d.reason);
  if (e.kind === 'resident_sms' && d.stage) {
    const told = word(t().residentStage, d.stage);
    return d.not_sent ? `${told} — ${word(t().notSent, d.not_sent)}` : told;
  }
  if (d.who) return reachedWords(d);
  if (d.opens_at) return new Date(d.opens_at).toLocaleString(locale());
  return '';
}

// `e`, or a run of rings from `e` to `last` rung `times` times in all: "10:00:05–10:06:35 · powiadomiono:
// panel, 2 osoby · 14 razy · system".
function describe(e, last = e, times = 1) {
  const extra = detailWords(last);
  const who = e.actor?.name ?? t().system;
  const at = (event) => new Date(event.at).toLocaleTimeString(locale());
  const time = last === e ? at(e) : `${at(e)}–${at(last)}`;
  const count = times > 1 ? ` · ${t().times(times)}` : '';
  return `${time} · ${t().kinds[e.kind] ?? e.kind}${extra ? `: ${extra}` : ''}${count} · ${who}`;
}

// Rings of the dashboards come every renotify_seconds while nobody takes a request: one line for each run
// of them (nothing else between), or an hour's waiting would bury the steps that matter.
function fill(list, id) {
  list.replaceChildren();
  const events = loaded.get(id);
  if (!events) return;
  for (let i = 0; i < events.length; ++i) {
    const first = events[i];
    let times = Number(first.detail?.times ?? 1);
    if (isRing(first)) {
      while (i + 1 < events.length && isRing(events[i + 1])) times += Number(events[++i].detail?.times ?? 1);
    }
    const item = document.createElement('li');
    item.textContent = describe(first, events[i], times);
    list.append(item);
  }
}

async function load(details, id) {
  const number = (latest.get(id) ?? 0) + 1;
  latest.set(id, number);
  const list = details.querySelector('.history-list');
  let events = null;
  try {
    const response = await fetch(`/api/v1/requests/${id}/events`, { credentials: 'same-origin' });
    if (response.ok) events = (await response.json()).events;
  } catch { /* unreachable, or not JSON: said as failed */ }
  if (latest.get(id) !== number) return;
  if (!events) { list.textContent = t().failed; return; }
  loaded.set(id, events);
  if (details.isConnected) fill(list, id);
}

/** Wires one alert's history element, once per card; reopens it (and loads it) when it was open before
    (the card was drawn again after a sign-in). */
export function setUpHistory(details, id) {
  translateHistory(details, id);
  details.open = open.has(id);
  if (details.open) load(details, id);
  details.addEventListener('toggle', () => {
    if (details.open) {
      open.add(id);
      load(details, id);
    } else {
      open.delete(id);
    }
  });
}

/** The request changed: an open history is loaded again. */
export function refreshHistory(details, id) {
  if (details.open) load(details, id);
}

/** The language changed: the title and the steps shown are written again. */
export function translateHistory(details, id) {
  details.querySelector('summary').textContent = t().title;
  fill(details.querySelector('.history-list'), id);
}
