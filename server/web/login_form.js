// The dashboard's login form: signing in (POST /api/v1/login), and what the form says. A sign-in that
// failed, or a session that ended or expired, is said in #login-error (role="alert"); the dashboard's own
// sign-out in #login-note (role="status"). Both regions are in the page from the start.
//
// What the form says is kept as a key of STRINGS (with its arguments), not as text, so a change of
// language says it again in the new language.
//
// A screen reader announces a live region when its text changes while it is on screen; text that is
// already in it as it appears (the form shown with it, after a sign-out) is not announced. So the form is
// shown first and the region emptied, and the text is written ANNOUNCE_MS later. A message said twice
// (a second wrong password) is then also a change each time, and announced again.
import { currentLanguage } from './i18n.js';
import { STRINGS } from './staff_strings.js';

const $ = (id) => document.getElementById(id);
const REGIONS = { error: 'login-error', note: 'login-note' };
// Long enough for the emptied region to reach the accessibility tree before its text does.
const ANNOUNCE_MS = 100;

let message = null; // { region: 'error' or 'note', key, args } being said, or null
let timer = 0;      // until it fires, `message` is not written yet

const textOf = (m) => {
  const said = STRINGS[currentLanguage()][m.key];
  return typeof said === 'function' ? said(...m.args) : said;
};

function write() {
  for (const [region, id] of Object.entries(REGIONS)) {
    const text = message?.region === region ? textOf(message) : '';
    if ($(id).textContent !== text) $(id).textContent = text;
  }
}

/** Says `region`'s message `key` of STRINGS (with `args`), or nothing (null), so it is announced. */
function say(region, key = null, ...args) {
  clearTimeout(timer);
  timer = 0;
  message = null;
  write();
  if (key === null) return;
  message = { region, key, args };
  timer = setTimeout(() => {
    timer = 0;
    write();
  }, ANNOUNCE_MS);
}

/** Shows the login form, with focus in its first field, saying `key` of STRINGS in `region` ('error' or
    'note'), or nothing when `key` is null. */
export function showLogin(key = null, region = 'error') {
  $('board').hidden = true;
  $('sign-out').hidden = true;
  $('login').hidden = false;
  $('username').focus();
  say(region, key);
}

/** Says `key` of STRINGS as an error with the form left as it is (focus too), unless it says so already:
    a trouble that lasts (each try of a connection failing) is announced once. */
export function showLoginError(key) {
  if (message?.region !== 'error' || message.key !== key) say('error', key);
}

/** The language changed: what the form says is written again, in the new language. */
export function translateLogin() {
  if (!timer) write();
}

/** Wires the form: as it is submitted, `submitted()` (what the page still tried for an earlier sign-in
    stops); on a sign-in the server accepted, `signedIn()` (the dashboard connects). */
export function setUpLogin({ submitted, signedIn }) {
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    submitted();
    say(null);
    let response;
    try {
      response = await fetch('/api/v1/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: $('username').value, password: $('password').value }),
      });
    } catch {
      say('error', 'loginOffline');
      return;
    }
    $('password').value = '';
    if (!response.ok) {
      const code = (await response.json().catch(() => ({}))).error?.code;
      if (code === 'account_disabled') say('error', 'accountDisabled');
      else if (response.status === 429) say('error', 'loginLocked');
      else if (response.status === 401) say('error', 'loginFailed');
      else if (response.status === 503) say('error', 'loginUnavailable');
      else say('error', 'loginError', response.status);
      return;
    }
    signedIn();
  });
}
