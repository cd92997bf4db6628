// The coordinator's part of the dashboard (roles coordinator and admin): who is on duty and
// who has a dashboard open (GET /api/v1/duty), and statistics for a chosen period
// (GET /api/v1/stats, also as CSV). Both use the session cookie; nothing here changes state.
import { currentLanguage } from './i18n.js';

const STRINGS = {
  pl: {
    title: 'Koordynacja', rosterTitle: 'Kto jest na dyżurze', statsTitle: 'Statystyki', from: 'Od dnia',
    to: 'Do dnia', show: 'Pokaż', csv: 'Pobierz CSV', onDuty: 'na dyżurze', offDuty: 'poza dyżurem',
    online: 'panel otwarty', offline: 'panel zamknięty', total: 'Zgłoszenia', urgent: 'w tym pilne',
    toAck: 'Czas do przyjęcia (mediana / 90%)', toResolve: 'Czas do zakończenia (mediana / 90%)',
    within60: 'Przyjęte w ciągu 60 s', failed: 'Nie udało się pobrać danych.', none: '—',
  },
  en: {
    title: 'Coordination', rosterTitle: 'Who is on duty', statsTitle: 'Statistics', from: 'From', to: 'To',
    show: 'Show', csv: 'Download CSV', onDuty: 'on duty', offDuty: 'off duty', online: 'dashboard open',
    offline: 'dashboard closed', total: 'Requests', urgent: 'of them urgent',
    toAck: 'Time to acknowledge (median / 90%)', toResolve: 'Time to resolve (median / 90%)',
    within60: 'Acknowledged within 60 s', failed: 'Could not load the data.', none: '—',
  },
};

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const duration = (s) => (s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

async function loadRoster() {
  const response = await fetch('/api/v1/duty', { credentials: 'same-origin' });
  const list = $('roster');
  list.replaceChildren();
  if (!response.ok) { list.textContent = t().failed; return; }
  for (const person of (await response.json()).staff) {
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
async function loadStats() {
  const chosen = $('stats-from').value && $('stats-to').value;
  const query = chosen ? `from=${$('stats-from').value}&to=${$('stats-to').value}` : '';
  const response = await fetch(`/api/v1/stats?${query}`, { credentials: 'same-origin' });
  const list = $('stats');
  list.replaceChildren();
  if (!response.ok) { row(list, t().statsTitle, t().failed); return; }
  const s = await response.json();
  $('stats-from').value = s.first_day;
  $('stats-to').value = s.last_day;
  $('stats-csv').href = `/api/v1/stats?from=${s.first_day}&to=${s.last_day}&format=csv`;
  const s60 = s.share_acknowledged_within_60s;
  row(list, t().total, `${s.total} (${t().urgent}: ${s.by_priority.urgent ?? 0})`);
  row(list, t().toAck, s.to_acknowledge.count ? `${duration(s.to_acknowledge.p50_s)} / ${duration(s.to_acknowledge.p90_s)}` : t().none);
  row(list, t().toResolve, s.to_resolve.count ? `${duration(s.to_resolve.p50_s)} / ${duration(s.to_resolve.p90_s)}` : t().none);
  row(list, t().within60, s60 === null ? t().none : `${Math.round(s60 * 100)}%`);
}

let started = false; // the form's listener and the roster's poll, set up once per page

/** Shows the panel to coordinators and admins, and refreshes the roster; hides and empties it for
    anyone else, or nobody (signed out). */
export function showCoordinatorPanel(me) {
  const panel = $('coordinator');
  if (!me || me.role === 'staff') {
    panel.hidden = true;
    $('roster').replaceChildren();
    $('stats').replaceChildren();
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
  }
  loadRoster();
}
