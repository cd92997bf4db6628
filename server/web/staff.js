// The staff dashboard (/staff): log in, go on duty, see the live queue in priority order,
// take (acknowledge) and resolve requests. A new or repeated alert rings: a sound, a
// browser notification and a flashing title until someone takes it. A taken request the server
// reminds about (no contact yet) rings the same way until its state changes. After a lost
// connection or a server restart the whole queue is resynchronised from the snapshot. Below the
// queue, the requests closed lately, each with its history (closed.js).
import { clearClosed, refreshClosed, translateClosed } from './closed.js';
import { showCoordinatorPanel } from './coordinator.js';
import { refreshHistory, setUpHistory, translateHistory } from './history.js';
import { SIGNED_OUT, currentLanguage, keepConnected, setupLanguage } from './i18n.js';
import { setUpLogin, showLogin, showLoginError, translateLogin } from './login_form.js';
import { setUpSignOut } from './sign_out.js';
import { STRINGS } from './staff_strings.js';
import { allowSound, playTone, setUpAlarmSound, showSoundHeld } from './alarm_sound.js';
import { SETTLE_MS, dutyAnswered, dutyHeld, dutyWaiting, holdDuty } from './duty_hold.js';

const $ = (id) => document.getElementById(id);
const t = () => STRINGS[currentLanguage()];
const alerts = new Map();       // id -> alert, as the server last described it
// id -> why it rings: 'waiting' until someone takes it; for a taken request the server reminded
// about, its state and taker then, until either changes.
const ringing = new Map();
let me = null;                  // { id, name, role, on_duty } from the snapshot
// id -> { note: the latest notification shown, about: what it rang for, as in `ringing` }; closed
// once that is over (taken, closed, given another state) and when signed out.
const notifications = new Map();
// id -> the request's card on screen. A card is updated in place, never rebuilt, so what staff are
// doing on it (the chosen outcome, a typed note, keyboard focus, an open history) survives updates.
const cards = new Map();
const sent = new Map();         // ref of an action sent -> request id, until its `ok` or `error`
let sequence = 0;
let lastError = null;           // () => the text of the latest refusal, in the current language
let lastDone = null;            // () => the same for an action done that its card does not show
let connection = null;
const baseTitle = document.title;
const ACTIONS = [['.ack', 'ack'], ['.contacted', 'contacted'], ['.release', 'release'], ['.escalate', 'escalate']];

const waiting = (a) => ['received', 'queued', 'notifying'].includes(a.state);
const takenAs = (a) => `${a.state}:${a.acknowledged_by?.id ?? ''}`;
const rings = (a) => ringing.has(a.id) && (ringing.get(a.id) === 'waiting' ? waiting(a) : takenAs(a) === ringing.get(a.id));
// Whoever can act on a taken request: its taker, and coordinators.
const canAct = (a) => Boolean(me) && (a.acknowledged_by?.id === me.id || me.role !== 'staff');
const rank = (a) => (a.priority === 'urgent' ? 0 : 1);
const ordered = () => [...alerts.values()].sort((a, b) =>
  rank(a) - rank(b) || a.created_at.localeCompare(b.created_at) || a.id - b.id);
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
const buttonsOf = (card) => card.item.querySelectorAll('.actions button');

// A card's buttons are held while its last action waits for the server's answer, and for SETTLE_MS
// after they changed or moved. Held buttons say so (aria-disabled) and keep keyboard focus.
const held = (card) => card.waitingFor !== null || performance.now() < card.settledAt;

