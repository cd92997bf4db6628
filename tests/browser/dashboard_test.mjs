// The staff dashboard in a real browser against the real askd: a request's history shows the codes its events
// carry (who was alerted and how, how the request ended, why a text to the resident was not sent) in plain
// Polish, and in English when the page is, never as the codes themselves, and never an older state over a
// newer one; a refusal keeps naming the request it was about; a notification closes once a reconnect shows
// its request taken; the login form says why it is shown so that a screen reader announces it, in the page's
// language; rings again and again are one line of the history, and a press again says what the resident
// wrote; "Pokaż starsze" pages through the closed requests, and a refresh keeps what it showed, but for what
// was erased.
import { createServer } from 'node:http';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from './axe.mjs';
import { launch } from './browser.mjs';
import { PASSWORD, alertFor, goOnDuty, limit, press, staffDashboard, withAnnaAndJan } from './page_helpers.mjs';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A normal request calls in all staff at once, on their dashboards and by SMS (Anna has no phone: the
// step is recorded all the same).
const CALL_EVERYONE_AT_ONCE = '[escalation.normal]\n'
  + 'steps = [{ after_seconds = 0, who = "all_staff", how = ["dashboard", "sms"] }]\n';

test('the history names who was alerted, how, and how a request ended in words, not codes', limit, async () => {
  await withAnnaAndJan(CALL_EVERYONE_AT_ONCE, async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    const closedId = await press(own, token, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.locator('details.history summary').click();
    const history = alert.locator('.history-list');
    await history.locator('li', { hasText: 'eskalacja: wszyscy pracownicy (panel, SMS)' }).waitFor();
    assert.doesNotMatch(await history.innerText(), /all_staff|dashboard/);

    await alert.locator('button.ack').click();
    await alert.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    await alert.locator('select[name=outcome]').selectOption('no_contact');
    await alert.locator('form.resolve button[type=submit]').click();
    await alert.waitFor({ state: 'detached' });

    // The closed request's entry among those recently closed: the history open on its card is open there.
    const entry = anna.locator(`#closed-list li[data-id="${closedId}"]`);
    await entry.waitFor();
    assert.equal(await entry.locator('details.history').evaluate((d) => d.open), true);
    const closed = entry.locator('.history-list');
    await closed.locator('li', { hasText: 'zakończone: Brak kontaktu' }).waitFor();
    assert.doesNotMatch(await closed.innerText(), /no_contact|all_staff|dashboard/);

    await anna.click('#lang');
    await closed.locator('li', { hasText: 'closed: No contact' }).waitFor();
    await closed.locator('li', { hasText: 'escalated: all staff (dashboard, SMS)' }).waitFor();
    assert.doesNotMatch(await closed.innerText(), /no_contact|all_staff/);
  });
});

// SMSAPI (a fake of it on loopback, answering as its documentation says) refuses Jan's "received" text as one
// it already has (error 53: a try it took and answered too late): askd records it as sent, and the history
// says so in words, not as a second text or a failure.
test('a text the provider already had from an earlier try is said so in the history', limit, async () => {
  let texts = 0;
  const smsapi = createServer((request, response) => {
    texts += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"error":53,"message":"Nieunikalne idx"}');
    });
  });
  await new Promise((resolve) => { smsapi.listen(0, '127.0.0.1', resolve); });
  try {
    const config = `[sms]\nsender = "smsapi"\n[gateways.smsapi]\nenabled = true\n`
      + `base_url = "http://127.0.0.1:${smsapi.address().port}"\ntoken = "sa-token"\nusername = "gmina"\n`
      + 'webhook_key = "sa-hook-0123456789abcdef"\nfrom = "ASK"\n';
    await withAnnaAndJan(config, async (own, token) => {
      const anna = await staffDashboard(browser, own, 'anna');
      await goOnDuty(anna);
      const pressed = await fetch(`${own.base}/api/v1/requests`, { // a button device: Jan is texted it arrived
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ priority: 'normal', channel: 'button' }),
      });
      assert.equal(pressed.status, 201);
      const alert = alertFor(anna, 'Jan Kowalski');
      await alert.waitFor();
      for (let waited = 0; texts === 0; waited += 50) {
        assert.ok(waited < 10000, 'SMSAPI got no text');
        await pause(50);
      }
      await pause(500); // the answer is recorded after it comes; an open history is not loaded again for it
      await alert.locator('details.history summary').click();
      const history = alert.locator('.history-list');
      await history.locator('li', { hasText: 'SMS wysłany: dostawca miał już ten SMS z wcześniejszej próby; wysłany raz' })
        .waitFor();
      assert.doesNotMatch(await history.innerText(), /SMS niewysłany/);
      await anna.click('#lang');
      await history.locator('li', { hasText: 'text sent: the provider already had this text from an earlier try' })
        .waitFor();
    });
  } finally {
    smsapi.close();
  }
});

