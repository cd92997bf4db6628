// The two pages in a real browser against the real askd (issue 5): the whole story across a
// resident and two staff dashboards, recovery after a server restart, keyboard-only use of the
// resident page, and an axe-core WCAG 2.1 A/AA audit of both pages. Screenshots go to
// $ASK_BROWSER_OUT (default: a temp folder), named after the moment they show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Askd } from './askd.mjs';
import { audit } from './axe.mjs';
import { contextWithAttentionHooks, launch } from './browser.mjs';
import {
  PASSWORD, alertFor, goOnDuty, limit, staffDashboard as signedInDashboard, withAnnaAndJan,
} from './page_helpers.mjs';

const out = process.env.ASK_BROWSER_OUT || mkdtempSync(join(tmpdir(), 'ask-shots-'));
mkdirSync(out, { recursive: true });

let askd;
let browser;
let jan;
let ewa;
let piotr; // no request of his own: his page always shows the two buttons

before(async () => {
  askd = new Askd();
  askd.addStaff('anna', 'Anna', PASSWORD, 'coordinator');
  askd.addStaff('bob', 'Bob', PASSWORD);
  askd.addStaff('celina', 'Celina', PASSWORD); // two dashboards of her own; nobody else's duty changes
  jan = askd.addResident('Jan Kowalski', '+48600100200', 'wheelchair,hard_of_hearing');
  ewa = askd.addResident('Ewa Nowak', '+48600100300', 'blind');
  piotr = askd.addResident('Piotr Zieliński', '+48600100400', 'low_vision');
  await askd.start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await askd?.dispose();
});

async function shot(page, name) {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

/** `username`'s dashboard on `server` (the shared askd unless given), signed in and showing the queue. */
const staffDashboard = (username, server = askd) => signedInDashboard(browser, server, username);

async function residentPage(token, server = askd) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  await page.goto(`${server.base}/r#${token}`);
  await page.waitForFunction(() => document.querySelector('#connection').textContent.length > 0);
  return page;
}