function updateHeld(card) {
  clearTimeout(card.settleTimer);
  const left = card.settledAt - performance.now();
  if (left > 0) card.settleTimer = setTimeout(() => updateHeld(card), left + 10);
  const on = held(card);
  for (const button of buttonsOf(card)) {
    if (on) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
}

function settle(card) {
  card.settledAt = performance.now() + SETTLE_MS;
  updateHeld(card);
}

// What a card's buttons look like and where they are: when it changes, the card settles.
function checkLayout() {
  for (const card of cards.values()) {
    const shown = [...buttonsOf(card)].map((b) => (b.hidden || b.closest('[hidden]') ? 0 : 1)).join('');
    const layout = `${shown}:${card.item.querySelector('.actions').offsetTop}`;
    if (layout !== card.layout) {
      card.layout = layout;
      settle(card);
    }
  }
}

function act(card, message) {
  if (held(card)) return;
  const ref = `${message.type}-${card.id}-${++sequence}`;
  showError(null);
  showDone(null);
  if (!connection?.send({ ...message, id: card.id, ref })) {
    showError(card.id, () => t().notSent);
    return;
  }
  card.waitingFor = ref;
  sent.set(ref, card.id);
  updateHeld(card);
}

/** The answer to an action: its card's buttons are free again (after settling, if it was done). */
function answered(ref, done) {
  const id = sent.get(ref);
  sent.delete(ref);
  const card = cards.get(id);
  if (card && card.waitingFor === ref) {
    card.waitingFor = null;
    if (done) settle(card);
    else updateHeld(card);
  }
  return id;
}

/** No answer will come to what was sent (the connection went down or started afresh, or an answer came that the
    page cannot match); returns whether anything waited. When the connection went down (`dropped`), what waited
    may or may not have been done, and staff are told so (with the request, when one). */
function forgetSent(dropped = false) {
  const unanswered = [...new Set(sent.values())];
  const lost = unanswered.length > 0 || dutyWaiting();
  sent.clear();
  for (const card of cards.values()) {
    card.waitingFor = null;
    updateHeld(card);
  }
  dutyAnswered(null);
  if (dropped && lost) showError(unanswered.length === 1 ? unanswered[0] : null, () => t().answerLost);
  return lost;
}

/** `describe` (the words of an answer to an action, in the current language) with the request it was about
    named as it is now: its card may go (closed meanwhile) while the answer is still shown, and the region,
    redrawn, must not say it again without the name. Null for none. */
function aboutRequest(id, describe) {
  const a = alerts.get(id);
  const about = a ? `${a.resident.name} (#${a.id}): ` : '';
  return describe ? () => `${about}${describe()}` : null;
}

/** Shows why an action was refused until the next action, in its own live region (null clears it). */
function showError(id, describe) {
  lastError = aboutRequest(id, describe);
  setText($('action-error'), lastError ? lastError() : '');
  checkLayout();
}

/** Says that an action was carried out when its card shows nothing of it (calling in more people: without a
    word, a second click would call in the ladder's next step too), until the next action. */
function showDone(id, describe) {
  lastDone = aboutRequest(id, describe);
  setText($('action-done'), lastDone ? lastDone() : '');
  checkLayout();
}

function newCard(id) {
  const item = $('alert-template').content.firstElementChild.cloneNode(true);
  item.dataset.id = id;
  const card = { id, item, layout: '', settledAt: 0, settleTimer: 0, waitingFor: null, needs: '' };
  for (const [selector, type] of ACTIONS)
    item.querySelector(selector).addEventListener('click', () => act(card, { type }));
  const form = item.querySelector('.resolve');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    act(card, { type: 'resolve', outcome: data.get('outcome'), note: data.get('note') });
  });
  item.querySelector('.state').tabIndex = -1; // where focus goes when the button it was on goes away
  setUpHistory(item.querySelector('details.history'), id);
  return card;
}

function fill(card, a, s) {
  const { item } = card;
  item.classList.toggle('urgent', a.priority === 'urgent');
  item.classList.toggle('taken', !waiting(a));
  item.classList.toggle('ringing', rings(a));
  for (const el of item.querySelectorAll('[data-i18n]')) setText(el, s[el.dataset.i18n] ?? el.textContent);
  setText(item.querySelector('.priority'), a.priority === 'urgent' ? `⚠ ${s.urgent}` : `○ ${s.normal}`);
  setText(item.querySelector('.who'), a.resident.name);
  const minutes = Math.floor((Date.now() - Date.parse(a.created_at)) / 60000);
  const repeats = a.repeat_count ? ` · ${s.repeated(a.repeat_count)}` : '';
  setText(item.querySelector('.meta'), `#${a.id} · ${s.via[a.channel] ?? a.channel} · ${s.ago(minutes)}${repeats}`);
  const phone = item.querySelector('.phone');
  if (phone.textContent !== (a.resident.phone || s.none)) {
    phone.replaceChildren();
    if (a.resident.phone) {
      const link = document.createElement('a');
      link.href = `tel:${a.resident.phone}`;
      link.textContent = a.resident.phone;
      phone.append(link);
    } else phone.textContent = s.none;
  }
  setText(item.querySelector('.address'), a.resident.address || s.none);
  const needsKey = `${currentLanguage()}:${a.resident.needs.join(',')}`;
  if (card.needs !== needsKey) {
    card.needs = needsKey;
    const needs = item.querySelector('.needs');
    needs.replaceChildren();
    if (!a.resident.needs.length) needs.textContent = s.none;
    for (const need of a.resident.needs) {
      const span = document.createElement('span');
      span.textContent = s.needsLabels[need] ?? need;
      if (need === 'deaf') span.className = 'warning';
      needs.append(span, document.createElement('br'));
    }
  }
  setText(item.querySelector('.message'), a.message || s.none);
  // What the resident wrote when they asked again (a second text, "Nadal czekam"): on the card, not only in
  // the history, since it may say the situation got worse.
  for (const el of item.querySelectorAll('.latest')) el.hidden = !a.latest_message;
  setText(item.querySelector('.latest-message'), a.latest_message ?? '');
  const by = a.acknowledged_by ? ` ${a.acknowledged_by.name}` : '';
  const taken = ['acknowledged', 'contacted'].includes(a.state);
  const reminded = taken && rings(a) ? ` — ${s.reminder}` : '';
  setText(item.querySelector('.state'), `${s.state[a.state] ?? a.state}${taken ? by : ''}${reminded}`);
  const mine = taken && canAct(a);
  item.querySelector('.ack').hidden = !waiting(a);
  item.querySelector('.contacted').hidden = !(mine && a.state === 'acknowledged');
  item.querySelector('.release').hidden = !mine;
  item.querySelector('.escalate').hidden = !waiting(a);
  item.querySelector('.resolve').hidden = !mine;
}

