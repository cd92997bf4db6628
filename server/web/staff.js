// The staff dashboard (/staff): log in, go on duty, see the live queue in priority order,
// take (acknowledge) and resolve requests. A new or repeated alert rings: a sound, a
// browser notification and a flashing title until someone takes it. A taken request the server
// reminds about (no contact yet) rings the same way until its state changes. After a lost
// connection or a server restart the whole queue is resynchronised from the snapshot.
import { showCoordinatorPanel } from './coordinator.js';
import { setUpHistory } from './history.js';
import { SIGNED_OUT, currentLanguage, keepConnected, setupLanguage } from './i18n.js';

const STRINGS = {
  pl: {
    dashboard: 'panel dyżurny', loginTitle: 'Zaloguj się', username: 'Login', password: 'Hasło',
    loginButton: 'Zaloguj', queueTitle: 'Zgłoszenia', enableSound: 'Włącz dźwięk alarmu',
    phone: 'Telefon', address: 'Adres', needs: 'Potrzeby', message: 'Wiadomość', ack: 'Biorę to',
    outcome: 'Wynik', note: 'Notatka', resolve: 'Zakończ zgłoszenie',
    contacted: 'Rozmawiałem(-am) z mieszkańcem', release: 'Oddaj do kolejki', escalate: 'Wezwij kolejne osoby',
    repeated: (n) => `Ponowione ${n}×`,
    o_called_back: 'Oddzwoniono', o_visit_scheduled: 'Umówiono wizytę (Mobilny Urzędnik)',
    o_referred: 'Przekazano (OPS lub inna jednostka)', o_emergency_services: 'Przekazano do 112',
    o_no_contact: 'Brak kontaktu', o_other: 'Inne',
    onDuty: 'Jestem na dyżurze', offDuty: 'Nie jestem na dyżurze — kliknij, aby rozpocząć',
    urgent: 'PILNE', normal: 'zwykłe', ago: (m) => (m < 1 ? 'przed chwilą' : `${m} min temu`),
    via: { web: 'strona', button: 'przycisk', sms: 'SMS' },
    state: { queued: 'Czeka — nikt nie jest powiadamiany', notifying: 'Powiadamiamy dyżurnych',
             acknowledged: 'Przyjęte przez', contacted: 'Kontakt nawiązany przez', resolved: 'Zakończone',
             cancelled: 'Anulowane przez mieszkańca' },
    summary: (n, waiting) => `Otwarte: ${n}. Czekają na przyjęcie: ${waiting}.`,
    empty: 'Brak otwartych zgłoszeń.', none: '—',
    needsLabels: { deaf: 'Niesłyszący — NIE DZWOŃ, tylko SMS', hard_of_hearing: 'Słabo słyszy',
                   blind: 'Niewidomy — kontakt głosowy', low_vision: 'Słabo widzi',
                   wheelchair: 'Porusza się na wózku', intellectual: 'Tekst łatwy do czytania',
                   speech: 'Trudności w mówieniu — najlepiej SMS' },
    loginFailed: 'Zły login lub hasło.',
    accountDisabled: 'To konto jest wyłączone. Zapytaj administratora w urzędzie.',
    signedOut: 'Sesja została zakończona (nowe hasło lub wyłączone konto). Zaloguj się ponownie.',
    online: 'Połączono.', offline: 'Brak połączenia. Łączę ponownie…',
    newAlert: 'Nowe zgłoszenie', takenBy: (n) => `${n} już to przyjął(a).`,
    reminder: 'Przypomnienie: mieszkaniec nadal czeka na kontakt',
    // What an error reply to an action means, by its code (refused, or not confirmed yet); the server's
    // English message is shown only for a code not listed here.
    refused: {
      storage_unavailable: 'Nie udało się zapisać: baza danych jest niedostępna. Nic nie zmieniono, spróbuj ponownie.',
      not_confirmed: 'Zapis trwa dłużej niż zwykle: zmiana nie jest jeszcze potwierdzona, ale może się jeszcze '
        + 'zapisać. Sprawdź listę, zanim ją powtórzysz.',
      busy: 'Poprzednia zmiana jeszcze się zapisuje; tej nie wykonano. Spróbuj ponownie, gdy tamta się zakończy.',
      already_acknowledged: 'Ktoś już przyjął to zgłoszenie.',
      not_found: 'Tego zgłoszenia nie ma już wśród otwartych w Twoim urzędzie. Nic nie zmieniono.',
      conflict: 'Tego nie można zrobić przy obecnym stanie zgłoszenia; lista pokazuje, jak jest teraz. Nic nie zmieniono.',
      not_acknowledged: 'Najpierw trzeba przyjąć zgłoszenie. Nic nie zmieniono.',
      forbidden: 'Może to zrobić tylko osoba, która przyjęła zgłoszenie, albo koordynator. Nic nie zmieniono.',
      no_escalation_steps: 'Dla tego priorytetu nie ustawiono kolejnych osób do wezwania.',
      nobody_to_call: 'Nie można teraz wezwać nikogo innego: w krokach eskalacji nie ma nikogo więcej, do kogo '
        + 'ASK może dotrzeć (na dyżurze lub z telefonem). Nic nie zmieniono.',
      account_disabled: 'To konto jest wyłączone; nic nie zmieniono. Zapytaj administratora w urzędzie.',
      bad_request: 'Strona wysłała niepoprawne polecenie; nic nie zmieniono. Odśwież stronę.',
    },
  },
  en: {
    dashboard: 'duty dashboard', loginTitle: 'Log in', username: 'Username', password: 'Password',
    loginButton: 'Log in', queueTitle: 'Requests', enableSound: 'Turn on the alarm sound',
    phone: 'Phone', address: 'Address', needs: 'Needs', message: 'Message', ack: 'I’ll take it',
    outcome: 'Outcome', note: 'Note', resolve: 'Close the request',
    contacted: 'I have talked to the resident', release: 'Give back to the queue', escalate: 'Call in more people',
    repeated: (n) => `Repeated ${n}×`,
    o_called_back: 'Called back', o_visit_scheduled: 'Visit scheduled (Mobile Clerk)',
    o_referred: 'Referred (social services or other unit)', o_emergency_services: 'Handed to 112',
    o_no_contact: 'No contact', o_other: 'Other',
    onDuty: 'I am on duty', offDuty: 'Not on duty — click to start',
    urgent: 'URGENT', normal: 'normal', ago: (m) => (m < 1 ? 'just now' : `${m} min ago`),
    via: { web: 'web page', button: 'button', sms: 'SMS' },
    state: { queued: 'Waiting — nobody is being alerted', notifying: 'Alerting staff on duty',
             acknowledged: 'Taken by', contacted: 'Contacted by', resolved: 'Closed',
             cancelled: 'Cancelled by the resident' },
    summary: (n, waiting) => `Open: ${n}. Waiting to be taken: ${waiting}.`,
    empty: 'No open requests.', none: '—',
    needsLabels: { deaf: 'Deaf — DO NOT CALL, SMS only', hard_of_hearing: 'Hard of hearing',
                   blind: 'Blind — voice contact', low_vision: 'Low vision', wheelchair: 'Wheelchair user',
                   intellectual: 'Easy-to-read text', speech: 'Speech difficulty — SMS preferred' },
    loginFailed: 'Wrong username or password.',
    accountDisabled: 'This account is disabled. Ask the office’s administrator.',
    signedOut: 'Your session was ended (a new password or a disabled account). Please log in again.',
    online: 'Connected.', offline: 'No connection. Reconnecting…',
    newAlert: 'New request', takenBy: (n) => `${n} has already taken it.`,
    reminder: 'Reminder: the resident is still waiting for contact',
    refused: {
      storage_unavailable: 'Not saved: the database is unavailable. Nothing was changed; try again.',
      not_confirmed: 'Saving is taking longer than usual: the change is not confirmed yet but may still be '
        + 'saved. Check the list before repeating it.',
      busy: 'The previous change is still being saved; this one was not carried out. Try again once that one ends.',
      already_acknowledged: 'Someone has already taken this request.',
      not_found: 'This request is no longer among the open ones of your office. Nothing was changed.',
      conflict: 'That cannot be done in the request’s current state; the list shows where it stands now. Nothing was changed.',
      not_acknowledged: 'The request has to be taken first. Nothing was changed.',
      forbidden: 'Only the person who took the request or a coordinator can do that. Nothing was changed.',
      no_escalation_steps: 'No further people to call in are set for this priority.',
      nobody_to_call: 'Nobody else can be called in now: the escalation steps name no one else ASK can reach '
        + '(on duty, or with a phone). Nothing was changed.',
      account_disabled: 'This account is disabled; nothing was changed. Ask the office’s administrator.',
      bad_request: 'The page sent an invalid command; nothing was changed. Reload the page.',
    },
  },
};

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const alerts = new Map();       // id -> alert, as the server last described it
// id -> why it rings: 'waiting' until someone takes it; for a taken request the server reminded
// about, its state and taker then, until either changes.
const ringing = new Map();
let me = null;                  // { id, name, role, on_duty } from the snapshot
const notifications = new Map(); // id -> the latest notification shown (closed when signed out)
let connection = null;
let audio = null;
const baseTitle = document.title;