// Anna closes Jan's request with an outcome and a note: it goes below the open queue, among the requests
// closed lately, saying how it ended and who took and closed it, and its history opens there. Jan's next
// request, cancelled by him, goes above it without moving keyboard focus from where Anna left it, and
// nothing there is a live region (a closure is not announced).
test('a closed request is listed under "Zamknięte zgłoszenia (ostatnie)" with its outcome and history', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    await anna.locator('#closed-note', { hasText: 'Nie ma jeszcze zamkniętych zgłoszeń.' }).waitFor();
    const id = await press(own, token, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.locator('button.ack').click();
    await alert.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    await alert.locator('select[name=outcome]').selectOption('visit_scheduled');
    await alert.locator('input[name=note]').fill('Wizyta w piątek o 10');
    await alert.locator('form.resolve button[type=submit]').click();
    await alert.waitFor({ state: 'detached' });

    const entries = anna.locator('#closed-list li.closed-item');
    const entry = anna.locator(`#closed-list li.closed-item[data-id="${id}"]`);
    await entry.filter({ hasText: 'Zakończone: Umówiono wizytę (Mobilny Urzędnik)' }).waitFor();
    const shown = await entry.innerText();
    assert.match(shown, new RegExp(`Jan Kowalski #${id} · strona · zwykłe · zgłoszone \\d{2}:\\d{2}`));
    assert.match(shown, /Zakończone: Umówiono wizytę \(Mobilny Urzędnik\) · \d{2}:\d{2} · zamknął\(-ęła\): Anna · przyjął\(-ęła\): Anna/);
    assert.match(shown, /Notatka: Wizyta w piątek o 10/);
    assert.equal(await anna.locator('#closed-note').isVisible(), false);
    assert.equal(await anna.locator('#closed-title').textContent(), 'Zamknięte zgłoszenia (ostatnie)');
    assert.ok(await anna.evaluate(() => Boolean(document.querySelector('#queue')
      .compareDocumentPosition(document.querySelector('#closed')) & Node.DOCUMENT_POSITION_FOLLOWING)),
    'the closed requests come after the open queue');

    await entry.locator('details.history summary').click();
    const history = entry.locator('.history-list');
    await history.locator('li', { hasText: /· zakończone: Umówiono wizytę \(Mobilny Urzędnik\) · Anna$/ }).waitFor();
    await history.locator('li', { hasText: /· przyjęte · Anna$/ }).waitFor();
    assert.deepEqual(await audit(anna), [], 'dashboard with a closed request and its history open');

    await entry.locator('details.history summary').focus();
    const next = await press(own, token, 201);
    await alertFor(anna, 'Jan Kowalski').waitFor();
    const cancelled = await fetch(`${own.base}/api/v1/requests/${next}/cancel`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(cancelled.status, 200);
    await entries.first().filter({ hasText: 'Anulowane przez mieszkańca' }).waitFor();
    assert.equal(await entries.count(), 2);
    assert.equal(await entries.first().getAttribute('data-id'), String(next));
    assert.equal(await entries.nth(1).getAttribute('data-id'), String(id));
    assert.equal(await anna.evaluate(() => document.activeElement.closest('li.closed-item')?.dataset.id), String(id),
      'focus left the history Anna was on');
    assert.equal(await entries.nth(1).locator('details.history').evaluate((d) => d.open), true);
    assert.equal(await anna.locator('#closed [aria-live], #closed [role=status], #closed [role=alert]').count(), 0);

    await anna.click('#lang');
    await anna.locator('#closed-title', { hasText: 'Recently closed' }).waitFor();
    await entries.nth(1).filter({ hasText: 'Closed: Visit scheduled (Mobile Clerk)' }).waitFor();
    assert.match(await entries.nth(1).innerText(), /closed by: Anna · taken by: Anna/);
    assert.match(await entries.first().innerText(), /Cancelled by the resident/);
    await history.locator('li', { hasText: /· closed: Visit scheduled \(Mobile Clerk\) · Anna$/ }).waitFor();
  });
});

// Two requests close one after the other; the list fetched for the first is answered only after the one
// fetched for the second has been shown: the older answer must not replace the newer list.
test('the closed list keeps the latest answer when an older one comes back last', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await anna.locator('#closed-note', { hasText: 'Nie ma jeszcze zamkniętych zgłoszeń.' }).waitFor();
    const cancel = (id) => fetch(`${own.base}/api/v1/requests/${id}/cancel`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    let held;
    const heldFetched = new Promise((resolve) => { held = resolve; });
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    let calls = 0;
    await anna.route('**/api/v1/requests?state=closed*', async (route) => {
      if (++calls > 1) {
        await route.continue();
        return;
      }
      const response = await route.fetch(); // the list with the first request only
      held();
      await released;
      await route.fulfill({ response });
    });
    const first = await press(own, token, 201);
    assert.equal((await cancel(first)).status, 200);
    await heldFetched;
    const second = await press(own, token, 201);
    assert.equal((await cancel(second)).status, 200);
    const entries = anna.locator('#closed-list li.closed-item');
    await anna.locator(`#closed-list li[data-id="${second}"]`).waitFor();
    assert.equal(await entries.count(), 2);

    const heldDone = anna.waitForEvent('requestfinished', (r) => r.url().includes('state=closed'));
    release();
    await heldDone;
    await pause(300); // time for the page to read the answer and show it, were it to
    assert.equal(await entries.count(), 2, await anna.locator('#closed-list').innerText());
  });
});