function render() {
  const list = $('queue');
  const s = t();
  const focused = document.activeElement;
  const focusedCard = [...cards.values()].find((c) => c.item.contains(focused));
  let selection = null;
  try { if (focused?.selectionStart != null) selection = [focused.selectionStart, focused.selectionEnd]; } catch { /* no selection */ }

  for (const [id, card] of cards) {
    if (alerts.has(id)) continue;
    clearTimeout(card.settleTimer);
    card.item.remove();
    cards.delete(id);
  }
  ordered().forEach((a, i) => {
    let card = cards.get(a.id);
    if (!card) cards.set(a.id, card = newCard(a.id));
    fill(card, a, s);
    if (list.children[i] !== card.item) list.insertBefore(card.item, list.children[i] ?? null);
  });

  // Focus stays where it was: put back if a card moved, or on the card's state line when what had it was
  // hidden (the button pressed went away), or on the list's heading when the card itself went.
  if (focusedCard) {
    if (!focusedCard.item.isConnected) $('board-title').focus();
    else if (focused.closest('[hidden]')) focusedCard.item.querySelector('.state').focus();
    else if (document.activeElement !== focused) {
      focused.focus({ preventScroll: true });
      if (selection) try { focused.setSelectionRange(...selection); } catch { /* not a text field */ }
    }
  }

  const open = alerts.size;
  setText($('summary'), open ? s.summary(open, [...alerts.values()].filter(waiting).length) : s.empty);
  setText($('action-error'), lastError ? lastError() : '');
  setText($('action-done'), lastDone ? lastDone() : '');
  const signedIn = $('signed-in');
  signedIn.hidden = !me;
  setText(signedIn, me ? s.signedInAs(me.name, me.role) : '');
  const duty = $('duty');
  duty.setAttribute('aria-pressed', String(Boolean(me?.on_duty)));
  setText(duty, me?.on_duty ? s.onDuty : s.offDuty);
  checkLayout();
}

function closeNotification(id) {
  notifications.get(id)?.note.close();
  notifications.delete(id);
}

/** Closes the notifications whose reason is over: their request closed, was taken (one that rang as
    waiting), or changed state or taker (a reminder). */
function closeStaleNotifications() {
  for (const [id, { about }] of [...notifications]) {
    const a = alerts.get(id);
    if (!a || (about === 'waiting' ? !waiting(a) : takenAs(a) !== about)) closeNotification(id);
  }
}

/** Rings for a request: marks it ringing, shows a notification and (unless `tone` is false) plays a tone. */
function ring(a, tone = true) {
  const reminder = !waiting(a);
  // A reminder keeps ringing only where something can be done about it; elsewhere it sounds once.
  if (!reminder) ringing.set(a.id, 'waiting');
  else if (canAct(a)) ringing.set(a.id, takenAs(a));
  if (tone) playTone(a.priority === 'urgent');
  if ('Notification' in window && Notification.permission === 'granted') {
    const note = new Notification(
      `${reminder ? t().reminder : t().newAlert}: ${a.priority === 'urgent' ? t().urgent + ' — ' : ''}${a.resident.name}`,
      { tag: `ask-${a.id}`, renotify: true });
    notifications.set(a.id, { note, about: reminder ? takenAs(a) : 'waiting' });
  }
}