/** A press from a button device (POST /api/v1/requests with the resident's token). */
const press = (server, token, body = { priority: 'normal' }) => fetch(`${server.base}/api/v1/requests`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** A request as its resident's token sees it (GET /api/v1/requests/{id}). */
async function requestOf(server, token, id) {
  const response = await fetch(`${server.base}/api/v1/requests/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return response.json();
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));


test('press → every on-duty dashboard rings → acknowledge → the resident is told who → resolve; restart recovers', limit, async () => {
  const anna = await staffDashboard('anna');
  await goOnDuty(anna);
  const bob = await staffDashboard('bob');
  await goOnDuty(bob);
  const resident = await residentPage(jan);
  await shot(resident, 'resident-start');
  assert.deepEqual(await audit(resident), [], 'resident page before a press (the buttons and the message field)');

  await resident.fill('#message', 'Proszę o telefon w sprawie zasiłku');
  await resident.click('#press-normal');
  await resident.waitForSelector('#confirm:not([hidden])');
  await resident.click('#send-now');
  await resident.waitForSelector('#current:not([hidden])');

  const alert = alertFor(anna, 'Jan Kowalski');
  await alert.waitFor();
  assert.match(await alert.innerText(), /\+48600100200/);
  assert.match(await alert.innerText(), /Porusza się na wózku/, 'needs are shown in words');
  const rang = await anna.evaluate(() => window.__attention);
  assert.ok(rang.some((a) => a.kind === 'notification' && a.title.includes('Jan Kowalski')), JSON.stringify(rang));
  assert.ok(rang.some((a) => a.kind === 'tone'), 'a tone was played');
  await anna.waitForFunction(() => document.title.startsWith('🔔'), null, { timeout: 3000 }); // flashes while it rings
  await alertFor(bob, 'Jan Kowalski').waitFor();
  await shot(anna, 'staff-ringing');

  await alert.locator('details.history summary').click();
  await alert.locator('.history-list li', { hasText: 'zgłoszenie' }).first().waitFor();
  assert.match(await alert.locator('.history-list').innerText(), /Jan Kowalski/, 'who asked, in the history');
  await alert.locator('button.ack').click();
  await resident.waitForFunction(() => document.querySelector('#status').textContent.includes('Anna z urzędu skontaktuje się z Tobą'));
  await shot(resident, 'resident-taken');
  await alertFor(bob, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
  assert.equal(await alertFor(bob, 'Jan Kowalski').locator('button.ack').isHidden(), true, 'Bob cannot take it any more');
  assert.deepEqual(await audit(anna), [], 'dashboard with a taken request and its outcome form');
  assert.deepEqual(await audit(resident), [], 'resident page telling who will call');

  await alert.locator('button.contacted').click();
  await resident.waitForFunction(() => document.querySelector('#status').textContent.includes('Kontakt nawiązany'));
  await alert.locator('select[name=outcome]').selectOption('called_back');
  await alert.locator('form.resolve button[type=submit]').click();
  await alertFor(anna, 'Jan Kowalski').waitFor({ state: 'detached' });
  await resident.waitForFunction(() => document.querySelector('#connection').textContent.includes('zakończona')
    || document.querySelector('#status').textContent.includes('zakończona'));

  // A new request, then the server dies and comes back: both pages find their way back by themselves.
  await resident.click('#press-urgent');
  await resident.click('#send-now');
  await alertFor(anna, 'Jan Kowalski').waitFor();
  const pages = [anna, bob, resident];
  for (const page of pages) await page.evaluate(() => { window.__sameDocument = true; }); // gone if a page reloads
  await askd.kill();
  const offline = () => /Brak połączenia|Nie mogę połączyć/.test(document.querySelector('#connection').textContent);
  for (const page of pages) await page.waitForFunction(offline); // "Nie mogę…": the resident's, after 3 failed tries
  await askd.start();
  for (const page of [anna, bob])
    await page.waitForFunction(() => document.querySelector('#connection').textContent.includes('Połączono'), null,
      { timeout: 20000 });
  await resident.waitForFunction(() => document.querySelector('#connection').textContent.includes('Połączono z urzędem'),
    null, { timeout: 20000 });
  await alertFor(anna, 'Jan Kowalski').waitFor();
  await alertFor(bob, 'Jan Kowalski').waitFor();
  await alertFor(anna, 'Jan Kowalski').locator('button.ack').click();
  await resident.waitForFunction(() => document.querySelector('#status').textContent.includes('Anna z urzędu'), null,
    { timeout: 20000 });
  for (const page of pages)
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'recovered without a reload');
  await shot(anna, 'staff-after-restart');
});

test('the resident page works with the keyboard alone', limit, async () => {
  const page = await residentPage(ewa);
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'press-normal'; ++i) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(focused, 'press-normal', 'Tab reaches the main button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'undo', 'focus moves to the undo choice');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'send-now');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => /przyjęte/.test(document.querySelector('#status').textContent));
  await shot(page, 'resident-keyboard-sent');
});

test('both pages have no WCAG 2.1 A/AA violations (axe-core)', limit, async () => {
  const resident = await residentPage(ewa);
  assert.deepEqual(await audit(resident), [], 'resident page');
  const context = await contextWithAttentionHooks(browser);
  const login = await context.newPage();
  await login.goto(`${askd.base}/staff`);
  await login.waitForSelector('#login:not([hidden])');
  assert.deepEqual(await audit(login), [], 'staff login');
  await shot(login, 'staff-login');
  const board = await staffDashboard('bob');
  await alertFor(board, 'Ewa Nowak').waitFor();
  assert.deepEqual(await audit(board), [], 'staff dashboard with an alert');
  await shot(board, 'staff-dashboard');
  await resident.setViewportSize({ width: 360, height: 740 });
  await shot(resident, 'resident-phone');
});

// 200% zoom of a 1280 px window lays out like a 640 px one (WCAG 1.4.4/1.4.10); a phone is 320 px,
// a tablet kiosk 768 px. At each, nothing may scroll sideways and the two buttons stay whole.
test('the resident page fits a phone, a tablet and 200% zoom without sideways scrolling', limit, async () => {
  const page = await residentPage(piotr);
  for (const [name, width, height] of [['phone', 320, 640], ['zoom-200', 640, 400], ['tablet', 768, 1024]]) {
    await page.setViewportSize({ width, height });
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      buttons: ['press-normal', 'press-urgent'].map((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return r.left >= 0 && r.right <= window.innerWidth && r.height >= 44;
      }),
    }));
    assert.ok(layout.overflow <= 0, `${name}: ${layout.overflow}px of sideways scrolling`);
    assert.deepEqual(layout.buttons, [true, true], `${name}: a button is cut off or under 44 px tall`);
    await shot(page, `resident-${name}`);
  }
});

test('a coordinator sees who is on duty and the statistics; staff do not', limit, async () => {
  const anna = await staffDashboard('anna');
  await anna.waitForSelector('#coordinator:not([hidden])');
  await anna.locator('#roster li', { hasText: 'Bob' }).waitFor();
  await anna.waitForFunction(() => /Zgłoszenia/.test(document.querySelector('#stats').textContent));
  const stats = await anna.locator('#stats').innerText();
  assert.match(stats, /Zgłoszenia\s+[1-9]/, stats);
  assert.match(await anna.locator('#stats-csv').getAttribute('href'), /format=csv/);
  assert.deepEqual(await audit(anna), [], 'coordinator dashboard');
  await shot(anna, 'coordinator-dashboard');
  const bob = await staffDashboard('bob');
  assert.equal(await bob.locator('#coordinator').isHidden(), true);
});

test('going on or off duty on one dashboard shows on every dashboard of that person', limit, async () => {
  const first = await staffDashboard('celina');
  const second = await staffDashboard('celina');
  try {
    await goOnDuty(first);
    await second.waitForSelector('#duty[aria-pressed=true]');
    assert.equal(await second.locator('#duty').innerText(), await first.locator('#duty').innerText());
    await second.click('#duty');
    await first.waitForSelector('#duty[aria-pressed=false]');
    await second.waitForSelector('#duty[aria-pressed=false]');
  } finally {
    await first.context().close();
    await second.context().close();
  }
});

// A shared office computer: "Wyloguj" ends this browser's session for good (the login form says so, the
// page does not reconnect, a reload still asks to sign in), and someone on duty is asked first and goes
// off duty with it, not left counted on duty with no dashboard.
test('"Wyloguj" signs out for good; someone on duty is asked and goes off duty first', limit, async () => {
  await withAnnaAndJan('', async (own) => {
    const dutyOf = (username) => own.cli(['staff', 'list']).split('\n').find((l) => l.split('\t')[1] === username)
      .split('\t')[6];
    const page = await staffDashboard('anna', own);
    await page.click('#lang');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1, 'no English "Sign out"');
    await page.click('#lang');
    const signOut = page.getByRole('button', { name: 'Wyloguj' });
    await goOnDuty(page);

    await signOut.focus();
    await page.keyboard.press('Enter');
    const question = page.getByRole('dialog', { name: 'Jesteś na dyżurze. Zakończyć dyżur i wylogować?' });
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sign-out', 'focus did not come back');
    assert.equal(await page.locator('#duty').getAttribute('aria-pressed'), 'true', 'cancelling changed the duty');
    assert.equal(dutyOf('anna'), 'yes');
    assert.equal(await page.locator('#board').isVisible(), true);

    let sockets = 0;
    page.on('websocket', () => { sockets += 1; });
    // Everything the error line says from here, even for a moment (it is an alert: a screen reader speaks it).
    await page.evaluate(() => {
      window.loginErrors = [];
      const line = document.querySelector('#login-error');
      new MutationObserver(() => window.loginErrors.push(line.textContent))
        .observe(line, { childList: true, characterData: true, subtree: true });
    });
    // The server's answer held back a second: the dashboard's close (4001) comes first, as it may.
    await page.route('**/api/v1/logout', async (route) => {
      const response = await route.fetch();
      await pause(1000);
      await route.fulfill({ response });
    });
    await page.keyboard.press('Enter');
    await question.waitFor();
    assert.deepEqual(await audit(page), [], 'the question before signing out');
    await shot(page, 'staff-sign-out-question');
    await page.getByRole('button', { name: 'Zakończ dyżur i wyloguj' }).click();
    await page.waitForSelector('#login:not([hidden])');
    await page.locator('#login-note', { hasText: 'Wylogowano.' }).waitFor(); // written once the form is shown
    assert.equal(await page.locator('#login-note').innerText(), 'Wylogowano.');
    assert.deepEqual((await page.evaluate(() => window.loginErrors)).filter(Boolean), [],
      'said as if the session had been ended elsewhere');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
    assert.equal(await page.locator('#username').inputValue(), '', 'the last person\'s login stays filled in');
    assert.equal(await page.locator('#board').isHidden(), true);
    assert.equal(await signOut.count(), 0, '"Wyloguj" still shown');
    assert.equal(dutyOf('anna'), 'no', 'signed out but still counted on duty');
    assert.deepEqual((await page.context().cookies()).filter((c) => c.name === 'ask_session'), []);
    assert.deepEqual(await audit(page), [], 'the login form after signing out');
    await shot(page, 'staff-signed-out');
    await pause(1500);
    assert.equal(sockets, 0, 'the page tried to reconnect after signing out');

    await page.reload();
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.locator('#board').isHidden(), true, 'a reload signed back in');

    // Off duty there is nothing to ask.
    const again = await staffDashboard('anna', own);
    await again.click('#sign-out');
    await again.waitForSelector('#login:not([hidden])');
    await again.locator('#login-note', { hasText: 'Wylogowano.' }).waitFor();
    assert.equal(await again.locator('#login-note').innerText(), 'Wylogowano.');
  });
});

// "Acked and forgotten": a taken request with no contact within ack_timeout_seconds makes its
// taker's dashboard ring again (tone, notification, flashing title, the card says why) until the
// state moves on. An askd of its own, with a two-second timeout.
test('a taken request with no contact yet rings its taker again until contact is recorded', limit, async () => {
  const own = new Askd('[escalation.normal]\nack_timeout_seconds = 2\n'
    + 'steps = [{ after_seconds = 600, who = "all_staff", how = ["dashboard"] }]\n');
  try {
    own.addStaff('anna', 'Anna', PASSWORD);
    own.addStaff('bob', 'Bob', PASSWORD);
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    const bob = await staffDashboard('bob', own);
    await goOnDuty(bob);
    const press = () => fetch(`${own.base}/api/v1/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 'normal' }),
    });
    assert.equal((await press()).status, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.waitFor(); // rung before the card is drawn: what is recorded from here on is the reminder
    await anna.evaluate(() => { window.__attention = []; });
    await alert.locator('button.ack').click();
    await alert.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();

    await anna.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'
      && a.title.startsWith('Przypomnienie')), null, { timeout: 8000 });
    assert.ok((await anna.evaluate(() => window.__attention)).some((a) => a.kind === 'tone'), 'a tone was played');
    await anna.waitForFunction(() => document.title.startsWith('🔔'), null, { timeout: 3000 });
    await alert.filter({ hasText: 'Przypomnienie: mieszkaniec nadal czeka na kontakt' }).waitFor();
    assert.equal(await alert.evaluate((li) => li.classList.contains('ringing')), true);
    await shot(anna, 'staff-reminded');

    // Jan presses again: every dashboard on duty hears it. Bob can do nothing about Anna's request,
    // so his sounds once and does not keep ringing; Anna's still does.
    await alertFor(bob, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    await bob.evaluate(() => { window.__attention = []; });
    assert.equal((await press()).status, 200);
    await bob.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'
      && a.title.startsWith('Przypomnienie')), null, { timeout: 5000 });
    await alertFor(bob, 'Jan Kowalski').filter({ hasText: 'Ponowione 1×' }).waitFor();
    assert.equal(await bob.evaluate(() => document.querySelector('#queue li.alert.ringing')), null,
      'Bob\'s dashboard keeps ringing for a request only Anna can act on');
    assert.equal(await alert.evaluate((li) => li.classList.contains('ringing')), true);

    await alert.locator('button.contacted').click();
    await alert.filter({ hasText: 'Kontakt nawiązany' }).waitFor();
    await anna.waitForFunction(() => !document.querySelector('#queue li.alert.ringing'), null, { timeout: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the title flashes each second while anything rings
    for (let i = 0; i < 3; ++i) {
      assert.equal((await anna.title()).startsWith('🔔'), false, 'the title still flashes');
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
  } finally {
    await own.dispose();
  }
});

