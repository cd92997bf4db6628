// The resident's page (/r#TOKEN): one press asks for contact; a short undo window guards
// against accidental presses; the status is announced (aria-live) as it changes and is
// restored after a reload or a lost connection. Everything shown is drawn by render() from the
// state below, so a change of language redraws it all.
import { SIGNED_OUT, currentLanguage, keepConnected, setupLanguage } from './i18n.js';
import { waitPhrase } from './wait_phrase.js';

const UNDO_SECONDS = 5;
const STRINGS = {
  pl: {
    brand: 'Kontakt z urzędem', title: 'Potrzebujesz kontaktu z urzędem?',
    not112: 'To nie jest numer alarmowy. Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112. '
      + 'Jeśli nie możesz zadzwonić, wezwij pomoc przez aplikację Alarm112.',
    askHeading: 'Poproś o kontakt', messageLabel: 'Krótka wiadomość (nie musisz pisać):',
    statementLink: 'Deklaracja dostępności',
    pressNormal: 'Poproś o kontakt', pressUrgent: 'Pilne — potrzebuję pomocy szybko',
    undo: 'Cofnij — nie wysyłaj', sendNow: 'Wyślij teraz', currentHeading: 'Twoje zgłoszenie',
    cancel: 'Anuluj zgłoszenie', pressAgain: 'Nadal potrzebuję pomocy',
    cancelQuestion: 'Czy na pewno anulować zgłoszenie? Urząd przestanie być o nim powiadamiany.',
    cancelYes: 'Tak, anuluj zgłoszenie', cancelNo: 'Nie, zostaw zgłoszenie',
    // The countdown's sentence, around its seconds (written once; only the number changes each second).
    sendingIn: (urgent) => [`${urgent ? 'Pilne zgłoszenie' : 'Zgłoszenie'} zostanie wysłane za `, ' s.'],
    sending: 'Wysyłam…', undone: 'Nie wysłano zgłoszenia.', accepted: 'Twoje zgłoszenie zostało przyjęte.',
    // With a request open, the message field goes with "Nadal potrzebuję pomocy".
    againHeading: 'Nadal potrzebujesz pomocy?',
    againLabel: 'Krótka wiadomość do „Nadal potrzebuję pomocy” (nie musisz pisać):',
    // A press again ("Nadal potrzebuję pomocy") undone or refused: the request itself stands, as its status
    // then says (forPressAgain).
    undoneAgain: 'Nie wysłano ponownej prośby o pomoc.',
    tooLongAgain: 'Nie wysłano ponownej prośby o pomoc: wiadomość jest za długa. Skróć ją i naciśnij przycisk jeszcze raz.',
    refusedAgain: 'Urząd nie przyjął ponownej prośby o pomoc. Naciśnij przycisk jeszcze raz.',
    conflictAgain: 'Nie udało się wysłać ponownej prośby o pomoc. Naciśnij przycisk jeszcze raz.',
    noToken: 'Ten link jest niepełny. Poproś urząd o nowy link.',
    revoked: 'Ten link już nie działa. Jeśli nadal potrzebujesz kontaktu, poproś urząd o nowy link.',
    cannotConnect: 'Nie mogę połączyć się z urzędem. Próbuję dalej. Jeśli to trwa, poproś urząd o nowy link.',
    online: 'Połączono z urzędem.', offline: 'Brak połączenia. Łączę ponownie…',
    failed: 'Nie udało się wysłać. Spróbuj jeszcze raz za chwilę.',
    // Refusals a resend cannot change: the press is over, the message stays in its field.
    refused: 'Urząd nie przyjął tego zgłoszenia. Naciśnij przycisk jeszcze raz.',
    tooLong: 'Urząd nie przyjął tego zgłoszenia: wiadomość jest za długa. Skróć ją i naciśnij przycisk jeszcze raz.',
    checking: 'Sprawdzam, co dzieje się ze zgłoszeniem…',
    conflict: 'Nie udało się wysłać zgłoszenia. Naciśnij przycisk jeszcze raz.',
    // Past the press allowance: a repeat while the request is open, or a new request after too many. `wait`:
    // when a press will be taken again ("za około 2 minuty", or `shortly` if the office did not say); null
    // once that time has come.
    stillReceived: (wait) => 'Twoje zgłoszenie jest już przyjęte. Urząd wie, że nadal potrzebujesz pomocy. '
      + (wait ? `Możesz nacisnąć ponownie ${wait}.` : 'Możesz już nacisnąć ponownie.'),
    tooMany: (wait) => 'Urząd nie przyjął tego zgłoszenia: było za dużo zgłoszeń w krótkim czasie. '
      + (wait ? `Spróbuj ponownie ${wait}. ` : 'Możesz już spróbować ponownie. ')
      + 'Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.',
    shortly: 'za chwilę',
    notConfirmed: 'Urząd jeszcze nie potwierdził zgłoszenia. Czekam dalej. '
      + 'Możesz nacisnąć „Wyślij teraz”: nie powstanie drugie zgłoszenie.',
    // A request closed while the page was away and no longer kept (the office's retention period).
    gone: 'To zgłoszenie jest już zamknięte.',
    // A cancel the office refused or never got; the request's status follows.
    cancelClosed: 'Nie udało się anulować zgłoszenia: jest już zamknięte.',
    cancelSending: 'Anuluję zgłoszenie…',
    cancelOffline: 'Nie udało się anulować zgłoszenia: brak połączenia z urzędem. '
      + 'Spróbuj ponownie, gdy strona się połączy.',
    cancelFailed: 'Nie udało się anulować zgłoszenia. Spróbuj jeszcze raz za chwilę.',
    cancelNotConfirmed: 'Urząd jeszcze nie potwierdził anulowania. '
      + 'Jeśli nie chcesz już kontaktu, naciśnij „Anuluj zgłoszenie” jeszcze raz.',
  },
  en: {
    brand: 'Contact the office', title: 'Do you need the office to contact you?',
    not112: 'This is not an emergency number. If life or health is in danger, call 112. '
      + 'If you cannot make a call, get help through the Alarm112 app.',
    askHeading: 'Ask for contact', messageLabel: 'A short message (optional):',
    statementLink: 'Accessibility statement',
    pressNormal: 'Ask for contact', pressUrgent: 'Urgent — I need help soon',
    undo: 'Undo — do not send', sendNow: 'Send now', currentHeading: 'Your request',
    cancel: 'Cancel the request', pressAgain: 'I still need help',
    cancelQuestion: 'Cancel the request? The office will no longer be alerted about it.',
    cancelYes: 'Yes, cancel the request', cancelNo: 'No, keep the request',
    sendingIn: (urgent) => [`${urgent ? 'Urgent request' : 'Request'} will be sent in `, ' s.'],
    sending: 'Sending…', undone: 'The request was not sent.', accepted: 'Your request has been received.',
    againHeading: 'Do you still need help?',
    againLabel: 'A short message to send with "I still need help" (optional):',
    undoneAgain: 'Your repeated call for help was not sent.',
    tooLongAgain: 'Your repeated call for help was not sent: the message is too long. Shorten it and press the button again.',
    refusedAgain: 'The office did not accept your repeated call for help. Please press the button again.',
    conflictAgain: 'Your repeated call for help could not be sent. Please press the button again.',
    noToken: 'This link is incomplete. Ask the office for a new link.',
    revoked: 'This link no longer works. If you still need the office to contact you, ask it for a new link.',
    cannotConnect: 'Cannot reach the office. Still trying. If this goes on, ask the office for a new link.',
    online: 'Connected to the office.', offline: 'No connection. Reconnecting…',
    failed: 'Could not send. Please try again in a moment.',
    refused: 'The office did not accept this request. Please press the button again.',
    tooLong: 'The office did not accept this request: the message is too long. Shorten it and press the button again.',
    checking: 'Checking where the request stands…',
    conflict: 'The request could not be sent. Please press the button again.',
    stillReceived: (wait) => 'Your request has already been received. The office knows you still need help. '
      + (wait ? `You can press again ${wait}.` : 'You can press again now.'),
    tooMany: (wait) => 'The office did not accept this request: there were too many requests in a short time. '
      + (wait ? `Please try again ${wait}. ` : 'You can try again now. ')
      + 'If life or health is in danger, call 112.',
    shortly: 'shortly',
    notConfirmed: 'The office has not confirmed the request yet. Still waiting. '
      + 'You may press "Send now": it will not make a second request.',
    gone: 'This request is closed.',
    cancelClosed: 'The request could not be cancelled: it is already closed.',
    cancelSending: 'Cancelling the request…',
    cancelOffline: 'The request could not be cancelled: no connection to the office. '
      + 'Try again once the page is connected.',
    cancelFailed: 'The request could not be cancelled. Please try again in a moment.',
    cancelNotConfirmed: 'The office has not confirmed the cancellation yet. '
      + 'If you no longer need contact, press "Cancel the request" again.',
  },
};

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
// The link's token (askd makes them base64url). Anything else is taken for an incomplete link: it could
// not be offered to the WebSocket (below), and no such token exists.
const token = (() => {
  try {
    const text = decodeURIComponent(location.hash.slice(1));
    return /^[A-Za-z0-9_-]{1,256}$/.test(text) ? text : '';
  } catch {
    return '';
  }
})();
let open = null;       // the latest status of the resident's request (open, or the last one closed)
let pending = null;    // { priority, message, requestId, timer, left, sent, said: what the page says of it once sent }
let note = null;       // what the page says of the last press: instead of the last status with no request open
                       // ('undone', 'refused'…), before it with one ('stillReceived'); until the next status