// The title flashes while anything rings, so a dashboard in a background tab is noticed.
setInterval(() => {
  const before = ringing.size;
  for (const id of [...ringing.keys()]) if (!alerts.has(id) || !rings(alerts.get(id))) ringing.delete(id);
  if (ringing.size !== before) showSoundHeld(); // off duty, the warning went with the last ring
  document.title = ringing.size && !document.title.startsWith('🔔') ? `🔔 (${ringing.size}) ${baseTitle}` : baseTitle;
}, 1000);
setInterval(render, 30000); // elapsed times

function onMessage(m) {
  if (m.type === 'snapshot') {
    const known = new Set(alerts.keys());
    alerts.clear();
    for (const a of m.alerts) alerts.set(a.id, a);
    me = m.me ?? me;
    showSoundHeld();
    // Connected once the office's queue has come, not when the socket opened: a dead path opens as well.
    showLink('online');
    forgetSent();
    // Whatever happened while the page was away (taken by a colleague, closed) is only known from here.
    closeStaleNotifications();
    // What is waiting and this page has not rung for (it came while the page was away, or before it was
    // opened) rings now, for someone on duty: one tone, a notification each.
    if (me?.on_duty) m.alerts.filter((a) => waiting(a) && !known.has(a.id)).forEach((a, i) => ring(a, i === 0));
    showCoordinatorPanel(me);
    refreshClosed(); // what closed while the page was away, or before it was opened
  } else if (m.type === 'alert' || m.type === 'alert_update') {
    const a = m.alert;
    if (m.type === 'alert_update' && ['resolved', 'cancelled'].includes(a.state)) {
      alerts.delete(a.id);
      refreshClosed();
    } else alerts.set(a.id, a);
    // A taken request rings only when the server reminds about it (renotified): no contact yet, or
    // the resident pressed again.
    if (m.type === 'alert' && (waiting(a) || m.renotified)) ring(a);
    else closeStaleNotifications();
    const card = cards.get(a.id);
    if (card && alerts.has(a.id)) refreshHistory(card.item.querySelector('details.history'), a.id);
  } else if (m.type === 'duty') { // from this dashboard, another of ours, or the HTTP API
    me = { ...me, on_duty: m.on_duty };
    showSoundHeld();
    showCoordinatorPanel(me);
  } else if (m.type === 'ok') {
    if (!dutyAnswered(m.ref)) {
      const id = answered(m.ref, true);
      if (m.ref?.startsWith('escalate-')) {
        showDone(id, () => t().calledIn);
        const card = cards.get(id);
        if (card) refreshHistory(card.item.querySelector('details.history'), id);
      }
    }
  } else if (m.type === 'error') {
    if (dutyAnswered(m.ref)) {
      showError(null, () => t().refused[m.code] ?? m.message);
      return;
    }
    // A refusal the page cannot match to what it sent (a message too broken to read its ref): nothing
    // held waits for an answer any more.
    if (!sent.has(m.ref)) forgetSent();
    const id = answered(m.ref, false);
    showError(id, () => (m.code === 'already_acknowledged' && m.holder
      ? t().takenBy(m.holder.name) : t().refused[m.code] ?? m.message));
    return;
  }
  render();
}

/** The session ended (or expired, or was signed out here): no resident's details stay on screen; the
    login form says why, as an error (`region` 'error') or a plain note ('note'): `key` of STRINGS. */
function signOut(key, region = 'error') {
  dropConnection();
  me = null;
  alerts.clear();
  ringing.clear();
  for (const id of [...notifications.keys()]) closeNotification(id);
  showCoordinatorPanel(null);
  clearClosed();
  lastError = null;
  lastDone = null;
  render();
  showLink('');
  $('username').value = ''; // the next person at a shared computer signs in as themselves
  showLogin(key, region);
}

// Whether the dashboard is connected ('online', 'offline'; '' signed out), said at the top of the board:
// while it is down no alert arrives, and the cards shown may be out of date.
let link = '';
function showLink(state) {
  link = state;
  $('connection').textContent = state ? t()[state] : '';
  $('connection').classList.toggle('down', state === 'offline');
}

