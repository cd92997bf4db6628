// A request's history on the dashboard: every step from GET /api/v1/requests/{id}/events (who
// was alerted and how, escalations, who took it, texts sent), loaded when staff open it and again
// whenever the request changes while it is open.
import { currentLanguage } from './i18n.js';

const STRINGS = {
  pl: {
    title: 'Historia zgłoszenia', failed: 'Nie udało się pobrać historii.', system: 'system',
    kinds: { created: 'zgłoszenie', notifying: 'powiadamianie dyżurnych', queued: 'w kolejce — nikt nie jest powiadamiany',
      notified: 'powiadomiono', escalated: 'eskalacja', ack_timeout: 'przyjęte, brak kontaktu — przypomnienie',
      repeated: 'mieszkaniec ponowił prośbę', message_completed: 'doszła brakująca część SMS-a', acknowledged: 'przyjęte', contacted: 'kontakt nawiązany',
      released: 'oddane do kolejki', note: 'notatka', resolved: 'zakończone', cancelled: 'anulowane',
      resident_sms: 'SMS do mieszkańca', sms_sent: 'SMS wysłany', sms_failed: 'SMS niewysłany', sms_status: 'raport SMS',
      waits_for_opening: 'urząd zamknięty — eskalacja od otwarcia',
      ladder_restarted: 'eskalacja liczona od teraz (zmienił się zegar lub godziny urzędu)' },
    reasons: { account_disabled: 'konto osoby, która je przyjęła, zostało wyłączone' },
  },
  en: {
    title: 'Request history', failed: 'Could not load the history.', system: 'system',
    kinds: { created: 'request', notifying: 'alerting staff on duty', queued: 'queued — nobody is being alerted',
      notified: 'alerted', escalated: 'escalated', ack_timeout: 'taken, no contact yet — reminder',
      repeated: 'the resident asked again', message_completed: 'a missing part of the text arrived', acknowledged: 'taken', contacted: 'contacted', released: 'given back',
      note: 'note', resolved: 'closed', cancelled: 'cancelled', resident_sms: 'text to the resident',
      sms_sent: 'text sent', sms_failed: 'text not sent', sms_status: 'text report',
      waits_for_opening: 'office closed — escalation from the opening',
      ladder_restarted: 'escalation counted from now (the clock or the office hours changed)' },
    reasons: { account_disabled: 'the account of whoever had taken it was disabled' },
  },
};

const open = new Set();     // ids whose history is expanded
const loaded = new Map();   // id -> events, as last fetched
const t = () => STRINGS[currentLanguage()];

function describe(e) {
  const d = e.detail ?? {};
  const locale = currentLanguage() === 'en' ? 'en-GB' : 'pl-PL';
  const opens = d.opens_at ? new Date(d.opens_at).toLocaleString(locale) : '';
  const reason = d.reason ? t().reasons[d.reason] ?? d.reason : undefined;
  const extra = d.text ?? d.outcome ?? d.status ?? reason
    ?? (d.who ? `${d.who}${d.via ? ` (${d.via.join(', ')})` : ''}` : opens);
  const who = e.actor?.name ?? t().system;
  const time = new Date(e.at).toLocaleTimeString(locale);
  return `${time} · ${t().kinds[e.kind] ?? e.kind}${extra ? `: ${extra}` : ''} · ${who}`;
}

function fill(list, id) {
  list.replaceChildren();
  const events = loaded.get(id);
  if (!events) return;
  for (const e of events) {
    const item = document.createElement('li');
    item.textContent = describe(e);
    list.append(item);
  }
}

async function load(details, id) {
  const response = await fetch(`/api/v1/requests/${id}/events`, { credentials: 'same-origin' });
  const list = details.querySelector('.history-list');
  if (!response.ok) { list.textContent = t().failed; return; }
  loaded.set(id, (await response.json()).events);
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