let retryAt = null;    // with a note of a press past the allowance: when a press is taken again (Date.now()
                       // ms), 'now' once that has come, null if the office did not say
let retryTimer = 0;
let cancelNote = null; // { id, said }: what became of the cancel of request `id` (sent, or why it did not
                       // happen), said before its status
let askingCancel = false; // "Anuluj zgłoszenie" was pressed: the page asks whether to, before anything is sent
let link = '';         // what the page says of its connection: 'online', 'offline', 'cannotConnect'…
let connection;
let failures = 0;       // connection attempts that never opened
let revoked = false;    // the office issued a new link or removed the resident: this one no longer works
const CLOSED = ['resolved', 'cancelled'];
// Errors a resend with the same request_id may overcome (the store was slow, busy or down): the press
// waits with "Wyślij teraz". Any other (an invalid or too long message, a reused request_id) ends it.
const RETRIABLE = ['not_confirmed', 'busy', 'storage_unavailable', 'shutting_down'];
// What the page says of such a refusal, by its code (any other: 'refused'). too_many_presses leaves the open
// request as it was (its status is shown); too_many_new_requests comes with nothing open. Both carry
// retry_after, the seconds until a press is taken again, which their note says (noteText).
const REFUSALS = {
  conflict: 'conflict', too_long: 'tooLong', too_many_presses: 'stillReceived', too_many_new_requests: 'tooMany',
};
const CANCEL_REF = 'cancel-'; // a cancel's ref: CANCEL_REF and the request's id
const TOO_BIG = 1009; // the WebSocket close code for a message over the office's limit
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