// A connection that never opened: the server may be down or unreachable by WebSocket, or it refused the
// session (expired, or ended while the server was not running). A read-only call with the session tells
// which; refused, the dashboard is signed out. Refused at the first answer after a sign-in it has just
// accepted, the browser did not send the session back (it keeps no cookies here). Resolves to 'accepted' (any
// answer of askd's but 401: staff get 403), 'unreachable' (none, or a proxy's 5xx), 'refused', or 'gone'.
async function checkSession(firstAfterSignIn = false) {
  const current = connection;
  let response = null;
  try {
    response = await fetch('/api/v1/duty', { credentials: 'same-origin', cache: 'no-store' });
  } catch { /* unreachable: keep trying */ }
  if (connection !== current) return 'gone';
  if (!response) return 'unreachable';
  if (response.status !== 401) return response.status < 500 ? 'accepted' : 'unreachable';
  signOut(firstAfterSignIn ? 'loginNoSession' : 'sessionExpired');
  return 'refused';
}

/** Stops the connection there is; what it still waited for is said to be unknown (returns whether any was). */
function dropConnection() {
  const lost = forgetSent(true);
  connection?.stop();
  connection = null; // a check of the session still under way for it then says nothing
  return lost;
}

/** Connects the dashboard, kept connected; `afterSignIn`: the server has just accepted a sign-in here. */
function connect(afterSignIn = false) {
  dropConnection();
  let sessionAnswered = false; // a check of the session, since this sign-in
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  connection = keepConnected(`${scheme}://${location.host}/ws/staff`, {
    onOpen: () => {
      // Signed in from the form: focus goes to the queue's heading, not lost to the page with the form.
      const fromLogin = !$('login').hidden && $('login').contains(document.activeElement);
      $('login').hidden = true;
      $('board').hidden = false;
      $('sign-out').hidden = false;
      if (fromLogin) $('board-title').focus();
    },
    onMessage,
    onDown: (wasOpen, code) => {
      if (code === SIGNED_OUT) { // the server ended the session
        signOut('signedOut');
        return false;
      }
      if (!wasOpen && !me && !afterSignIn) { // not signed in
        showLogin();
        return false;
      }
      if (!wasOpen && !me) { // signed in, and the connection does not open: tried again, said on the form
        checkSession(!sessionAnswered).then((found) => {
          if (found === 'accepted') sessionAnswered = true;
          if (found === 'accepted' || found === 'unreachable') showLoginError('connectFailed');
        });
        return true;
      }
      forgetSent(true);
      showLink('offline');
      if (!wasOpen) checkSession();
      return true;
    },
  });
}

setUpLogin({ submitted: dropConnection, signedIn: () => connect(true) });

$('duty').addEventListener('click', () => {
  if (dutyHeld()) return;
  const on = !me?.on_duty;
  if (on && 'Notification' in window && Notification.permission === 'default') Notification.requestPermission();
  allowSound();
  showError(null);
  const ref = `duty-${on ? 'on' : 'off'}-${++sequence}`;
  if (!connection?.send({ type: 'duty', on, ref })) {
    showError(null, () => t().notSent);
    return;
  }
  holdDuty(ref);
});

setUpAlarmSound(() => Boolean(me?.on_duty) || ringing.size > 0, () => t().soundHeld);

/** The question before signing out (sign_out.js), or null: on duty, and with requests taken and no contact yet. */
function signOutQuestion() {
  const onDuty = Boolean(me?.on_duty);
  const held = [...alerts.values()].filter((a) => a.state === 'acknowledged' && a.acknowledged_by?.id === me?.id);
  if (!onDuty && !held.length) return null;
  const s = t();
  return {
    text: [onDuty ? s.signOutOnDuty : s.signOutAsk, held.length ? s.signOutHeld(held.length) : ''].filter(Boolean)
      .join(' '),
    confirm: onDuty ? s.signOutEndDuty : s.signOut,
  };
}

let lostAtSignOut = false; // an answer was still awaited as the sign-out stopped the connection
setUpSignOut({
  onDuty: () => Boolean(me?.on_duty),
  question: signOutQuestion,
  leave: () => { lostAtSignOut = dropConnection(); },
  stay: connect,
  signedOut: () => signOut('youSignedOut', 'note'),
  refused: (key) => showError(null, () => (lostAtSignOut ? `${t()[key]} ${t().answerLost}` : t()[key])),
});

setupLanguage(STRINGS, () => {
  render();
  showSoundHeld();
  showLink(link);
  translateLogin();
  for (const [id, card] of cards) translateHistory(card.item.querySelector('details.history'), id);
  translateClosed();
  showCoordinatorPanel(me);
});
connect();