// Nobody takes Jan's request, so Anna's dashboard rings again every second: the history gives those rings one
// line (a time range, how many people, how many rings) rather than one each, and says what Jan wrote when he
// pressed again, and by which way.
test('the history folds repeated rings into one line and shows what a press again said', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    await press(own, token, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await pause(3500); // three rings or more
    const again = await fetch(`${own.base}/api/v1/requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ priority: 'normal', message: 'Nadal czekam' }),
    });
    assert.equal(again.status, 200);
    await alert.locator('details.history summary').click();
    const history = alert.locator('.history-list');
    await history.locator('li', { hasText: 'mieszkaniec ponowił prośbę: strona: „Nadal czekam”' }).waitFor();
    const rings = history.locator('li', { hasText: 'powiadomiono: panel, 1 osoba' });
    const folded = rings.filter({ hasText: /\d{2}:\d{2}:\d{2}–\d{2}:\d{2}:\d{2} · powiadomiono: panel, 1 osoba · \d+ razy/ });
    await folded.first().waitFor();
    const lines = await history.locator('li').allInnerTexts();
    for (let i = 1; i < lines.length; ++i) {
      assert.ok(!(lines[i].includes('powiadomiono: panel') && lines[i - 1].includes('powiadomiono: panel')),
        `two lines of rings in a row:\n${lines.join('\n')}`);
    }
    const times = Number((await folded.first().innerText()).match(/· (\d+) razy/)[1]);
    assert.ok(times >= 3, `${times} rings in the first run`);

    await anna.click('#lang');
    await history.locator('li', { hasText: 'the resident asked again: web page: „Nadal czekam”' }).waitFor();
    await history.locator('li', { hasText: /alerted: dashboard, 1 person · \d+ times/ }).first().waitFor();
  }, { renotifySeconds: 1 });
});

// Jan asks again, and what he writes then may say it got worse: his latest words are on the card beside his
// first message, not only in the history. A press again with no words leaves them; the row is absent until
// there are some.
test('a press again shows its words on the card beside the first message', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    const pressWith = async (message, status) => {
      const response = await fetch(`${own.base}/api/v1/requests`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ priority: 'normal', message }),
      });
      assert.equal(response.status, status);
    };
    await pressWith('Proszę o telefon', 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.locator('.message', { hasText: 'Proszę o telefon' }).waitFor();
    assert.equal(await alert.locator('.latest-message').isVisible(), false, 'no press again yet');

    await pressWith('Upadłem, nie mogę wstać', 200);
    const latest = alert.locator('.latest-message', { hasText: 'Upadłem, nie mogę wstać' });
    await latest.waitFor();
    assert.equal(await alert.locator('dt.latest').innerText(), 'Ostatnia wiadomość');
    assert.equal(await alert.locator('.message').innerText(), 'Proszę o telefon', 'the first message stays');
    await pressWith('', 200);
    await alert.locator('.meta', { hasText: 'Ponowione 2×' }).waitFor();
    assert.equal(await latest.isVisible(), true, 'a press again with no words leaves the last ones');
    assert.deepEqual(await audit(anna), [], 'dashboard with a press again\'s words on the card');
    await anna.click('#lang');
    await alert.locator('dt.latest', { hasText: 'Latest message' }).waitFor();
  });
});

// The coordinators' step reaches nobody (the office has none), so everyone's comes at once rather than
// in ten minutes, and the history says so.
test('a step that reached nobody is said so in the history, and the next step came at once', limit, async () => {
  // Steps are judged reaching nobody once the dashboards had reconnect_grace_seconds (1 here, in the
  // [alerts] table Askd opens) to come back.
  const ladder = 'reconnect_grace_seconds = 1\n[escalation.normal]\nsteps = [\n'
    + '  { after_seconds = 2, who = "coordinators", how = ["dashboard"] },\n'
    + '  { after_seconds = 600, who = "all_staff", how = ["dashboard"] },\n]\n';
  await withAnnaAndJan(ladder, async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await press(own, token, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.waitFor();
    await alert.locator('details.history summary').click();
    const history = alert.locator('.history-list');
    await history.locator('li',
      { hasText: 'eskalacja: koordynatorzy (panel) — nikogo nie powiadomiono; od razu kolejny krok' }).waitFor();
    // Of everyone, Anna alone has a dashboard open.
    await history.locator('li', { hasText: 'eskalacja: wszyscy pracownicy (panel, 1 osoba)' }).waitFor();
    await anna.click('#lang');
    await history.locator('li',
      { hasText: 'escalated: coordinators (dashboard) — nobody was reached; the next step came at once' }).waitFor();
    await history.locator('li', { hasText: 'escalated: all staff (dashboard, 1 person)' }).waitFor();
  });
});

// Reach is judged once dashboards had reconnect_grace_seconds (1) to come back. The reminder comes 3 s after
// the take: Anna's page is closed well before then. Everyone's step waits ten minutes, out of the way.
const FOLLOW_UP = 'reconnect_grace_seconds = 1\n[escalation.normal]\nack_timeout_seconds = 3\n'
  + 'steps = [{ after_seconds = 600, who = "all_staff", how = ["dashboard"] }]\n';

/** Anna goes on duty, takes Jan's press and closes her dashboard: with no phone (addStaff gives none), she
    can get no reminder. */
async function annaTakesAndLeaves(own, token) {
  const anna = await staffDashboard(browser, own, 'anna');
  await goOnDuty(anna);
  await press(own, token, 201);
  const taken = alertFor(anna, 'Jan Kowalski');
  await taken.locator('button.ack').click();
  await taken.filter({ hasText: 'Przyjęte przez Anna' }).waitFor(); // askd has recorded the take
  await anna.context().close(); // Anna's laptop closed: her dashboard's connection goes with it
}

// Anna takes Jan's request and leaves. The reminder due ack_timeout_seconds after she took it could reach
// nobody, so it goes to the coordinators at once (detail.acknowledger_unreachable), and the history Cecylia,
// a coordinator, has open says why.
test('a reminder whose taker cannot be reached went to the coordinators, and the history says why', limit,
  async () => {
    await withAnnaAndJan(FOLLOW_UP, async (own, token) => {
      own.addStaff('cecylia', 'Cecylia', PASSWORD, 'coordinator');
      // Cecylia's dashboard is open before the reminder is due: it is the one dashboard the reminder reaches.
      const cecylia = await staffDashboard(browser, own, 'cecylia');
      await annaTakesAndLeaves(own, token);

      const alert = alertFor(cecylia, 'Jan Kowalski');
      await alert.locator('details.history summary').click();
      const history = alert.locator('.history-list');
      // The open history is loaded again when the reminder rings Cecylia's dashboard. Via panel and SMS,
      // reaching one person: Cecylia's dashboard (she has no phone either).
      await history.locator('li', { hasText: 'przyjęte, brak kontaktu — przypomnienie: koordynatorzy (panel, SMS, 1 osoba)'
        + ' — osoba, która przyjęła zgłoszenie, nie ma otwartego panelu ani telefonu' }).waitFor();
      await cecylia.click('#lang');
      await history.locator('li', { hasText: 'taken, no contact yet — reminder: coordinators (dashboard, SMS, 1 person)'
        + ' — whoever took the request has no dashboard open and no phone' }).waitFor();
    });
  });

// The same, but Cecylia, the one coordinator, has no dashboard open either, and nobody else is on duty: the
// reminder goes to everyone else at once, and Bob, whose dashboard is open, reads why in the history.
test('a reminder neither its taker nor a coordinator can get went to everyone, and the history says why', limit,
  async () => {
    await withAnnaAndJan(FOLLOW_UP, async (own, token) => {
      own.addStaff('bob', 'Bob', PASSWORD);
      own.addStaff('cecylia', 'Cecylia', PASSWORD, 'coordinator');
      const bob = await staffDashboard(browser, own, 'bob'); // off duty, his dashboard open
      await annaTakesAndLeaves(own, token);

      const alert = alertFor(bob, 'Jan Kowalski');
      await alert.locator('details.history summary').click();
      const history = alert.locator('.history-list');
      await history.locator('li', { hasText: 'przypomnienie: wszyscy pracownicy (panel, SMS, 1 osoba)'
        + ' — osoba, która przyjęła zgłoszenie, nie ma otwartego panelu ani telefonu'
        + ' — żaden koordynator nie ma otwartego panelu ani telefonu' }).waitFor();
      await bob.click('#lang');
      await history.locator('li', { hasText: 'reminder: all staff (dashboard, SMS, 1 person)'
        + ' — whoever took the request has no dashboard open and no phone'
        + ' — no coordinator has a dashboard open or a phone' }).waitFor();
    });
  });

// SMSAPI enabled for its webhook only (texts out go to the log, askd's default sender): Jan's phone can text
// askd. Nothing is sent to base_url.
const SMSAPI_KEY = 'sa-hook-0123456789abcdef';
const SMSAPI_WEBHOOK = '[gateways.smsapi]\nenabled = true\nbase_url = "http://127.0.0.1:9"\n'
  + `token = "sa-token"\nfrom = "ASK"\nwebhook_key = "${SMSAPI_KEY}"\n`;

/** A text from `from` to askd, as SMSAPI delivers it (POST /webhooks/sms/smsapi?key=…). */
async function textFrom(own, from, text, msgId) {
  const response = await fetch(`${own.base}/webhooks/sms/smsapi?key=${SMSAPI_KEY}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sms_from: from, sms_text: text, MsgId: msgId }).toString(),
  });
  assert.equal(response.status, 200, await response.text());
}