// #status is always in the page (empty when there is nothing to say): a live region revealed and
// filled in the same step is often not announced. The countdown's sentence is written once; its
// seconds change in a part that is not live, so a screen reader is not told the time every second.
function setStatus(text) {
  const status = $('status');
  delete status.dataset.countdown;
  setText(status, text);
}

function showCountdown() {
  const status = $('status');
  const key = `${currentLanguage()}:${pending.priority}`;
  if (status.dataset.countdown !== key) {
    const [before, after] = t().sendingIn(pending.priority === 'urgent');
    const seconds = document.createElement('span');
    seconds.className = 'seconds';
    seconds.setAttribute('aria-live', 'off');
    status.replaceChildren(before, seconds, after);
    status.dataset.countdown = key;
  }
  setText(status.querySelector('.seconds'), String(Math.max(pending.left, 0)));
}

/** Draws the page from its state. Focus left on something now hidden (the button just pressed) moves
    to `target`, or to the heading over the status. */
function render(target) {
  const s = t();
  const lang = currentLanguage();
  const focused = document.activeElement;
  let section = null;
  if (revoked || !token) section = null;
  else if (pending) section = 'confirm';
  else if (open && !CLOSED.includes(open.state)) section = 'current';
  else section = 'ask';
  // With a request open, the message field stays for the words of a press again ("Nadal czekam").
  $('ask').hidden = section !== 'ask' && section !== 'current';
  $('press-normal').hidden = section !== 'ask';
  $('press-urgent').hidden = section !== 'ask';
  setText($('title-ask'), section === 'current' ? s.againHeading : s.askHeading);
  setText($('message-label'), section === 'current' ? s.againLabel : s.messageLabel);
  $('confirm').hidden = section !== 'confirm';
  $('current').hidden = section !== 'current';
  $('undo').hidden = Boolean(pending?.sent);
  const cancellable = section === 'current' && !['acknowledged', 'contacted'].includes(open.state);
  if (!cancellable) askingCancel = false;
  $('cancel').hidden = !cancellable || askingCancel;
  $('cancel-confirm').hidden = !askingCancel;

  if (section === 'confirm' && !pending.sent) showCountdown();
  else if (section === 'confirm') setStatus(s[pending.said]);
  else if (section === 'current') setStatus(`${note ? `${noteText(s)} ` : ''}${withCancelNote(open.text[lang])}`);
  else if (section === 'ask') setStatus(note ? noteText(s) : open ? withCancelNote(open.text[lang]) : '');
  else setStatus('');
  $('title-status').hidden = !$('status').textContent;
  setText($('connection'), link ? s[link] : '');

  if (focused && focused !== document.body && focused.closest('[hidden]')) {
    const shown = (el) => el && !el.closest('[hidden]');
    [target, $('title-status'), $('press-normal'), $('press-again'), $('title')].find(shown).focus();
  }
}