const waiting = (a) => ['received', 'queued', 'notifying'].includes(a.state);
const takenAs = (a) => `${a.state}:${a.acknowledged_by?.id ?? ''}`;
const rings = (a) => ringing.has(a.id) && (ringing.get(a.id) === 'waiting' ? waiting(a) : takenAs(a) === ringing.get(a.id));
// Whoever can act on a taken request: its taker, and coordinators.
const canAct = (a) => Boolean(me) && (a.acknowledged_by?.id === me.id || me.role !== 'staff');
const rank = (a) => (a.priority === 'urgent' ? 0 : 1);
const ordered = () => [...alerts.values()].sort((a, b) =>
  rank(a) - rank(b) || a.created_at.localeCompare(b.created_at) || a.id - b.id);

function render() {
  const list = $('queue');
  list.replaceChildren();
  const s = t();
  for (const a of ordered()) {
    const item = $('alert-template').content.firstElementChild.cloneNode(true);
    item.dataset.id = a.id;
    item.classList.toggle('urgent', a.priority === 'urgent');
    item.classList.toggle('taken', !waiting(a));
    item.classList.toggle('ringing', rings(a));
    for (const el of item.querySelectorAll('[data-i18n]')) el.textContent = s[el.dataset.i18n] ?? el.textContent;
    item.querySelector('.priority').textContent = a.priority === 'urgent' ? `⚠ ${s.urgent}` : `○ ${s.normal}`;
    item.querySelector('.who').textContent = a.resident.name;
    const minutes = Math.floor((Date.now() - Date.parse(a.created_at)) / 60000);
    const repeats = a.repeat_count ? ` · ${s.repeated(a.repeat_count)}` : '';
    item.querySelector('.meta').textContent = `#${a.id} · ${s.via[a.channel] ?? a.channel} · ${s.ago(minutes)}${repeats}`;
    const phone = item.querySelector('.phone');
    if (a.resident.phone) {
      const link = document.createElement('a');
      link.href = `tel:${a.resident.phone}`;
      link.textContent = a.resident.phone;
      phone.append(link);
    } else phone.textContent = s.none;
    item.querySelector('.address').textContent = a.resident.address || s.none;
    const needs = item.querySelector('.needs');
    needs.textContent = a.resident.needs.length ? '' : s.none;
    for (const need of a.resident.needs) {
      const span = document.createElement('span');
      span.textContent = s.needsLabels[need] ?? need;
      if (need === 'deaf') span.className = 'warning';
      needs.append(span, document.createElement('br'));
    }
    item.querySelector('.message').textContent = a.message || s.none;
    const by = a.acknowledged_by ? ` ${a.acknowledged_by.name}` : '';
    const taken = ['acknowledged', 'contacted'].includes(a.state);
    const reminded = taken && rings(a) ? ` — ${s.reminder}` : '';
    item.querySelector('.state').textContent = `${s.state[a.state] ?? a.state}${taken ? by : ''}${reminded}`;
    const mine = taken && canAct(a);
    const act = (selector, type, visible) => {
      const button = item.querySelector(selector);
      button.hidden = !visible;
      button.addEventListener('click', () => connection.send({ type, id: a.id, ref: `${type}-${a.id}` }));
    };
    act('.ack', 'ack', waiting(a));
    act('.contacted', 'contacted', mine && a.state === 'acknowledged');
    act('.release', 'release', mine);
    act('.escalate', 'escalate', waiting(a));
    const form = item.querySelector('.resolve');
    form.hidden = !mine;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      connection.send({ type: 'resolve', id: a.id, outcome: data.get('outcome'), note: data.get('note'), ref: `resolve-${a.id}` });
    });
    setUpHistory(item.querySelector('details.history'), a.id);
    list.append(item);
  }
  const open = alerts.size;
  $('summary').textContent = open ? s.summary(open, [...alerts.values()].filter(waiting).length) : s.empty;
  const duty = $('duty');
  duty.setAttribute('aria-pressed', String(Boolean(me?.on_duty)));
  duty.textContent = me?.on_duty ? s.onDuty : s.offDuty;
}