// Jan sent STOP, then texted for help: the text that would have told him his request arrived is not sent,
// and his request's history says why, in words, Polish and English, not as the code (opted_out).
test('the history says a text to the resident was not sent because they sent STOP', limit, async () => {
  await withAnnaAndJan(SMSAPI_WEBHOOK, async (own) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    await textFrom(own, '48600100200', 'STOP', 'stop-1');
    await textFrom(own, '48600100200', 'Proszę o telefon', 'help-1');
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.waitFor();
    const id = await alert.getAttribute('data-id');
    // The text is recorded just after the request is made: the history is opened once it is there.
    const recorded = async () => {
      const response = await anna.request.get(`${own.base}/api/v1/requests/${id}/events`);
      assert.equal(response.status(), 200);
      return (await response.json()).events.find((e) => e.kind === 'resident_sms');
    };
    let text;
    for (let tries = 0; !(text = await recorded()) && tries < 50; ++tries) await pause(100);
    assert.equal(text?.detail?.not_sent, 'opted_out', JSON.stringify(text));

    await alert.locator('details.history summary').click();
    const history = alert.locator('.history-list');
    await history.locator('li',
      { hasText: 'SMS do mieszkańca: zgłoszenie dotarło — nie wysłano: mieszkaniec wyłączył SMS-y (STOP) · system' })
      .waitFor();
    assert.doesNotMatch(await history.innerText(), /opted_out|not_sent|received/);
    await anna.click('#lang');
    await history.locator('li', { hasText:
      'text to the resident: the request arrived — not sent: the resident turned texts off (STOP) · system' })
      .waitFor();
    assert.doesNotMatch(await history.innerText(), /opted_out|not_sent/);
  });
});

// "Zakończ dyżur i wyloguj": the duty ends, then the sign-out fails. Anna is told both: still signed in,
// and off duty (not left believing she is on duty).
test('a sign-out that fails after the duty ended says the duty ended', limit, async () => {
  await withAnnaAndJan('', async (own) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    await anna.route('**/api/v1/logout', (route) => route.fulfill({ status: 503, body: '' }));
    await anna.click('#sign-out');
    await anna.getByRole('button', { name: 'Zakończ dyżur i wyloguj' }).click();
    await anna.locator('#action-error', { hasText: 'Dyżur zakończono, ale nie udało się wylogować' }).waitFor();
    await anna.locator('#duty[aria-pressed="false"]').waitFor();
    assert.equal(await anna.locator('#board').isVisible(), true);
  });
});

// The refusal's live region (role=alert) is written again whenever the dashboard redraws: a text that
// changed then (its request's name dropped once the card went) is announced again.
test('a refusal keeps naming its request after the request closes', limit, async () => {
  await withAnnaAndJan('[escalation.normal]\nsteps = []\n', async (own, token) => { // escalation refused
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    const id = await press(own, token, 201);
    await alertFor(anna, 'Jan Kowalski').locator('button.escalate').click();
    const refusal = anna.locator('#action-error');
    await refusal.filter({ hasText: `Jan Kowalski (#${id}): Dla tego priorytetu nie ustawiono` }).waitFor();
    const shown = await refusal.textContent();

    const cancelled = await fetch(`${own.base}/api/v1/requests/${id}/cancel`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(cancelled.status, 200);
    await alertFor(anna, 'Jan Kowalski').waitFor({ state: 'detached' });
    assert.equal(await refusal.textContent(), shown);
  });
});

// The first fetch of the history (the request still waiting) is answered only after the second (after
// Anna took it) has been shown: the older answer must not replace the newer.
test('a request\'s history keeps its latest state when an older answer comes back last', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    const id = await press(own, token, 201);
    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.waitFor();
    let fetched;
    const firstFetched = new Promise((resolve) => { fetched = resolve; });
    let answer;
    const firstAnswered = new Promise((resolve) => { answer = resolve; });
    let calls = 0;
    await anna.route(`**/api/v1/requests/${id}/events`, async (route) => {
      if (++calls > 1) {
        await route.continue();
        return;
      }
      const response = await route.fetch(); // the history while the request waits
      fetched();
      await firstAnswered;
      await route.fulfill({ response });
    });
    await alert.locator('details.history summary').click();
    await firstFetched;
    await alert.locator('button.ack').click();
    const history = alert.locator('.history-list');
    const taken = history.locator('li', { hasText: /· przyjęte · Anna$/ });
    await taken.waitFor();

    const firstDone = anna.waitForEvent('requestfinished', (r) => r.url().endsWith(`/requests/${id}/events`));
    answer();
    await firstDone;
    await pause(300); // time for the page to read the answer and show it, were it to
    assert.equal(await taken.count(), 1, await history.innerText());
  });
});

