// Polish first, English second. translate(root, strings) fills every [data-i18n] element;
// the chosen language is remembered on this device, where it can be: a WebView with its storage off, or a
// browser blocking it, has none (reading it throws), and the page then remembers it only while it is open.
const KEY = 'ask.lang';
let unsaved = null;

export function currentLanguage() {
  let saved = unsaved;
  try { saved = localStorage.getItem(KEY) ?? unsaved; } catch { /* no storage here */ }
  return saved === 'en' ? 'en' : 'pl';
}

function remember(lang) {
  unsaved = lang;
  try { localStorage.setItem(KEY, lang); } catch { /* no storage here */ }
}

export function setupLanguage(strings, onChange) {
  const button = document.getElementById('lang');
  const apply = () => {
    const lang = currentLanguage();
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-i18n]')) {
      const text = strings[lang][el.dataset.i18n];
      if (text !== undefined) el.textContent = text;
    }
    button.textContent = lang === 'pl' ? 'English' : 'Polski';
    button.lang = lang === 'pl' ? 'en' : 'pl';
    onChange?.(lang);
  };
  button.addEventListener('click', () => {
    remember(currentLanguage() === 'pl' ? 'en' : 'pl');
    apply();
  });
  apply();
}

// The close code with which the server ends a connection whose sign-in it has revoked (a staff
// session signed out, a staff account disabled or given a new password, a resident's link replaced or
// the resident removed): not a reason to reconnect.
export const SIGNED_OUT = 4001;

// A connection can die without a close (a laptop asleep, a changed network, a router forgetting it): the
// browser then shows it open for minutes while nothing arrives, and the WebSocket's own pings are not
// visible to a script. So the page asks `ping` every HEARTBEAT_MS (answered `ok`, protocol/README.md), and
// a connection that has brought nothing since a ping it sent ANSWER_MS ago is given up for dead (reported
// as code 1006, a lost connection) and a new one opened. Only an unanswered ping counts, not time without
// news: a browser runs the timers of a page long in the background once a minute, and that page's
// connection is alive. Those times are read from the monotonic clock (a wall clock set back would hold the
// check up by the step). One more rule, on the wall clock, which goes on while a laptop sleeps: nothing
// heard for QUIET_MS, longer than a background page's minute between timers, means the computer slept and
// the connection is given up at once rather than after a ping unanswered.
const HEARTBEAT_MS = 10000;
const ANSWER_MS = 15000;
const QUIET_MS = 120000;
const PING_REF = 'keepalive';

// Reconnects with a capped backoff; onOpen/onMessage/onDown are called as things happen. onDown gets
// whether the connection had opened and its close code; returning false stops reconnecting, as does
// stop() on what it returns (which also closes the socket, without calling onDown). `protocols`: more
// subprotocols to offer after ask.v1 (the server answers with ask.v1). The answers to its pings are not
// passed on.
export function keepConnected(url, { onOpen, onMessage, onDown, protocols = [] }) {
  let delay = 500;
  let socket;
  let timer = 0;
  let heartbeat = 0;
  let stopped = false;
  const connect = () => {
    const mine = new WebSocket(url, ['ask.v1', ...protocols]);
    socket = mine;
    let opened = false;
    let ended = false;
    let heard = 0;  // when a message last came (performance.now())
    let asked = 0;  // when the last ping went (performance.now())
    let heardAt = 0; // when a message last came, by the wall clock
    // Once per socket: when it closes, or when it is given up for dead (its close may then take minutes).
    const down = (code) => {
      if (ended || stopped) return;
      ended = true;
      clearInterval(heartbeat);
      const retry = onDown?.(opened, code) !== false;
      if (retry && !stopped) timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
    mine.onopen = () => {
      opened = true;
      delay = 500;
      heard = performance.now();
      heardAt = Date.now();
      heartbeat = setInterval(() => {
        const now = performance.now();
        const slept = Date.now() - heardAt > QUIET_MS;
        if (slept || asked > heard) {
          if (!slept && now - asked <= ANSWER_MS) return; // its answer may still come
          mine.close();
          down(1006);
        } else if (mine.readyState === WebSocket.OPEN) {
          asked = now;
          mine.send(JSON.stringify({ type: 'ping', ref: PING_REF }));
        }
      }, HEARTBEAT_MS);
      onOpen?.(mine);
    };
    mine.onmessage = (event) => {
      if (stopped || ended) return;
      heard = performance.now();
      heardAt = Date.now();
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.ref === PING_REF) return; // its answer: ok, or busy behind an action still waiting
      onMessage(message, mine);
    };
    mine.onclose = (event) => down(event.code);
  };
  connect();
  return {
    send: (obj) => !stopped && socket?.readyState === WebSocket.OPEN && (socket.send(JSON.stringify(obj)), true),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      socket?.close();
    },
  };
}