// The office's changes made with askd's commands beside the serving askd (askd staff disable, askd
// resident token): the pages they take the right from close within seconds and say why, showing no
// resident's details any more, instead of reconnecting forever; what the disabled member had taken rings
// for the others again, its history saying why. An askd of its own.
test('a refused action is explained in Polish, not in the server\'s English', limit, async () => {
  // No step to call in for a normal request: "call in more people" is refused (no_escalation_steps).
  const own = new Askd('[escalation.normal]\nsteps = []\n');
  try {
    own.addStaff('bob', 'Bob', PASSWORD);
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const bob = await staffDashboard('bob', own);
    await goOnDuty(bob);
    const press = await fetch(`${own.base}/api/v1/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 'normal' }),
    });
    assert.equal(press.status, 201);
    await alertFor(bob, 'Jan Kowalski').locator('button.escalate').click();
    await bob.waitForFunction(() =>
      /nie ustawiono kolejnych osób do wezwania/.test(document.querySelector('#action-error').textContent));
    assert.doesNotMatch(await bob.locator('#action-error').innerText(), /configured/);
    // Pressed again, it is urgent: its ladder has steps, but none would call anyone but Bob
    // (nobody_to_call).
    const again = await fetch(`${own.base}/api/v1/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 'normal' }),
    });
    assert.equal(again.status, 200);
    await bob.waitForFunction(() => /PILNE/.test(document.querySelector('#queue').textContent));
    await alertFor(bob, 'Jan Kowalski').locator('button.escalate').click();
    await bob.waitForFunction(() =>
      /Nie można teraz wezwać nikogo innego/.test(document.querySelector('#action-error').textContent));
    assert.doesNotMatch(await bob.locator('#action-error').innerText(), /anyone but you/);
  } finally {
    await own.dispose();
  }
});