// The note, with the wait before a press is taken again for a refusal past the allowance. The wait is
// worked out as the page is drawn, so a redraw (the language, the connection) says what is left of it,
// but nothing counts it down: #status is live, and a screen reader must not be told the time every second.
function noteText(s) {
  const text = s[note];
  if (typeof text !== 'function') return text;
  if (retryAt === null) return text(s.shortly);
  return text(retryAt === 'now' ? null : waitPhrase(Math.max((retryAt - Date.now()) / 1000, 1), currentLanguage()));
}

// A refusal past the allowance said to wait `seconds` (the error's retry_after): once they are over, the
// note says so, once.
function waitBeforeRetry(seconds) {
  clearTimeout(retryTimer);
  retryAt = Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 : null;
  if (retryAt === null) return;
  retryTimer = setTimeout(() => { retryAt = 'now'; render(); }, seconds * 1000);
}

// The shown request's status, after why its cancel did not happen when it did not.
function withCancelNote(status) {
  return cancelNote?.id === open.id ? `${t()[cancelNote.said]} ${status}` : status;
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
  note = null;
  cancelNote = null;
  const press = pending;
  const tick = () => {
    if (pending !== press || press.sent) return;
    if (press.left <= 0) return send();
    render();
    press.timer = setTimeout(() => { press.left -= 1; tick(); }, 1000);
  };
  tick();
  $('undo').focus();
}

function say(what) {
  pending.said = what;
  render();
}

function send() {
  clearTimeout(pending.timer);
  // Once sent it may be saved even when no confirmation comes: no "undo" that would say it was not.
  if (document.activeElement === $('undo')) $('send-now').focus();
  pending.sent = true;
  const { priority, message, requestId } = pending;
  const body = { type: 'request', priority, request_id: requestId, ref: requestId };
  if (message) body.message = message;
  say(connection.send(body) ? 'sending' : 'offline');
}

// What the page says of a press that did not go: of a press again, with a request open, that the repeat did not
// go (its own words, where it has them); the request stands, and its status follows.
function forPressAgain(said) {
  const again = `${said}Again`;
  return open && !CLOSED.includes(open.state) && again in STRINGS.pl ? again : said;
}

function undo() {
  clearTimeout(pending.timer);
  pending = null;
  note = forPressAgain('undone');
  render();
}

