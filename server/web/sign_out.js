// The dashboard's "Wyloguj" (sign out), for an office computer the next person will use: it ends this
// browser's session (POST /api/v1/logout), and the login form says "Wylogowano.".
//
// Someone on duty is asked first, and on yes goes off duty (POST /api/v1/duty, the duty button's action)
// before the session ends. Signed out but still on duty, they would go on being listed on the duty roster
// and texted by escalation's on-duty step with no dashboard open, without knowing it. Only once the
// server has confirmed the duty ended does the sign-out go on; if it cannot, they stay signed in and on
// duty and are told so. If the sign-out then fails, they stay signed in, are off duty, and are told both.
// On "Anuluj" nothing changes.
//
// Someone who has taken requests and not yet talked to those residents is told so in the same question (on
// duty or not): the requests stay theirs, and their residents go on being told that they will call, for
// as long as the office's follow-ups allow (hours by default). "Anuluj" leaves them the time to give them
// back to the queue first.
const $ = (id) => document.getElementById(id);

const post = (path, body) => fetch(path, {
  method: 'POST',
  credentials: 'same-origin',
  cache: 'no-store',
  headers: body ? { 'Content-Type': 'application/json' } : {},
  body: body ? JSON.stringify(body) : undefined,
}).catch(() => null); // unreachable: null

/** Wires the sign-out button and its question. `page` is what the dashboard knows and does:
    onDuty() whether the member is on duty now; question() the question to ask before signing out, as
    { text, confirm } (the confirm button's label), or null for none; leave() stops the live connection, so the session's end
    is not taken for a sign-out from elsewhere and nothing reconnects; stay() connects again after a
    sign-out that did not happen; signedOut() shows the login form; refused(key) shows why nothing was
    done (a key of STRINGS). */
export function setUpSignOut(page) {
  const button = $('sign-out');
  const dialog = $('sign-out-dialog');
  let busy = false;

  async function signOut(endDuty) {
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    try {
      if (endDuty) {
        const off = await post('/api/v1/duty', { on: false });
        if (!off?.ok) {
          page.refused(off ? 'signOutDutyFailed' : 'signOutOffline');
          return;
        }
      }
      page.leave();
      const done = await post('/api/v1/logout');
      if (!done?.ok) {
        page.stay();
        // Off duty by now: they must not believe they are still on duty either.
        if (endDuty) page.refused(done ? 'signOutFailedOffDuty' : 'signOutOfflineOffDuty');
        else page.refused(done ? 'signOutFailed' : 'signOutOffline');
        return;
      }
      page.signedOut();
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  }

  let asked = null; // the question shown
  const ask = (question) => {
    asked = question;
    $('sign-out-question').textContent = question.text;
    $('sign-out-confirm').textContent = question.confirm;
  };
  button.addEventListener('click', () => {
    if (busy) return;
    const question = page.question();
    if (!question) {
      signOut(false);
      return;
    }
    ask(question);
    dialog.showModal();
  });
  $('sign-out-confirm').addEventListener('click', () => {
    // Duty (or the requests taken) may have changed from elsewhere while the question was open: "yes" is an
    // answer to what was asked, so a different question is asked instead of acting on it.
    const now = page.question();
    if (now && now.text !== asked?.text) {
      ask(now);
      return;
    }
    dialog.close();
    signOut(page.onDuty());
  });
  $('sign-out-cancel').addEventListener('click', () => dialog.close());
  // On "Anuluj" or Escape focus goes back to the button; on yes the sign-out moves it on when done (to
  // the login form, or back here if refused: the browser puts it where it was before the question).
  dialog.addEventListener('close', () => { if (!busy) button.focus(); });
}