test('a disabled staff member\'s dashboard and a replaced resident link close and say why', limit, async () => {
  const own = new Askd();
  try {
    own.addStaff('bob', 'Bob', PASSWORD);
    own.addStaff('ewa', 'Ewa', PASSWORD);
    const added = own.cli(['resident', 'add', '--name', 'Jan Kowalski', '--phone', '+48600100200', '--needs', 'deaf']);
    const residentId = /resident (\d+) added/.exec(added)[1];
    const token = added.trim().split('\n').pop();
    await own.start();
    const bob = await staffDashboard('bob', own);
    await goOnDuty(bob);
    const context = await browser.newContext();
    context.setDefaultTimeout(10000);
    const jan = await context.newPage();
    await jan.goto(`${own.base}/r#${token}`);
    await jan.waitForFunction(() => /Połączono/.test(document.querySelector('#connection').textContent));
    const press = await fetch(`${own.base}/api/v1/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 'normal' }),
    });
    assert.equal(press.status, 201);
    await alertFor(bob, 'Jan Kowalski').waitFor();
    await bob.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'));
    const ewa = await staffDashboard('ewa', own);
    await goOnDuty(ewa);
    await alertFor(bob, 'Jan Kowalski').locator('button.ack').click();
    await alertFor(ewa, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Bob' }).waitFor();
    await jan.waitForFunction(() => document.querySelector('#status').textContent.includes('Bob z urzędu'));
    await ewa.evaluate(() => { window.__attention.length = 0; });

    own.cli(['staff', 'disable', '--username', 'bob']);
    await bob.waitForSelector('#login:not([hidden])', { timeout: 5000 });
    assert.equal(await bob.locator('#board').isHidden(), true);
    await bob.locator('#login-error', { hasText: 'Sesja' }).waitFor(); // written once the form is shown
    assert.match(await bob.locator('#login-error').innerText(), /Sesja została zakończona/);
    assert.equal(await bob.locator('#queue li.alert').count(), 0, 'a resident\'s card stayed on screen');
    assert.ok((await bob.evaluate(() => window.__attention)).some((a) => a.kind === 'notification closed'
      && a.title.includes('Jan Kowalski')), 'the notification naming Jan stayed open');
    await bob.fill('#username', 'bob');
    await bob.fill('#password', PASSWORD);
    await bob.click('#login-form button[type=submit]');
    await bob.waitForFunction(() => /konto jest wyłączone/i.test(document.querySelector('#login-error').textContent));
    await shot(bob, 'staff-disabled');

    // Bob will not call Jan back: the request rings for Ewa again, Jan is told, and the history says why.
    const given = alertFor(ewa, 'Jan Kowalski');
    await given.locator('button.ack').waitFor();
    await ewa.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'));
    await jan.waitForFunction(() => document.querySelector('#status').textContent.includes('Powiadamiamy pracowników'));
    await given.locator('details.history summary').click();
    await given.locator('.history-list li', { hasText: 'oddane do kolejki' }).waitFor();
    assert.match(await given.locator('.history-list').innerText(),
      /oddane do kolejki: konto osoby, która je przyjęła, zostało wyłączone · system/);

    own.cli(['resident', 'token', '--id', residentId]);
    await jan.waitForFunction(() => /Ten link już nie działa/.test(document.querySelector('#connection').textContent),
      null, { timeout: 5000 });
    assert.equal(await jan.locator('#press-normal').isVisible(), false, 'the old link still offers to press');
    assert.equal(await jan.locator('#current').isVisible(), false);
    await shot(jan, 'resident-link-replaced');
    await context.close();
  } finally {
    await own.dispose();
  }
});

// Two clicks 150 ms apart on a card's button, as a double click or a hurried second click: the first
// does what the button says; the second must not land on the button that took its place.
test('a double click on "Biorę to" or "Rozmawiałem(-am)" does that and nothing more', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    const pressed = await press(own, token);
    assert.equal(pressed.status, 201);
    const { id } = await pressed.json();
    const alert = alertFor(anna, 'Jan Kowalski');
    const clickTwice = async (selector) => {
      await alert.locator(selector).waitFor();
      await anna.waitForFunction((s) => !document.querySelector(`#queue li.alert ${s}`).hasAttribute('aria-disabled'),
        selector);
      const box = await alert.locator(selector).boundingBox();
      await anna.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await pause(150);
      await anna.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await pause(1000); // whatever the second click did has been answered
    };

    await clickTwice('button.ack');
    assert.match(await alert.locator('.state').innerText(), /^Przyjęte przez Anna/);
    await clickTwice('button.contacted');
    assert.match(await alert.locator('.state').innerText(), /^Kontakt nawiązany przez Anna/);
    const kinds = (await requestOf(own, token, id)).events.map((e) => e.kind);
    assert.deepEqual(kinds.filter((k) => ['acknowledged', 'contacted', 'released'].includes(k)),
      ['acknowledged', 'contacted'], kinds.join(', '));
  });
});

