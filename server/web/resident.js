// The resident's page (/r#TOKEN): one press asks for contact; a short undo window guards
// against accidental presses; the status is announced (aria-live) as it changes and is
// restored after a reload or a lost connection.
import { SIGNED_OUT, currentLanguage, keepConnected, setupLanguage } from './i18n.js';

const UNDO_SECONDS = 5;
const STRINGS = {
  pl: {
    brand: 'Kontakt z urzędem', title: 'Potrzebujesz kontaktu z urzędem?',
    not112: 'To nie jest numer alarmowy. Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.',
    askHeading: 'Poproś o kontakt', messageLabel: 'Krótka wiadomość (nie musisz pisać):',
    pressNormal: 'Poproś o kontakt', pressUrgent: 'Pilne — potrzebuję pomocy szybko',
    undo: 'Cofnij — nie wysyłaj', sendNow: 'Wyślij teraz', currentHeading: 'Twoje zgłoszenie',
    cancel: 'Anuluj zgłoszenie',
    sendingIn: (s, urgent) => `${urgent ? 'Pilne zgłoszenie' : 'Zgłoszenie'} zostanie wysłane za ${s} s.`,
    sending: 'Wysyłam…', undone: 'Nie wysłano zgłoszenia.',
    noToken: 'Ten link jest niepełny. Poproś urząd o nowy link.',
    revoked: 'Ten link już nie działa. Jeśli nadal potrzebujesz kontaktu, poproś urząd o nowy link.',
    cannotConnect: 'Nie mogę połączyć się z urzędem. Próbuję dalej. Jeśli to trwa, poproś urząd o nowy link.',
    online: 'Połączono z urzędem.', offline: 'Brak połączenia. Łączę ponownie…',
    failed: 'Nie udało się wysłać. Spróbuj jeszcze raz za chwilę.',
    // Refusals a resend cannot change: the press is over, the message stays in its field.
    refused: 'Urząd nie przyjął tego zgłoszenia i nie zostało ono wysłane. Jeśli wiadomość jest długa, '
      + 'skróć ją. Potem naciśnij przycisk jeszcze raz.',
    conflict: 'Nie udało się wysłać zgłoszenia. Naciśnij przycisk jeszcze raz.',
    notConfirmed: 'Urząd jeszcze nie potwierdził zgłoszenia. Czekam dalej. '
      + 'Możesz nacisnąć „Wyślij teraz”: nie powstanie drugie zgłoszenie.',
    // As the server words them (protocol/resident_text.cpp), for a request closed while the page was away.
    closed: { resolved: 'Sprawa została zakończona. Dziękujemy.',
              visit: 'Sprawa załatwiona: umówiono wizytę pracownika urzędu. Dziękujemy.',
              cancelled: 'Zgłoszenie zostało anulowane.', gone: 'To zgłoszenie jest już zamknięte.' },
  },
  en: {
    brand: 'Contact the office', title: 'Do you need the office to contact you?',
    not112: 'This is not an emergency number. If life or health is in danger, call 112.',
    askHeading: 'Ask for contact', messageLabel: 'A short message (optional):',
    pressNormal: 'Ask for contact', pressUrgent: 'Urgent — I need help soon',
    undo: 'Undo — do not send', sendNow: 'Send now', currentHeading: 'Your request',
    cancel: 'Cancel the request',
    sendingIn: (s, urgent) => `${urgent ? 'Urgent request' : 'Request'} will be sent in ${s} s.`,
    sending: 'Sending…', undone: 'The request was not sent.',
    noToken: 'This link is incomplete. Ask the office for a new link.',
    revoked: 'This link no longer works. If you still need the office to contact you, ask it for a new link.',
    cannotConnect: 'Cannot reach the office. Still trying. If this goes on, ask the office for a new link.',
    online: 'Connected to the office.', offline: 'No connection. Reconnecting…',
    failed: 'Could not send. Please try again in a moment.',
    refused: 'The office did not accept this request, and it was not sent. If the message is long, shorten '
      + 'it. Then press the button again.',
    conflict: 'The request could not be sent. Please press the button again.',
    notConfirmed: 'The office has not confirmed the request yet. Still waiting. '
      + 'You may press "Send now": it will not make a second request.',
    closed: { resolved: 'Your request has been dealt with. Thank you.',
              visit: 'Done: a visit from the office has been arranged. Thank you.',
              cancelled: 'The request has been cancelled.', gone: 'This request is closed.' },
  },
};

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const token = decodeURIComponent(location.hash.slice(1));
let open = null;       // the latest status of the open request
let pending = null;    // { priority, message, requestId, timer, left, sent, said: what the page says of it once sent }
let connection;
let failures = 0;       // connection attempts that never opened
let revoked = false;    // the office issued a new link or removed the resident: this one no longer works
const CLOSED = ['resolved', 'cancelled'];
// Errors a resend with the same request_id may overcome (the store was slow, busy or down): the press
// waits with "Wyślij teraz". Any other (an invalid or too long message, a reused request_id) ends it.
const RETRIABLE = ['not_confirmed', 'busy', 'storage_unavailable', 'shutting_down'];

function show(section) {
  $('ask').hidden = section !== 'ask';
  $('confirm').hidden = section !== 'confirm';
  $('current').hidden = section !== 'current';
}

