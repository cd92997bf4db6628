// The coordinator's part of the dashboard (roles coordinator and admin): who is on duty and
// who has a dashboard open (GET /api/v1/duty), and statistics for a chosen period
// (GET /api/v1/stats, also as CSV). Both use the session cookie; nothing here changes state.
// A list that could not be read again says so in place of what it showed: a roster out of date would
// tell a coordinator someone is on duty who is not. Of two reads overlapping, the later one's answer is
// shown, and none once the panel is hidden (signed out). A change of language writes both again.
import { currentLanguage } from './i18n.js';

const STRINGS = {
  pl: {
    title: 'Koordynacja', rosterTitle: 'Kto jest na dyżurze', statsTitle: 'Statystyki', from: 'Od dnia',
    to: 'Do dnia', show: 'Pokaż', csv: 'Pobierz CSV', onDuty: 'na dyżurze', offDuty: 'poza dyżurem',
    online: 'panel otwarty', offline: 'panel zamknięty', total: 'Zgłoszenia', urgent: 'w tym pilne',
    toAck: 'Czas do przyjęcia (mediana / 90%)', toContact: 'Czas do kontaktu (mediana / 90%)',
    toResolve: 'Czas do zakończenia (mediana / 90%)',
    within60: 'Przyjęte w ciągu 60 s (bez zgłoszeń spoza godzin urzędu i odwołanych w ciągu 60 s)',
    urgentToAck: 'Pilne: czas do przyjęcia (mediana / 90%)', urgentWithin60: 'Pilne: przyjęte w ciągu 60 s',
    failed: 'Nie udało się pobrać danych.', none: '—',
  },
  en: {
    title: 'Coordination', rosterTitle: 'Who is on duty', statsTitle: 'Statistics', from: 'From', to: 'To',
    show: 'Show', csv: 'Download CSV', onDuty: 'on duty', offDuty: 'off duty', online: 'dashboard open',
    offline: 'dashboard closed', total: 'Requests', urgent: 'of them urgent',
    toAck: 'Time to acknowledge (median / 90%)', toContact: 'Time to contact (median / 90%)',
    toResolve: 'Time to resolve (median / 90%)',
    within60: 'Acknowledged within 60 s (leaving out those from outside office hours and cancelled within 60 s)',
    urgentToAck: 'Urgent: time to acknowledge (median / 90%)', urgentWithin60: 'Urgent: acknowledged within 60 s',
    failed: 'Could not load the data.', none: '—',
  },
};

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const duration = (s) => (s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);
const median90 = (d) => (d.count ? `${duration(d.p50_s)} / ${duration(d.p90_s)}` : t().none);
const share = (x) => (x === null ? t().none : `${Math.round(x * 100)}%`);

// What each list shows: the body of its last read, null when that read failed, undefined before one.
const shown = { roster: undefined, stats: undefined };
const asked = { roster: 0, stats: 0 };

/** Reads `url` for the list `name` and shows it; a read overtaken by a later one, or ending after the
    panel was hidden, shows nothing. */
async function load(name, url) {
  const mine = ++asked[name];
  let body = null;
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) body = await response.json();
  } catch { /* unreachable: said as a failed read */ }
  if (mine !== asked[name] || $('coordinator').hidden) return;
  shown[name] = body;
  if (name === 'roster') showRoster();
  else {
    if (body) { // the days it covers fill the form, and name the CSV
      $('stats-from').value = body.first_day;
      $('stats-to').value = body.last_day;
      $('stats-csv').href = `/api/v1/stats?from=${body.first_day}&to=${body.last_day}&format=csv`;
    }
    showStats();
  }
}

function showRoster() {
  const list = $('roster');
  list.replaceChildren();
  if (shown.roster === undefined) return;
  if (shown.roster === null) { list.textContent = t().failed; return; }
  for (const person of shown.roster.staff) {
    const item = document.createElement('li');
    item.textContent = `${person.on_duty ? '●' : '○'} ${person.name}: ${person.on_duty ? t().onDuty : t().offDuty}, `
      + `${person.connected ? t().online : t().offline}`;
    list.append(item);
  }
}

function row(list, label, value) {
  const term = document.createElement('dt');
  term.textContent = label;
  const detail = document.createElement('dd');
  detail.textContent = value;
  list.append(term, detail);
}

/** Loads the report for the chosen days; with none chosen yet, the server's default (the
    office's last 30 days, in the office's time zone), whose days then fill the form. */
function loadStats() {
  const chosen = $('stats-from').value && $('stats-to').value;
  const query = chosen ? `from=${$('stats-from').value}&to=${$('stats-to').value}` : '';
  load('stats', `/api/v1/stats?${query}`);
}

function showStats() {
  const list = $('stats');
  list.replaceChildren();
  const s = shown.stats;
  if (s === undefined) return;
  if (s === null) { row(list, t().statsTitle, t().failed); return; }
  const urgent = s.by_priority_times.urgent;
  row(list, t().total, `${s.total} (${t().urgent}: ${s.by_priority.urgent ?? 0})`);
  row(list, t().toAck, median90(s.to_acknowledge));
  row(list, t().toContact, median90(s.to_contact));
  row(list, t().toResolve, median90(s.to_resolve));
  row(list, t().within60, share(s.share_acknowledged_within_60s));
  row(list, t().urgentToAck, median90(urgent.to_acknowledge));
  row(list, t().urgentWithin60, share(urgent.share_acknowledged_within_60s));
}

let started = false; // the form's listener and the roster's poll, set up once per page

const loadRoster = () => load('roster', '/api/v1/duty');

/** Shows the panel to coordinators and admins (in the page's language), and refreshes the roster; hides
    and empties it for anyone else, or nobody (signed out). */
export function showCoordinatorPanel(me) {
  const panel = $('coordinator');
  if (!me || me.role === 'staff') {
    panel.hidden = true;
    shown.roster = undefined;
    shown.stats = undefined;
    showRoster();
    showStats();
    $('stats-from').value = ''; // whoever signs in next starts from the default period
    $('stats-to').value = '';
    return;
  }
  for (const el of panel.querySelectorAll('[data-c18n]')) el.textContent = t()[el.dataset.c18n];
  if (!started) {
    started = true;
    $('stats-form').addEventListener('submit', (e) => { e.preventDefault(); loadStats(); });
    // Dashboards opening and closing are not pushed: poll, while the panel is shown.
    setInterval(() => { if (!$('coordinator').hidden) loadRoster(); }, 10000);
  }
  if (panel.hidden) {
    panel.hidden = false;
    loadStats();
  } else showStats();
  showRoster();
  loadRoster();
}