// What a member is doing on a card survives whatever else arrives: another resident's alert redraws
// the queue, and so does the clock every 30 s.
test('an update keeps the close form\'s outcome, the typed note, keyboard focus and a refusal shown', limit, async () => {
  const own = new Askd('[escalation.normal]\nsteps = []\n'); // "call in more people" is refused
  try {
    own.addStaff('anna', 'Anna', PASSWORD);
    const jan = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    const ewa = own.addResident('Ewa Nowak', '+48600100300', 'blind');
    const piotr = own.addResident('Piotr Zieliński', '+48600100400', 'low_vision');
    await own.start();
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    assert.equal((await press(own, jan)).status, 201);
    const card = alertFor(anna, 'Jan Kowalski');
    await card.locator('button.ack').click();
    await card.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    assert.equal((await press(own, ewa)).status, 201);
    await alertFor(anna, 'Ewa Nowak').locator('button.escalate').click();
    await anna.waitForFunction(() =>
      /Ewa Nowak.*nie ustawiono kolejnych osób/.test(document.querySelector('#action-error').textContent));

    await card.locator('select[name=outcome]').selectOption('visit_scheduled');
    await card.locator('input[name=note]').fill('Wizyta we wtorek');
    await card.locator('input[name=note]').focus();
    assert.equal((await press(own, piotr)).status, 201);
    await alertFor(anna, 'Piotr Zieliński').waitFor();
    await pause(300);
    assert.equal(await card.locator('select[name=outcome]').inputValue(), 'visit_scheduled');
    assert.equal(await card.locator('input[name=note]').inputValue(), 'Wizyta we wtorek');
    assert.equal(await card.locator('input[name=note]').evaluate((el) => el === document.activeElement), true,
      'focus left the note');
    assert.match(await anna.locator('#action-error').innerText(), /nie ustawiono kolejnych osób/);
    assert.deepEqual(await audit(anna), [], 'dashboard with a refusal shown and a form being filled in');
  } finally {
    await own.dispose();
  }
});

// A session the server no longer accepts (expired, or ended by `askd staff password` while askd was
// not running, as here): the dashboard's reconnection is refused with HTTP 401, not a network error.
test('a dashboard whose session is no longer accepted shows the login form and says why', limit, async () => {
  const own = new Askd();
  try {
    own.addStaff('bob', 'Bob', PASSWORD);
    const token = own.addResident('Jan Kowalski', '+48600100200', 'deaf');
    await own.start();
    const bob = await staffDashboard('bob', own);
    await goOnDuty(bob);
    assert.equal((await press(own, token)).status, 201);
    await alertFor(bob, 'Jan Kowalski').waitFor();
    await own.kill();
    await bob.waitForFunction(() => /Brak połączenia/.test(document.querySelector('#connection').textContent));
    own.cli(['staff', 'password', '--username', 'bob'], `${PASSWORD} nowe\n`);
    await own.start();
    await bob.waitForSelector('#login:not([hidden])', { timeout: 15000 });
    await bob.locator('#login-error', { hasText: 'Sesja' }).waitFor(); // written once the form is shown
    assert.match(await bob.locator('#login-error').innerText(), /Sesja wygasła/);
    assert.equal(await bob.locator('#queue li.alert').count(), 0, 'a resident\'s card stayed on screen');
    assert.equal(await bob.locator('#connection').innerText(), '', 'it still says it is reconnecting');
  } finally {
    await own.dispose();
  }
});