// The dashboard is away (its WebSocket closed, reconnections failing) while Bob takes the request it rang
// for; the snapshot after it reconnects shows the request taken, and the notification closes.
test('a notification closes when the snapshot after a reconnect shows its request taken', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    own.addStaff('bob', 'Bob', PASSWORD);
    let away = false;
    let current = null;
    const anna = await staffDashboard(browser, own, 'anna', (page) => page.routeWebSocket(/\/ws\/staff/, (ws) => {
      if (away) {
        ws.close();
        return;
      }
      ws.connectToServer();
      current = ws;
    }));
    await goOnDuty(anna);
    await press(own, token, 201);
    await alertFor(anna, 'Jan Kowalski').waitFor();
    await anna.waitForFunction(() => window.__attention.some((a) => a.kind === 'notification'
      && a.title.includes('Jan Kowalski')));

    away = true;
    await current.close();
    await anna.locator('#connection', { hasText: 'Brak połączenia' }).waitFor();
    const bob = await staffDashboard(browser, own, 'bob');
    await goOnDuty(bob);
    const atBob = alertFor(bob, 'Jan Kowalski');
    await atBob.locator('button.ack').click();
    await atBob.filter({ hasText: 'Przyjęte przez Bob' }).waitFor();
    assert.equal((await anna.evaluate(() => window.__attention)).some((a) => a.kind === 'notification closed'),
      false, 'closed before the dashboard could know');

    away = false;
    await alertFor(anna, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Bob' }).waitFor();
    assert.ok((await anna.evaluate(() => window.__attention)).some((a) => a.kind === 'notification closed'
      && a.title.includes('Jan Kowalski')), 'the notification for a request Bob took stayed open');
  });
});

// The dashboard's connection dies without a close (a laptop asleep, a changed network): nothing arrives and
// the browser says nothing. The page asks "ping" every 10 s and gives the connection up once one has gone
// unanswered for 15 s, says so at the top of the board, connects again, and the alert it missed rings. The
// page's clock is Playwright's, run forward.
test('a connection that goes silent is noticed, said at the top, and made again', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    // While `silent`, every connection there is, and every one made, carries nothing either way.
    let silent = false;
    const routes = [];
    const anna = await staffDashboard(browser, own, 'anna', async (page) => {
      await page.clock.install();
      await page.routeWebSocket(/\/ws\/staff/, (ws) => {
        const route = { dead: silent };
        routes.push(route);
        const server = ws.connectToServer();
        ws.onMessage((m) => { if (!route.dead) server.send(m); });
        server.onMessage((m) => { if (!route.dead) ws.send(m); });
      });
    });
    await goOnDuty(anna);
    await anna.clock.runFor(60000);
    assert.equal(await anna.locator('#connection').textContent(), 'Połączono.', 'pings answered: still connected');

    silent = true;
    for (const route of routes) route.dead = true;
    await press(own, token, 201);
    await anna.clock.runFor(15000);
    assert.equal(await anna.locator('#connection').textContent(), 'Połączono.', 'a ping may still be answered');
    await anna.clock.runFor(20000); // given up, and connected again on a path as dead: still said down
    const down = anna.locator('#connection.down');
    await down.filter({ hasText: 'Brak połączenia: nowe zgłoszenia tu nie docierają.' }).waitFor();
    assert.ok(await anna.evaluate(() => {
      const line = document.querySelector('#connection');
      return line.compareDocumentPosition(document.querySelector('#queue')) & Node.DOCUMENT_POSITION_FOLLOWING;
    }), 'said above the queue');
    await anna.click('#lang');
    await down.filter({ hasText: 'No connection: new requests do not reach this screen.' }).waitFor();
    await anna.click('#lang');

    silent = false;
    await anna.clock.runFor(40000); // the dead reconnection given up in turn, and a live one made
    await alertFor(anna, 'Jan Kowalski').waitFor();
    await anna.locator('#connection:not(.down)', { hasText: 'Połączono.' }).waitFor();
  });
});

// A dashboard in a background tab: the browser runs its timers once a minute (Chrome's intensive throttling),
// here by Playwright's clock jumping a minute at a time and firing a due timer once. The pings are answered
// between the jumps, so the live connection is kept however long since the last message. A laptop that slept
// (the wall clock moved on, with no timer run) gives its connection up at the next timer and connects again.
test('a dashboard whose timers run once a minute keeps its connection; one that slept connects again', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      let connections = 0;
      const anna = await staffDashboard(browser, own, 'anna', async (page) => {
        await page.clock.install();
        await page.routeWebSocket(/\/ws\/staff/, (ws) => {
          connections += 1;
          ws.connectToServer();
        });
      });
      await goOnDuty(anna);
      const signedIn = connections; // the page tried once before the sign-in, too
      for (let minute = 0; minute < 4; ++minute) {
        await anna.clock.fastForward(60000);
        await pause(300); // the ping's answer arrives
      }
      assert.equal(connections, signedIn, 'a live connection was given up in a background tab');
      assert.equal(await anna.locator('#connection').textContent(), 'Połączono.');

      await anna.clock.setSystemTime(await anna.evaluate(() => Date.now()) + 10 * 60000);
      await anna.clock.runFor(11000);
      await anna.waitForFunction(() => document.querySelector('#connection').textContent === 'Połączono.');
      assert.equal(connections, signedIn + 1, 'after a sleep the connection was not made again');
    });
  });

// Every text written into the login form's message regions, and whether a screen reader would announce
// it: the region was on screen as the text was written, and had been on screen empty for a frame before
// (text already in a region as it appears is not announced, nor the same text written over itself).
async function watchLoginMessages(page) {
  await page.evaluate(() => {
    window.__said = [];
    const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
    const regions = [...document.querySelectorAll('#login-error, #login-note')];
    const seenEmpty = new Map();
    const frame = () => {
      for (const r of regions) if (r.checkVisibility() && text.get.call(r) === '') seenEmpty.set(r, true);
      requestAnimationFrame(frame);
    };
    frame();
    for (const region of regions) {
      Object.defineProperty(region, 'textContent', {
        get() { return text.get.call(this); },
        set(value) {
          if (value) {
            window.__said.push({ region: region.id, text: value,
              announced: region.checkVisibility() && seenEmpty.get(region) === true });
          }
          seenEmpty.set(region, false);
          text.set.call(this, value);
        },
      });
    }
  });
}

const said = (page) => page.evaluate(() => window.__said);

