// Polish first, English second. translate(root, strings) fills every [data-i18n] element;
// the chosen language is remembered on this device.
const KEY = 'ask.lang';

export function currentLanguage() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'pl';
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
    localStorage.setItem(KEY, currentLanguage() === 'pl' ? 'en' : 'pl');
    apply();
  });
  apply();
}

// The close code with which the server ends a connection whose sign-in it has revoked (a staff
// session signed out, a staff account disabled or given a new password, a resident's link replaced or
// the resident removed): not a reason to reconnect.
export const SIGNED_OUT = 4001;

// Reconnects with a capped backoff; onOpen/onMessage/onDown are called as things happen. onDown gets
// whether the connection had opened and its close code; returning false stops reconnecting, as does
// stop() on what it returns (which also closes the socket, without calling onDown). `protocols`: more
// subprotocols to offer after ask.v1 (the server answers with ask.v1).
export function keepConnected(url, { onOpen, onMessage, onDown, protocols = [] }) {
  let delay = 500;
  let socket;
  let timer = 0;
  let stopped = false;
  const connect = () => {
    socket = new WebSocket(url, ['ask.v1', ...protocols]);
    let opened = false;
    socket.onopen = () => { opened = true; delay = 500; onOpen?.(socket); };
    socket.onmessage = (event) => {
      if (stopped) return;
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      onMessage(message, socket);
    };
    socket.onclose = (event) => {
      if (stopped) return;
      const retry = onDown?.(opened, event.code) !== false;
      if (retry && !stopped) timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  };
  connect();
  return {
    send: (obj) => !stopped && socket?.readyState === WebSocket.OPEN && (socket.send(JSON.stringify(obj)), true),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