test('the login form tells a wrong password, a locked login and no connection apart', limit, async () => {
  const own = new Askd();
  try {
    await own.start();
    const context = await browser.newContext();
    context.setDefaultTimeout(10000);
    const page = await context.newPage();
    await page.goto(`${own.base}/staff`);
    await page.waitForSelector('#login:not([hidden])');
    const attempt = async () => {
      await page.fill('#username', 'nikt');
      await page.fill('#password', 'to nie jest hasło');
      await page.click('#login-form button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
      return page.locator('#login-error').innerText();
    };
    const said = [];
    for (let i = 0; i < 7 && !/Za dużo/.test(said.at(-1) ?? ''); ++i) said.push(await attempt());
    assert.match(said[0], /Zły login lub hasło/);
    assert.match(said.at(-1), /Za dużo nieudanych prób logowania/, said.join(' | '));
    await page.click('#lang');
    assert.match(await attempt(), /Too many failed attempts/);
    await page.click('#lang');
    await own.kill();
    assert.match(await attempt(), /Brak połączenia z serwerem/);
    await context.close();
  } finally {
    await own.dispose();
  }
});

// A dashboard opened (or reconnected) while a request waits rings for it at once, when its member is on
// duty, rather than at the next re-notification; a notification closes once its request is taken.
test('a request already waiting rings as the dashboard connects; its notification closes once taken', limit, async () => {
  const own = new Askd();
  try {
    own.addStaff('anna', 'Anna', PASSWORD);
    own.addStaff('bob', 'Bob', PASSWORD);
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const first = await staffDashboard('bob', own);
    await goOnDuty(first);
    await first.context().close();
    assert.equal((await press(own, token)).status, 201);

    const bob = await staffDashboard('bob', own);
    await alertFor(bob, 'Jan Kowalski').waitFor();
    await bob.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'
      && a.title.includes('Jan Kowalski')), null, { timeout: 3000 });
    assert.ok((await bob.evaluate(() => window.__attention)).some((a) => a.kind === 'tone'), 'no tone was played');
    await bob.waitForFunction(() => document.title.startsWith('🔔'), null, { timeout: 3000 });

    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    await alertFor(anna, 'Jan Kowalski').locator('button.ack').click();
    await alertFor(bob, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    await bob.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification closed'
      && a.title.includes('Jan Kowalski')), null, { timeout: 3000 });
  } finally {
    await own.dispose();
  }
});

// A second press is "I still need help": a status arriving during the page's five-second countdown (the
// button device pressed meanwhile) must not drop the page's own press, its priority or its message.
test('a status during the resident\'s countdown does not lose the press: it is sent and raises the request', limit, async () => {
  const own = new Askd();
  try {
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const page = await residentPage(token, own);
    await page.fill('#message', 'Upadłem, nie mogę wstać');
    await page.click('#press-urgent');
    await page.waitForSelector('#confirm:not([hidden])');
    const pressed = await press(own, token);
    assert.equal(pressed.status, 201);
    const { id } = await pressed.json();
    let request;
    for (let i = 0; i < 40 && !request?.events.some((e) => e.kind === 'repeated'); ++i) {
      await pause(250);
      request = await requestOf(own, token, id);
    }
    const repeated = request.events.find((e) => e.kind === 'repeated');
    assert.ok(repeated, `the page's press was never sent: ${request.events.map((e) => e.kind).join(', ')}`);
    assert.equal(request.priority, 'urgent');
    assert.equal(repeated.detail.message, 'Upadłem, nie mogę wstać');
    await page.waitForSelector('#current:not([hidden])');
    await page.context().close();
  } finally {
    await own.dispose();
  }
});

// A double click on "Poproś o kontakt": its second click lands on "Cofnij" or "Wyślij teraz", now where the
// button was, and must not undo the press the first one made. The same for the staff's duty button, which a
// second click would turn back off.
test('a double click neither undoes a resident\'s press nor turns a member\'s duty back off', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const page = await residentPage(token, own);
    const button = await page.locator('#press-normal').boundingBox();
    await page.mouse.dblclick(button.x + button.width / 2, button.y + button.height / 2);
    await pause(300);
    assert.equal(await page.locator('#confirm').isVisible(), true, 'the press was undone');
    await page.waitForSelector('#current:not([hidden])', { timeout: 10000 }); // sent after the countdown

    const anna = await staffDashboard('anna', own);
    const duty = await anna.locator('#duty').boundingBox();
    await anna.mouse.click(duty.x + duty.width / 2, duty.y + duty.height / 2);
    await anna.waitForSelector('#duty[aria-pressed=true]');
    const now = await anna.locator('#duty').boundingBox(); // its label, and so its size, changed
    await anna.mouse.click(now.x + now.width / 2, now.y + now.height / 2); // the second click, at once
    await pause(1000);
    assert.equal(await anna.locator('#duty').getAttribute('aria-pressed'), 'true', 'the second click turned duty off');
    const again = await staffDashboard('anna', own);
    await again.waitForSelector('#duty[aria-pressed=true]'); // as the server has it
    await page.context().close();
    await anna.context().close();
    await again.context().close();
  });
});