function render() {
  if (revoked) {
    show(null);
    $('connection').textContent = t().revoked;
    return;
  }
  if (pending) return;
  if (open && !CLOSED.includes(open.state)) {
    $('status').textContent = open.text[currentLanguage()];
    $('cancel').hidden = ['acknowledged', 'contacted'].includes(open.state);
    show('current');
  } else {
    show('ask');
    if (open) $('connection').textContent = open.text[currentLanguage()];
  }
}

// A UUID v4 for the press's request_id. crypto.randomUUID() exists only in secure contexts (https,
// localhost); a tablet on the office's network may open the page over plain http.
function newRequestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function startPress(priority) {
  // The key is kept until the server accepts it, so a retry after a lost connection is the same request.
  pending = { priority, message: $('message').value.trim(), requestId: newRequestId(), left: UNDO_SECONDS };
  $('undo').hidden = false;
  show('confirm');
  const tick = () => {
    if (!pending || pending.sent) return;
    $('confirm-text').textContent = t().sendingIn(pending.left, priority === 'urgent');
    if (pending.left-- <= 0) return send();
    pending.timer = setTimeout(tick, 1000);
  };
  tick();
  $('undo').focus();
}

function say(what) {
  pending.said = what;
  $('confirm-text').textContent = t()[what];
}

function send() {
  clearTimeout(pending.timer);
  // Once sent it may be saved even when no confirmation comes: no "undo" that would say it was not.
  if (document.activeElement === $('undo')) $('send-now').focus();
  $('undo').hidden = true;
  pending.sent = true;
  const { priority, message, requestId } = pending;
  const body = { type: 'request', priority, request_id: requestId, ref: requestId };
  if (message) body.message = message;
  say(connection.send(body) ? 'sending' : 'offline');
}

function undo() {
  clearTimeout(pending.timer);
  pending = null;
  show('ask');
  $('connection').textContent = t().undone;
  $('press-normal').focus();
}

function onMessage(m) {
  if (m.type === 'status') {
    // A status never ends a press of this page: one counting down is a second press ("I still need help",
    // as when the button device pressed meanwhile) and is sent; one sent is settled by its `accepted`.
    open = m;
    render();
  } else if (m.type === 'accepted') {
    // Sent: the field is emptied, unless something new was typed meanwhile.
    if (pending && $('message').value.trim() === pending.message) $('message').value = '';
    pending = null;
    render();
  } else if (m.type === 'error') {
    if (!pending?.sent) return;
    if (RETRIABLE.includes(m.code)) {
      // busy: a resend while the first send is still being saved, which may yet be confirmed.
      say(['not_confirmed', 'busy'].includes(m.code) ? 'notConfirmed' : 'failed');
      return;
    }
    pending = null;
    show('ask');
    $('connection').textContent = m.code === 'conflict' ? t().conflict : t().refused;
    $('message').focus();
  }
}

// On connecting, the server sends a status for each open request only: one the page believed open and
// that was closed while the page was away (resolved by staff, cancelled elsewhere) is asked about with
// the resident's token, so the page does not go on saying that someone will call.
async function checkStillOpen(id) {
  let response;
  try {
    response = await fetch(`/api/v1/requests/${id}`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    return; // asked again at the next connection
  }
  // 404: no longer kept (closed requests are deleted after the office's retention period).
  const request = response.status === 404 ? { state: 'gone' } : response.ok ? await response.json().catch(() => null) : null;
  if (!request || open?.id !== id || CLOSED.includes(open.state) || ![...CLOSED, 'gone'].includes(request.state)) return;
  const words = (lang) => {
    const closed = STRINGS[lang].closed;
    if (request.state === 'resolved') return request.outcome === 'visit_scheduled' ? closed.visit : closed.resolved;
    return closed[request.state];
  };
  open = { id, state: request.state === 'cancelled' ? 'cancelled' : 'resolved', text: { pl: words('pl'), en: words('en') } };
  render();
}

setupLanguage(STRINGS, () => {
  render();
  if (pending) {
    $('confirm-text').textContent = pending.sent ? t()[pending.said]
      : t().sendingIn(Math.max(pending.left, 0), pending.priority === 'urgent');
  }
});

if (!token) {
  show(null);
  $('connection').textContent = t().noToken;
} else {
  show('ask');
  for (const id of ['press-normal', 'press-urgent'])
    $(id).addEventListener('click', (e) => startPress(e.currentTarget.dataset.priority));
  $('undo').addEventListener('click', undo);
  $('send-now').addEventListener('click', send);
  $('cancel').addEventListener('click', () => open && connection.send({ type: 'cancel', id: open.id }));
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  connection = keepConnected(`${scheme}://${location.host}/ws/resident?token=${encodeURIComponent(token)}`, {
    onOpen: () => {
      failures = 0;
      $('connection').textContent = t().online;
      if (pending?.sent) send();
      if (open && !CLOSED.includes(open.state)) checkStillOpen(open.id);
    },
    onMessage,
    onDown: (wasOpen, code) => {
      if (code === SIGNED_OUT) {
        revoked = true;
        open = null;
        if (pending) clearTimeout(pending.timer);
        pending = null;
        render();
        return false;
      }
      failures = wasOpen ? 0 : failures + 1;
      $('connection').textContent = failures >= 3 ? t().cannotConnect : t().offline;
      return true;
    },
  });
}