test('the login form says why it is shown from live regions on screen: a failed login, a sign-out', limit, async () => {
  await withAnnaAndJan('', async (own) => {
    const context = await browser.newContext();
    const stranger = await context.newPage();
    await stranger.goto(`${own.base}/staff`);
    await stranger.waitForSelector('#login:not([hidden])');
    await watchLoginMessages(stranger);
    for (let n = 1; n <= 2; ++n) { // the same message twice is announced twice
      await stranger.fill('#username', 'nikt');
      await stranger.fill('#password', 'to nie jest hasło');
      await stranger.click('#login-form button[type=submit]');
      await stranger.waitForFunction((count) => window.__said.length === count, n);
    }
    const wrong = { region: 'login-error', text: 'Zły login lub hasło.', announced: true };
    assert.deepEqual(await said(stranger), [wrong, wrong]);
    assert.equal(await stranger.locator('#login-error').getAttribute('role'), 'alert');
    await stranger.getByRole('alert').filter({ hasText: 'Zły login lub hasło.' }).waitFor();
    await context.close();

    // Anna's dashboard open in two tabs of one browser: signing out in one ends the session of both.
    const anna = await staffDashboard(browser, own, 'anna');
    const other = await anna.context().newPage();
    await other.goto(`${own.base}/staff`);
    await other.waitForSelector('#board:not([hidden])');
    await watchLoginMessages(anna);
    await watchLoginMessages(other);
    await anna.click('#sign-out');
    await anna.waitForFunction(() => window.__said.length > 0);
    await other.waitForFunction(() => window.__said.length > 0);
    assert.deepEqual(await said(anna), [{ region: 'login-note', text: 'Wylogowano.', announced: true }]);
    assert.deepEqual(await said(other), [{ region: 'login-error', announced: true, text: 'Sesja została '
      + 'zakończona (wylogowanie w innym oknie, nowe hasło lub wyłączone konto). Zaloguj się ponownie.' }]);
    assert.equal(await anna.locator('#login-note').getAttribute('role'), 'status');
    assert.equal(await anna.locator('#login-note').getAttribute('aria-live'), 'polite');
    await anna.getByRole('status').filter({ hasText: 'Wylogowano.' }).waitFor();
    await other.getByRole('alert').filter({ hasText: 'Sesja została zakończona' }).waitFor();
  });
});

// A shared computer: whoever sits down must see whose dashboard it is before taking a request in that name.
test('the dashboard says whose session it is, with a coordinator\'s role, and nobody\'s once signed out', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      own.addStaff('cecylia', 'Cecylia Wiśniewska', PASSWORD, 'coordinator');
      const anna = await staffDashboard(browser, own, 'anna');
      const annaSignedIn = anna.locator('header #signed-in');
      await annaSignedIn.filter({ hasText: 'Zalogowano: Anna' }).waitFor();
      assert.equal(await annaSignedIn.textContent(), 'Zalogowano: Anna', 'plain staff: no role said');

      const cecylia = await staffDashboard(browser, own, 'cecylia');
      const cecyliaSignedIn = cecylia.locator('header #signed-in');
      await cecyliaSignedIn.filter({ hasText: 'Zalogowano: Cecylia Wiśniewska (koordynator)' }).waitFor();
      await cecylia.click('#lang');
      await cecyliaSignedIn.filter({ hasText: 'Signed in: Cecylia Wiśniewska (coordinator)' }).waitFor();

      await anna.click('#sign-out');
      await anna.locator('#login-note').filter({ hasText: 'Wylogowano.' }).waitFor();
      assert.equal(await annaSignedIn.isVisible(), false);
      assert.equal(await annaSignedIn.textContent(), '', 'no name left for the next person at the computer');
    });
  });

test('what the login form says follows the page\'s language: "Wylogowano." becomes "Signed out."', limit, async () => {
  await withAnnaAndJan('', async (own) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await anna.click('#sign-out');
    const note = anna.locator('#login-note');
    await note.filter({ hasText: 'Wylogowano.' }).waitFor();
    await anna.click('#lang');
    await note.filter({ hasText: 'Signed out.' }).waitFor();

    await anna.fill('#username', 'nikt');
    await anna.fill('#password', 'to nie jest hasło');
    await anna.click('#login-form button[type=submit]');
    const error = anna.locator('#login-error');
    await error.filter({ hasText: 'Wrong username or password.' }).waitFor();
    assert.equal(await note.textContent(), '');
    await anna.click('#lang');
    await error.filter({ hasText: 'Zły login lub hasło.' }).waitFor();
  });
});

// 25 requests closed (each made and cancelled by Jan; his allowance raised for it): the list shows the 20
// latest and "Pokaż starsze"; pressed from the keyboard, it shows the other 5 after them, focus on the
// first of those, says so politely, and goes, as nothing older is left. A request closing after that adds
// itself on top and drops none of the paged ones.
const MANY_PRESSES = '[limits]\npresses_per_window = 100\n';