// A note over the office's limit is refused as too long, saying so, and leaves the card's buttons free.
test('a close note over the limit is refused as too long and frees the card', limit, async () => {
  await withAnnaAndJan('[limits]\nnote_chars = 10\n', async (own, token) => {
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    assert.equal((await press(own, token)).status, 201);
    const card = alertFor(anna, 'Jan Kowalski');
    await card.locator('button.ack').click();
    await card.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    await card.locator('input[name=note]').fill('Rozmowa telefoniczna, wszystko ustalone');
    await card.locator('form.resolve button[type=submit]').click();
    await anna.waitForFunction(() => /Notatka jest dłuższa/.test(document.querySelector('#action-error').textContent));
    await pause(800);
    assert.equal(await card.locator('form.resolve button[type=submit]').getAttribute('aria-disabled'), null,
      'the card\'s buttons stay held');
    await card.locator('input[name=note]').fill('Rozmowa');
    await card.locator('form.resolve button[type=submit]').click();
    await card.waitFor({ state: 'detached' });
    await anna.context().close();
  });
});

// A resident whose request was taken and who is still waiting says so from the page: a second press, with
// the undo window, that the office sees as "I still need help" (raised to urgent, rung again).
test('a resident with a request open can say they still need help', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    const page = await residentPage(token, own);
    await page.click('#press-normal');
    await page.click('#send-now');
    await page.waitForSelector('#current:not([hidden])');
    await alertFor(anna, 'Jan Kowalski').locator('button.ack').click();
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Anna z urzędu'));
    assert.equal(await page.locator('#press-again').isVisible(), true, 'offered while it is taken');
    assert.equal(await page.locator('#cancel').isVisible(), false);

    await page.click('#press-again');
    await page.waitForSelector('#confirm:not([hidden])');
    await page.click('#send-now');
    await page.waitForSelector('#current:not([hidden])');
    const id = Number(await alertFor(anna, 'Jan Kowalski').getAttribute('data-id'));
    let request;
    for (let i = 0; i < 40 && request?.repeat_count !== 1; ++i) {
      await pause(250);
      request = await requestOf(own, token, id);
    }
    assert.equal(request.repeat_count, 1, 'the second press reached the office');
    assert.equal(request.priority, 'urgent');
    assert.deepEqual(await audit(page), [], 'the resident page with a request open');
    await page.context().close();
    await anna.context().close();
  });
});

// The server sends a reconnecting resident page a status for open requests only: a request closed while
// the page was offline must not go on showing "Anna z urzędu skontaktuje się z Tobą.".
test('a request closed while the resident page was offline shows as closed once it reconnects', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const home = own.port;
    const anna = await staffDashboard('anna', own);
    await goOnDuty(anna);
    const page = await residentPage(token, own);
    await page.click('#press-normal');
    await page.click('#send-now');
    await page.waitForSelector('#current:not([hidden])');
    await alertFor(anna, 'Jan Kowalski').locator('button.ack').click();
    await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Anna z urzędu'));
    await anna.context().close();
    await own.kill();
    await page.waitForFunction(() => /Brak połączenia|Nie mogę/.test(document.querySelector('#connection').textContent));

    // Anna closes it meanwhile, not having reached Jan, through an askd on another port (the same database)
    // that the page does not reach.
    own.port = 0;
    await own.start();
    const elsewhere = await staffDashboard('anna', own);
    const card = alertFor(elsewhere, 'Jan Kowalski');
    await card.locator('select[name=outcome]').selectOption('no_contact');
    await card.locator('form.resolve button[type=submit]').click();
    await card.waitFor({ state: 'detached' });
    await elsewhere.context().close();
    await own.kill();
    own.port = home;
    await own.start();

    await page.waitForSelector('#press-normal:not([hidden])', { timeout: 20000 });
    await page.waitForFunction(() => /Nie udało się z Tobą skontaktować/.test(document.querySelector('main').innerText));
    assert.doesNotMatch(await page.locator('main').innerText(), /Dziękujemy/, 'not thanked for help that did not come');
    assert.equal(await page.locator('#current').isVisible(), false);
    assert.doesNotMatch(await page.locator('main').innerText(), /skontaktuje się/);
    await page.context().close();
  });
});

// A refusal a resend cannot change (here a message over the office's limit) ends the press: back to the
// buttons, the message kept to be shortened, the reason shown; not "Wyślij teraz" for ever. And a press
// waiting to be sent says so in either language, never "will be sent in 0 s".
test('a refused press returns to the buttons with the message kept; a press waiting to be sent says so', limit, async () => {
  const own = new Askd('[limits]\nmessage_chars = 20\n');
  try {
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const page = await residentPage(token, own);
    assert.equal(await page.locator('#message').getAttribute('maxlength'), null, 'the page cannot know the limit');
    const long = 'Proszę o telefon w sprawie zasiłku opiekuńczego';
    await page.fill('#message', long);
    await page.click('#press-normal');
    await page.click('#send-now');
    await page.waitForSelector('#press-normal:not([hidden])');
    await page.waitForFunction(() => /wiadomość jest za długa/.test(document.querySelector('#status').textContent));
    assert.equal(await page.locator('#confirm').isVisible(), false);
    assert.equal(await page.locator('#message').inputValue(), long);

    await page.fill('#message', 'Proszę o telefon');
    await page.click('#press-normal');
    await own.kill();
    await page.waitForFunction(() => /Brak połączenia/.test(document.querySelector('#connection').textContent));
    await page.click('#send-now');
    await page.click('#lang');
    await page.waitForFunction(() => /No connection/.test(document.querySelector('#status').textContent));
    assert.doesNotMatch(await page.locator('main').innerText(), /will be sent in/);
    await page.click('#lang');
    await own.start(); // the press is sent as the page reconnects
    await page.waitForSelector('#current:not([hidden])', { timeout: 20000 });
    assert.equal(await page.locator('#message').inputValue(), '', 'the sent message stays in its field');
    await page.context().close();
  } finally {
    await own.dispose();
  }
});