// "Anuluj zgłoszenie" asks first, with "Nie, zostaw zgłoszenie" focused: a slip of the hand (a tremor, a
// tap meant for "Nadal potrzebuję pomocy" just above) must not end the request and stop the alerts.
function askCancel() {
  askingCancel = true;
  render();
  $('cancel-no').focus();
}

function keepRequest() {
  askingCancel = false;
  render();
  $('cancel').focus();
}

// Asks the office to cancel the shown request. With no connection the page says it was not sent; it is
// not kept to send later, when the resident may no longer want it.
function cancelRequest() {
  askingCancel = false;
  if (!open) return;
  const { id } = open;
  const sent = connection.send({ type: 'cancel', id, ref: `${CANCEL_REF}${id}` });
  cancelNote = { id, said: sent ? 'cancelSending' : 'cancelOffline' };
  render();
}

// The office refused the cancel of request `id` (`code`): the page says so before the request's status.
// not_found means it is closed already (resolved, or cancelled elsewhere): the page asks how it ended,
// unless a status has said so meanwhile.
function cancelRefused(id, code) {
  if (open?.id !== id) return;
  if (code === 'not_found') {
    cancelNote = { id, said: 'cancelClosed' };
    if (!CLOSED.includes(open.state)) {
      open = { id, state: open.state, text: { pl: STRINGS.pl.checking, en: STRINGS.en.checking } };
      checkStillOpen(id);
    }
  } else {
    cancelNote = { id, said: ['not_confirmed', 'busy'].includes(code) ? 'cancelNotConfirmed' : 'cancelFailed' };
  }
  render();
}

function onMessage(m) {
  if (m.type === 'error' && m.ref?.startsWith(CANCEL_REF)) {
    cancelRefused(Number(m.ref.slice(CANCEL_REF.length)), m.code);
  } else if (m.type === 'status') {
    // A status never ends a press of this page: one counting down is a second press ("I still need help",
    // as when the button device pressed meanwhile) and is sent; one sent is settled by its `accepted`.
    // The same status again (sent as the page reconnects) is no news: what the page said of the last press
    // stays.
    const news = !open || open.id !== m.id || open.state !== m.state || open.text?.pl !== m.text?.pl;
    open = m;
    if (news) note = null;
    cancelNote = null;
    render();
  } else if (m.type === 'accepted') {
    // Sent: the field is emptied, unless something new was typed meanwhile.
    if (pending && $('message').value.trim() === pending.message) $('message').value = '';
    pending = null;
    // Its status came first; should it not have, the page must not show the request as not made. A press
    // resent after a lost reply may find its request closed meanwhile: the page asks how it ended rather
    // than call it received.
    if (CLOSED.includes(m.state)) {
      if (open?.id !== m.id) open = { id: m.id, state: 'notifying', text: { pl: STRINGS.pl.checking, en: STRINGS.en.checking } };
      render();
      checkStillOpen(m.id);
      return;
    }
    if (open?.id !== m.id || CLOSED.includes(open.state))
      open = { id: m.id, state: m.state, text: { pl: STRINGS.pl.accepted, en: STRINGS.en.accepted } };
    render();
  } else if (m.type === 'error') {
    if (!pending?.sent) return;
    if (RETRIABLE.includes(m.code)) {
      // busy: a resend while the first send is still being saved, which may yet be confirmed.
      say(['not_confirmed', 'busy'].includes(m.code) ? 'notConfirmed' : 'failed');
      return;
    }
    pending = null;
    note = forPressAgain(REFUSALS[m.code] ?? 'refused');
    waitBeforeRetry(m.retry_after);
    render($('message'));
  }
}

// The link no longer works (replaced or removed by the office): nothing can be pressed or shown from it.
function linkEnded() {
  connection?.stop();
  revoked = true;
  open = null;
  if (pending) clearTimeout(pending.timer);
  pending = null;
  link = 'revoked';
  render();
}