function ring(a) {
  const reminder = !waiting(a);
  // A reminder keeps ringing only where something can be done about it; elsewhere it sounds once.
  if (!reminder) ringing.set(a.id, 'waiting');
  else if (canAct(a)) ringing.set(a.id, takenAs(a));
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') $('sound').hidden = false;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = a.priority === 'urgent' ? 880 : 660;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  } catch { $('sound').hidden = false; }
  if ('Notification' in window && Notification.permission === 'granted')
    notifications.set(a.id, new Notification(
      `${reminder ? t().reminder : t().newAlert}: ${a.priority === 'urgent' ? t().urgent + ' — ' : ''}${a.resident.name}`,
      { tag: `ask-${a.id}`, renotify: true }));
}

// The title flashes while anything rings, so a dashboard in a background tab is noticed.
setInterval(() => {
  for (const id of [...ringing.keys()]) if (!alerts.has(id) || !rings(alerts.get(id))) ringing.delete(id);
  document.title = ringing.size && !document.title.startsWith('🔔') ? `🔔 (${ringing.size}) ${baseTitle}` : baseTitle;
}, 1000);
setInterval(render, 30000); // elapsed times

function onMessage(m) {
  if (m.type === 'snapshot') {
    alerts.clear();
    for (const a of m.alerts) alerts.set(a.id, a);
    me = m.me ?? me;
    showCoordinatorPanel(me);
  } else if (m.type === 'alert') {
    alerts.set(m.alert.id, m.alert);
    // A taken request rings only when the server reminds about it (renotified): no contact yet, or
    // the resident pressed again.
    if (waiting(m.alert) || m.renotified) ring(m.alert);
  } else if (m.type === 'alert_update') {
    if (['resolved', 'cancelled'].includes(m.alert.state)) {
      alerts.delete(m.alert.id);
      notifications.delete(m.alert.id);
    }
    else alerts.set(m.alert.id, m.alert);
  } else if (m.type === 'duty') { // from this dashboard, another of ours, or the HTTP API
    me = { ...me, on_duty: m.on_duty };
    showCoordinatorPanel(me);
  } else if (m.type === 'error') {
    $('summary').textContent =
      m.code === 'already_acknowledged' && m.holder ? t().takenBy(m.holder.name) : t().refused[m.code] ?? m.message;
    return;
  }
  render();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  connection = keepConnected(`${scheme}://${location.host}/ws/staff`, {
    onOpen: () => { $('login').hidden = true; $('board').hidden = false; $('connection').textContent = t().online; },
    onMessage,
    onDown: (wasOpen, code) => {
      if (code === SIGNED_OUT) { // the server ended the session: no resident's details stay on screen
        me = null;
        alerts.clear();
        ringing.clear();
        for (const n of notifications.values()) n.close();
        notifications.clear();
        showCoordinatorPanel(null);
        render();
        $('login-error').textContent = t().signedOut;
        $('connection').textContent = '';
      }
      if (code === SIGNED_OUT || (!wasOpen && !me)) { // not logged in (or the session expired or was ended)
        $('board').hidden = true;
        $('login').hidden = false;
        $('username').focus();
        return false;
      }
      $('connection').textContent = t().offline;
      return true;
    },
  });
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const response = await fetch('/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: $('username').value, password: $('password').value }),
  });
  $('password').value = '';
  if (!response.ok) {
    const why = await response.json().catch(() => ({}));
    $('login-error').textContent = why.error?.code === 'account_disabled' ? t().accountDisabled : t().loginFailed;
    return;
  }
  $('login-error').textContent = '';
  connect();
});

$('duty').addEventListener('click', () => {
  const on = !me?.on_duty;
  if (on && 'Notification' in window && Notification.permission === 'default') Notification.requestPermission();
  audio ??= new AudioContext();
  audio.resume?.();
  connection.send({ type: 'duty', on, ref: on ? 'duty-on' : 'duty-off' });
});

$('sound').addEventListener('click', () => {
  audio ??= new AudioContext();
  audio.resume().then(() => { $('sound').hidden = true; });
});

setupLanguage(STRINGS, () => { render(); showCoordinatorPanel(me); });
connect();