/** Jan's request made and cancelled by him: one more closed request. Its id. */
async function closeOne(own, token) {
  const id = await press(own, token, 201);
  const cancelled = await fetch(`${own.base}/api/v1/requests/${id}/cancel`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  assert.equal(cancelled.status, 200);
  return id;
}

/** `n` closed requests, newest first (as listed). */
async function closeMany(own, token, n) {
  const ids = [];
  for (let i = 0; i < n; ++i) ids.unshift(await closeOne(own, token));
  return ids;
}

const shownClosed = (page) => page.locator('#closed-list li.closed-item')
  .evaluateAll((items) => items.map((li) => Number(li.dataset.id)));
const focusedClosed = (page) => page.evaluate(() =>
  Number(document.activeElement.closest('li.closed-item')?.dataset.id));

test('"Pokaż starsze" shows the older closed requests, and a refresh keeps them', limit, async () => {
  await withAnnaAndJan(MANY_PRESSES, async (own, token) => {
    const ids = await closeMany(own, token, 25);
    const anna = await staffDashboard(browser, own, 'anna');
    const shownIds = () => shownClosed(anna);
    const more = anna.locator('#closed-more');
    await more.waitFor();
    assert.deepEqual(await shownIds(), ids.slice(0, 20));
    assert.equal(await more.innerText(), 'Pokaż starsze');
    await anna.click('#lang');
    await anna.locator('#closed-more', { hasText: 'Show older' }).waitFor();
    await anna.click('#lang');
    await anna.locator('#closed-more', { hasText: 'Pokaż starsze' }).waitFor();

    await more.focus();
    await anna.keyboard.press('Enter');
    await more.waitFor({ state: 'hidden' });
    assert.deepEqual(await shownIds(), ids, 'the 5 older ones follow the 20, in order');
    assert.equal(await focusedClosed(anna), ids[20], 'focus is on the first of the older ones');
    assert.equal(await anna.locator('#closed-added').textContent(), 'Pokazano 5 starszych zgłoszeń. To już wszystkie.');
    assert.equal(await anna.locator('#closed-added').getAttribute('aria-live'), 'polite');
    assert.deepEqual(await audit(anna), [], 'dashboard with older closed requests shown');

    const newest = await closeOne(own, token);
    await anna.locator(`#closed-list li[data-id="${newest}"]`).waitFor();
    assert.deepEqual(await shownIds(), [newest, ...ids], 'the refresh keeps the paged ones');
    assert.equal(await more.isVisible(), false);
    assert.equal(await focusedClosed(anna), ids[20], 'focus stays where it was');
  });
});

// A request closes while a page of "Pokaż starsze" is on its way (its answer held back), then a page is
// asked for while the refresh after another closure is on its way: either way the list ends up with the
// new closures on top and every page asked for, focus on the first of the page, and the answer overtaken
// (released last) changes nothing.
test('"Pokaż starsze" and a refresh overtaking each other lose neither the page nor the closure', limit,
  async () => {
    await withAnnaAndJan(MANY_PRESSES, async (own, token) => {
      const ids = await closeMany(own, token, 45);
      const anna = await staffDashboard(browser, own, 'anna');
      const more = anna.locator('#closed-more');
      await more.waitFor();
      let hold = null; // which next fetch of the list to hold back: 'page' (with before=) or 'refresh'
      let held;
      let release;
      await anna.route('**/api/v1/requests?state=closed*', async (route) => {
        const kind = route.request().url().includes('before=') ? 'page' : 'refresh';
        if (kind !== hold) {
          await route.continue();
          return;
        }
        hold = null;
        const response = await route.fetch();
        held();
        await new Promise((resolve) => { release = resolve; });
        await route.fulfill({ response });
      });
      const holding = (kind) => {
        hold = kind;
        return new Promise((resolve) => { held = resolve; });
      };
      const settled = async () => {
        const done = anna.waitForEvent('requestfinished', (r) => r.url().includes('state=closed'));
        release();
        await done;
        await pause(300); // time for the page to show the answer, were it to
      };

      let pageHeld = holding('page');
      await more.click();
      await pageHeld;
      const first = await closeOne(own, token);
      await anna.locator(`#closed-list li[data-id="${first}"]`).waitFor();
      assert.deepEqual(await shownClosed(anna), [first, ...ids.slice(0, 40)]);
      assert.equal(await focusedClosed(anna), ids[20], 'focus is on the first of the page');
      assert.equal(await anna.locator('#closed-added').textContent(), 'Pokazano 20 starszych zgłoszeń.');
      assert.equal(await more.isVisible(), true, 'five more are older');
      await settled();
      assert.deepEqual(await shownClosed(anna), [first, ...ids.slice(0, 40)], 'the overtaken page changed nothing');

      const refreshHeld = holding('refresh');
      const second = await closeOne(own, token);
      await refreshHeld;
      await more.click();
      await more.waitFor({ state: 'hidden' });
      await anna.locator(`#closed-list li[data-id="${second}"]`).waitFor();
      assert.deepEqual(await shownClosed(anna), [second, first, ...ids]);
      assert.equal(await focusedClosed(anna), ids[40], 'focus is on the first of the page');
      assert.equal(await anna.locator('#closed-added').textContent(), 'Pokazano 5 starszych zgłoszeń. To już wszystkie.');
      await settled();
      assert.deepEqual(await shownClosed(anna), [second, first, ...ids], 'the overtaken refresh changed nothing');
      assert.deepEqual(await audit(anna), [], 'dashboard with two pages of older closed requests');
    });
  });

// Closed requests paged to and then erased (`askd resident remove`, RODO art. 17, or the retention period):
// the refresh at the next closure drops them, keeps the other paged ones and the new one on top, and
// shows no "Pokaż starsze" for what is gone.
test('closed requests erased after they were paged to leave the list at the next refresh', limit, async () => {
  await withAnnaAndJan(MANY_PRESSES, async (own, token) => {
    const added = own.cli(['resident', 'add', '--name', 'Maria Wiśniewska', '--phone', '+48600300400',
      '--needs', 'blind']);
    const mariaId = Number(/resident (\d+) added/.exec(added)[1]);
    const maria = added.trim().split('\n').pop();
    const hers = await closeMany(own, maria, 5); // the oldest five
    const his = await closeMany(own, token, 20);
    const anna = await staffDashboard(browser, own, 'anna');
    const more = anna.locator('#closed-more');
    await more.waitFor();
    await more.click();
    await more.waitFor({ state: 'hidden' });
    assert.deepEqual(await shownClosed(anna), [...his, ...hers]);

    own.cli(['resident', 'remove', '--id', String(mariaId)]);
    const newest = await closeOne(own, token);
    await anna.locator(`#closed-list li[data-id="${newest}"]`).waitFor();
    await anna.locator(`#closed-list li[data-id="${hers[0]}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(await shownClosed(anna), [newest, ...his], 'hers gone, his and the new one kept');
    assert.equal(await more.isVisible(), false, 'nothing older is left');
  });
});

/** An init script: the page's AudioContext stays suspended until resume(), as a browser's autoplay policy keeps
    it until the page gets a click. */
function holdSoundUntilClicked() {
  const Hooked = window.AudioContext; // the attention hooks' class
  window.AudioContext = class extends Hooked {
    #held = true;
    get state() { return this.#held ? 'suspended' : super.state; }
    resume() {
      this.#held = false;
      return super.resume().then(() => this.onstatechange?.());
    }
  };
}

// Signed in, focus goes to the queue's heading. A dashboard reopened on duty (a reload, the browser started
// again) gets no click before its first alert,
// and a browser holds the sound of a page back until it gets one: the page says so and offers the button as
// the queue comes, not first at an alert that would sound nothing.
test('a dashboard reopened on duty without a click says at once that its sound is held back', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    assert.equal(await anna.evaluate(() => document.activeElement?.id), 'board-title',
      'signed in from the form, focus is on the queue, not lost with the form');
    await anna.context().addInitScript(holdSoundUntilClicked);
    await goOnDuty(anna);
    const held = anna.locator('#sound-held');
    assert.equal(await held.textContent(), '', 'the page that was clicked may sound');
    await anna.reload();
    await anna.waitForSelector('#duty[aria-pressed=true]');
    await held.filter({ hasText: 'Przeglądarka wstrzymała dźwięk alarmu' }).waitFor();
    assert.equal(await held.getAttribute('role'), 'status', 'written into a region that is always there');
    assert.equal(await anna.isVisible('#sound'), true, 'the button that lets it sound');
    assert.deepEqual(await audit(anna), [], 'dashboard with its sound held back');
    await anna.click('#lang');
    assert.match(await anna.textContent('#sound-held'), /The browser is holding the alarm sound back/);
    await anna.click('#lang');

    await anna.click('#sound');
    await anna.waitForFunction(() => document.querySelector('#sound-held').textContent === '');
    assert.equal(await anna.isVisible('#sound'), false);
    await press(own, token, 201);
    await alertFor(anna, 'Jan Kowalski').waitFor();
    assert.equal(await held.textContent(), '', 'it sounds now');
    await alertFor(anna, 'Jan Kowalski').locator('button.ack').click();
    await alertFor(anna, 'Jan Kowalski').filter({ hasText: 'Przyjęte przez Anna' }).waitFor();

    // Off duty (here from elsewhere, so without a click on this page), nothing is rung, so nothing is said of
    // the sound.
    await anna.reload();
    await held.filter({ hasText: 'Przeglądarka wstrzymała' }).waitFor();
    const offDuty = await anna.evaluate(async () => (await fetch('/api/v1/duty', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ on: false }),
    })).status);
    assert.equal(offDuty, 200);
    await anna.waitForSelector('#duty[aria-pressed=false]');
    assert.equal(await held.textContent(), '', 'off duty');
    assert.equal(await anna.isVisible('#sound'), false);
  });
});

// "Wezwij kolejne osoby" changes nothing on the card itself: the page says it was done (without a word, a
// second click would call in the ladder's next step too), and the open history shows whom. The next action
// clears the sentence.
test('calling in more people says it was done, and the history shows whom', limit, async () => {
  const ladder = '[escalation.normal]\nsteps = [{ after_seconds = 3600, who = "all_staff", how = ["dashboard"] }]\n';
  await withAnnaAndJan(ladder, async (own, token) => {
    own.addStaff('bob', 'Bob', PASSWORD);
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    // Off duty, only the step reaches him; his page never clicked, its sound held back.
    const bob = await staffDashboard(browser, own, 'bob', (page) => page.addInitScript(holdSoundUntilClicked));
    const id = await press(own, token, 201);
    const card = alertFor(anna, 'Jan Kowalski');
    await card.locator('details.history summary').click();
    await card.locator('.history-list li').first().waitFor();
    await card.locator('button.escalate').click();
    await anna.locator('#action-done', { hasText: `Jan Kowalski (#${id}): Wezwano kolejne osoby.` }).waitFor();
    await card.locator('.history-list li', { hasText: 'eskalacja: wszyscy pracownicy (panel)' }).waitFor();
    await alertFor(bob, 'Jan Kowalski').waitFor();
    await bob.locator('#sound-held', { hasText: 'Przeglądarka wstrzymała dźwięk alarmu' }).waitFor();
    assert.equal(await bob.isVisible('#sound'), true, 'rung off duty, with the sound held back: said so');
    assert.deepEqual(await audit(anna), [], 'dashboard saying more people were called in');
    await anna.click('#lang');
    assert.match(await anna.textContent('#action-done'), /More people were called in/);
    await anna.click('#lang');

    await card.locator('button.ack').click();
    await card.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    assert.equal(await anna.textContent('#action-done'), '', 'the next action clears it');
  });
});

// Signing out with requests taken and no contact with their residents yet asks first, on duty or not: they
// stay the member's, and their residents are told the member will call. "Anuluj" leaves the time to give
// them back; once the resident has been talked to, an off-duty member signs out without a question.
test('signing out with requests taken and no contact yet says so first', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    await press(own, token, 201);
    const card = alertFor(anna, 'Jan Kowalski');
    await card.locator('button.ack').click();
    await card.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
    const question = anna.locator('#sign-out-question');

    await anna.click('#sign-out');
    await question.waitFor();
    assert.match(await question.innerText(),
      /^Jesteś na dyżurze\. Zakończyć dyżur i wylogować\? Zgłoszenia przyjęte przez Ciebie, bez kontaktu z mieszkańcem: 1\./);
    assert.equal(await anna.textContent('#sign-out-confirm'), 'Zakończ dyżur i wyloguj');
    assert.deepEqual(await audit(anna), [], 'the question with a request taken');
    await anna.click('#sign-out-cancel');
    await question.waitFor({ state: 'hidden' });

    await anna.click('#duty');
    await anna.waitForSelector('#duty[aria-pressed=false]');
    await pause(700); // past the duty button's hold
    await anna.click('#sign-out');
    await question.waitFor();
    assert.match(await question.innerText(), /^Wylogować\? Zgłoszenia przyjęte przez Ciebie, bez kontaktu z mieszkańcem: 1\./);
    assert.equal(await anna.textContent('#sign-out-confirm'), 'Wyloguj');
    // Duty started from elsewhere while the question is open: "Wyloguj" was the answer to another question,
    // so the question as it now stands is asked instead.
    const duty = (on) => anna.evaluate(async (value) => (await fetch('/api/v1/duty', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ on: value }),
    })).status, on);
    assert.equal(await duty(true), 200);
    await anna.waitForSelector('#duty[aria-pressed=true]');
    await anna.click('#sign-out-confirm');
    await question.filter({ hasText: /^Jesteś na dyżurze\./ }).waitFor();
    assert.equal(await anna.textContent('#sign-out-confirm'), 'Zakończ dyżur i wyloguj');
    assert.equal(await anna.isVisible('#board'), true, 'not signed out on an answer to another question');
    await anna.click('#sign-out-cancel');
    await question.waitFor({ state: 'hidden' });
    assert.equal(await anna.evaluate(() => document.activeElement?.id), 'sign-out');
    assert.equal(await duty(false), 200);
    await anna.waitForSelector('#duty[aria-pressed=false]');
    assert.equal(await anna.isVisible('#board'), true, 'still signed in');

    await card.locator('button.contacted').click();
    await card.filter({ hasText: 'Kontakt' }).first().waitFor();
    await anna.waitForFunction(() => !document.querySelector('#queue li.alert button.contacted:not([hidden])'));
    await anna.click('#sign-out');
    await anna.waitForSelector('#login:not([hidden])');
  });
});