// A connection refused before it opened: the office may be unreachable, or the link may have been replaced
// or removed while the page was away (askd refuses the token, which a browser does not tell the page). A read
// with the token tells which: 401 `unauthorized` means the link no longer works, as a close with 4001 would
// have said (askd answers a store that cannot answer with 503, not 401).
async function checkLink() {
  let response;
  try {
    response = await fetch(`/api/v1/requests/${open?.id ?? 1}`, {
      headers: { Authorization: `Bearer ${token}` }, cache: 'no-store',
    });
  } catch {
    return; // unreachable: keep trying
  }
  if (response.status !== 401 || revoked) return;
  const code = (await response.json().catch(() => ({}))).error?.code;
  if (code === 'unauthorized' && !revoked) linkEnded();
}

// On connecting, the server sends a status for each open request only: one the page believed open and
// that was closed while the page was away (resolved by staff, cancelled elsewhere) is asked about with
// the resident's token, so the page does not go on saying that someone will call. The answer carries the
// sentence a status about it would (protocol/resident_text.cpp): how it ended, in the server's words.
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
  const text = request.text ?? { pl: STRINGS.pl.gone, en: STRINGS.en.gone };
  open = { id, state: request.state === 'cancelled' ? 'cancelled' : 'resolved', text };
  note = null;
  render();
}

setupLanguage(STRINGS, () => render());

if (!token) {
  link = 'noToken';
  render();
} else {
  for (const id of ['press-normal', 'press-urgent', 'press-again'])
    $(id).addEventListener('click', (e) => startPress(e.currentTarget.dataset.priority));
  // "Cofnij" and "Wyślij teraz" appear where the press button was: the second click of a double click (a
  // tremor, a habit; the browser counts it in `detail`) must not undo the press the first one made.
  $('undo').addEventListener('click', (e) => e.detail < 2 && undo());
  $('send-now').addEventListener('click', (e) => e.detail < 2 && send());
  // A held Enter or Space repeats its keydown onto them as well, and a repeated Enter clicks: the repeat of
  // a key pressed on the button before is not a press of theirs.
  // On "Anuluj zgłoszenie" and "Nie", whose clicks move focus to each other, a held key would flip the
  // question on and off.
  for (const id of ['undo', 'send-now', 'cancel-yes', 'cancel', 'cancel-no']) {
    $(id).addEventListener('keydown', (e) => {
      if (e.repeat && (e.key === 'Enter' || e.key === ' ')) e.preventDefault();
    });
  }
  $('cancel').addEventListener('click', askCancel);
  $('cancel-no').addEventListener('click', keepRequest);
  // As with "Cofnij": the second click of a double click on "Anuluj zgłoszenie" is not a "yes".
  $('cancel-yes').addEventListener('click', (e) => e.detail < 2 && cancelRequest());
  // A phone stops a hidden page's timers, and may close its connection, once the screen locks or another
  // app comes to the front: a press still counting down is sent as the page is left, not when the resident
  // comes back to it, maybe hours later, believing help was asked for. Leaving ends the chance to undo.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden && pending && !pending.sent) send();
  });
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // The token goes as a subprotocol offered beside ask.v1, not in the URL, which proxies write to their logs.
  connection = keepConnected(`${scheme}://${location.host}/ws/resident`, {
    protocols: [`ask.token.${token}`],
    onOpen: () => {
      failures = 0;
      link = 'online';
      render();
      if (pending?.sent) send();
      if (open && !CLOSED.includes(open.state)) checkStillOpen(open.id);
    },
    onMessage,
    onDown: (wasOpen, code) => {
      if (code === SIGNED_OUT) {
        linkEnded();
        return false;
      }
      // The office closed the connection on a message too big to read ([limits] ws_message_bytes): a press
      // sent again would be closed on again, for as long as the page stays open. It ends as too long.
      if (code === TOO_BIG && pending?.sent) {
        pending = null;
        note = forPressAgain('tooLong');
        render($('message'));
      }
      failures = wasOpen ? 0 : failures + 1;
      link = failures >= 3 ? 'cannotConnect' : 'offline';
      render();
      if (!wasOpen) checkLink();
      return true;
    },
  });
}
// The page has set itself up: page_check.js leaves its notice hidden.
window.askPageStarted = true;