// A message too big for the connection (over [limits] ws_message_bytes: a long text pasted in, far past
// message_chars) is closed on by askd before it is read (1009): the press ends as too long, with the message
// kept, and is not sent again at each reconnect for as long as the page stays open.
test('a message too big for the connection ends the press as too long, not a resend at every reconnect', limit,
  async () => {
    const own = new Askd();
    try {
      const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
      await own.start();
      const page = await residentPage(token, own);
      const long = 'Proszę o pilny telefon w sprawie zasiłku, żółć.'.repeat(400); // 18,800 letters, 21,200 bytes
      await page.fill('#message', long);
      await page.click('#press-normal');
      await page.click('#send-now');
      await page.waitForFunction(() => /wiadomość jest za długa/.test(document.querySelector('#status').textContent));
      await page.waitForSelector('#press-normal:not([hidden])');
      assert.equal(await page.locator('#message').inputValue(), long, 'kept, to be shortened');
      await page.waitForFunction(() => /Połączono/.test(document.querySelector('#connection').textContent));
      await new Promise((resolve) => { setTimeout(resolve, 2000); });
      assert.equal(own.log.split('closing with 1009').length - 1, 1, `sent again after the close:\n${own.log}`);
      assert.match(await page.locator('#status').innerText(), /wiadomość jest za długa/);
      assert.deepEqual(await audit(page), [], 'resident page after a message too big');
      await page.context().close();
    } finally {
      await own.dispose();
    }
  });

// crypto.randomUUID() exists only in secure contexts (https, localhost): a tablet on the office's network
// opens the page over plain http by a name, as here, and its press must still be sent.
test('the resident page presses over plain http by a name other than localhost', limit, async () => {
  const own = new Askd();
  const lan = await launch(['--host-resolver-rules=MAP tablet.gmina.test 127.0.0.1']);
  try {
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const context = await lan.newContext();
    context.setDefaultTimeout(10000);
    const page = await context.newPage();
    await page.goto(`http://tablet.gmina.test:${own.port}/r#${token}`);
    await page.waitForFunction(() => /Połączono/.test(document.querySelector('#connection').textContent));
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await page.click('#press-normal');
    await page.click('#send-now');
    await page.waitForSelector('#current:not([hidden])');
    assert.match(await page.locator('#status').innerText(), /Twoje zgłoszenie czeka w kolejce/); // nobody on duty
  } finally {
    await lan.close();
    await own.dispose();
  }
});

// WCAG 4.1.3: what the page says goes into a live region that is already in the page (a region revealed
// and filled in one step is often not announced). WCAG 2.4.3: when the button that had focus goes away
// (the press accepted, cancelled or undone), focus moves to the status's heading, not the page's start.
test('the resident page speaks from a live region already present; focus follows the status', limit, async () => {
  const own = new Askd();
  try {
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    const page = await residentPage(token, own);
    const region = () => page.evaluate(() => {
      const status = document.querySelector('#status');
      return { live: status.getAttribute('role') === 'status', shown: !status.closest('[hidden]'), text: status.textContent };
    });
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
    assert.deepEqual(await region(), { live: true, shown: true, text: '' }, 'no live region before the press');

    await page.click('#press-normal');
    await page.waitForSelector('#confirm:not([hidden])');
    assert.equal(await focused(), 'undo');
    const counting = await region();
    assert.equal(counting.shown, true);
    assert.match(counting.text, /zostanie wysłane za \d s/, 'the countdown is not in the live region');
    assert.equal(await page.locator('#status .seconds').getAttribute('aria-live'), 'off', 'every second is announced');
    assert.deepEqual(await audit(page), [], 'resident page counting down');
    await page.click('#undo');
    await page.waitForSelector('#press-normal:not([hidden])');
    assert.equal(await focused(), 'title-status', 'focus after undo');
    assert.match((await region()).text, /Nie wysłano zgłoszenia/);

    await page.click('#press-normal');
    await page.click('#send-now');
    await page.waitForSelector('#current:not([hidden])');
    assert.equal(await focused(), 'title-status', 'focus after the press was accepted');
    assert.match((await region()).text, /czeka w kolejce/);
    await page.click('#cancel');
    assert.equal(await focused(), 'cancel-no', 'focus on keeping the request, when asked whether to cancel');
    await page.click('#cancel-yes');
    await page.waitForSelector('#press-normal:not([hidden])');
    assert.equal(await focused(), 'title-status', 'focus after cancelling');
    assert.match((await region()).text, /Zgłoszenie zostało anulowane/);
    assert.deepEqual(await audit(page), [], 'resident page after cancelling');
    await shot(page, 'resident-cancelled');
    await page.context().close();
  } finally {
    await own.dispose();
  }
});
