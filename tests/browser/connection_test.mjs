// The staff dashboard in a real browser against the real askd, where the server cannot be reached or does
// not answer: the first connection after signing in that does not open (a proxy that does not pass WebSocket
// upgrades) is said on the form and tried again until it does; a session the browser does not send back is
// said, and not tried for ever; an action whose answer a dropped connection cut off is said to be unknown,
// naming its request; the coordinator's roster that cannot be read again says so rather than showing who was
// on duty before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from './axe.mjs';
import { contextWithAttentionHooks, launch } from './browser.mjs';
import { PASSWORD, alertFor, goOnDuty, limit, press, staffDashboard, withAnnaAndJan } from './page_helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The page's next window.__failSockets connections to /ws/staff go to /ws/none instead, which askd answers
// 404 as a proxy that does not pass upgrades would: they fail before they open, as a real one does.
function failSocketsOnRequest() {
  window.__failSockets = 0;
  window.__sockets = 0;
  const Real = window.WebSocket;
  window.WebSocket = class extends Real {
    constructor(url, protocols) {
      window.__sockets += 1;
      const fail = window.__failSockets > 0 && String(url).endsWith('/ws/staff');
      if (fail) window.__failSockets -= 1;
      super(fail ? String(url).replace('/ws/staff', '/ws/none') : url, protocols);
    }
  };
}

/** Anna's login form on `own`, whose next `failing` connections fail; submitted. `prepare(page)` runs before
    the page is opened. Every text written into #login-error is counted in window.__errors. */
async function signInFailing(own, failing, prepare = async () => {}) {
  const context = await contextWithAttentionHooks(browser);
  const page = await context.newPage();
  await page.addInitScript(failSocketsOnRequest);
  await prepare(page);
  await page.goto(`${own.base}/staff`);
  await page.waitForSelector('#login:not([hidden])');
  await page.evaluate((n) => {
    window.__failSockets = n;
    window.__errors = [];
    const region = document.querySelector('#login-error');
    new MutationObserver(() => { if (region.textContent) window.__errors.push(region.textContent); })
      .observe(region, { childList: true, characterData: true, subtree: true });
  }, failing);
  await page.fill('#username', 'anna');
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  return page;
}

const CONNECT_FAILED = 'Zalogowano, ale pulpit nie może połączyć się z serwerem. Próbuję dalej.';
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a first connection that fails after signing in is said on the form once, and tried again until it opens',
  limit, async () => {
    await withAnnaAndJan('', async (own) => {
      const page = await signInFailing(own, 1000);
      const said = page.getByRole('alert').filter({ hasText: CONNECT_FAILED });
      await said.waitFor();
      assert.equal(await page.isVisible('#board'), false, 'no queue shown while not connected');
      assert.equal(await page.inputValue('#username'), 'anna', 'the form is left as it was');
      assert.deepEqual(await audit(page), [], 'login form saying the dashboard cannot connect');
      await page.waitForFunction(() => window.__sockets >= 4, null, { timeout: 15000 }); // three tries after it
      assert.deepEqual(await page.evaluate(() => window.__errors), [await said.textContent()],
        'said once (a screen reader announces each writing), not at each try');
      await page.click('#lang');
      await page.getByRole('alert').filter({ hasText: 'Logged in, but the dashboard cannot connect' }).waitFor();
      await page.click('#lang');
      await page.focus('#username'); // back in the form as the connection opens

      await page.evaluate(() => { window.__failSockets = 0; }); // the proxy passes upgrades again
      await page.waitForSelector('#board:not([hidden])', { timeout: 15000 });
      await page.locator('#connection', { hasText: 'Połączono.' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'board-title',
        'focus moved from the form to the queue');
      await page.context().close();
    });
  });

test('signing in again while the dashboard still tries to connect stops the tries of the sign-in before', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      // The page's timers run only as the test moves its clock: every try still pending is made below.
      const page = await signInFailing(own, 1000, (p) => p.clock.install());
      const connectFailed = page.getByRole('alert').filter({ hasText: CONNECT_FAILED });
      for (let i = 0; i < 50 && !(await connectFailed.isVisible()); ++i) await page.clock.runFor(100);
      await connectFailed.waitFor();
      await page.fill('#password', 'nie to hasło'); // someone else at the computer, mistyping
      await page.click('#login-form button[type=submit]');
      const wrong = page.getByRole('alert').filter({ hasText: 'Zły login lub hasło.' });
      for (let i = 0; i < 50 && !(await wrong.isVisible()); ++i) await page.clock.runFor(100);
      await wrong.waitFor();
      const tries = await page.evaluate(() => { window.__failSockets = 0; return window.__sockets; });
      await page.clock.runFor(60000); // past the longest pause between tries (10 s), several times
      await pause(1000); // a connection made would open in real time
      assert.equal(await page.evaluate(() => window.__sockets), tries, 'the earlier sign-in still tried');
      assert.equal(await page.isVisible('#board'), false, 'a failed sign-in opened the board of the one before');
      assert.equal(await wrong.textContent(), 'Zły login lub hasło.');
      await page.context().close();
    });
  });

test('a browser that keeps no session after signing in is told so, and the dashboard stops trying', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      // The login's answer reaches the page without its cookie, as a browser that refuses cookies here
      // would keep it: askd refuses the connection (401), and the first check of the session too. (The
      // route's own fetch keeps the cookie in the context: it is cleared before the page has the answer.)
      // The check's answer comes 0.5 s late, as over a slow link: nothing is said before it.
      const page = await signInFailing(own, 0, async (p) => {
        await p.route('**/api/v1/login', async (route) => {
          const response = await route.fetch();
          await p.context().clearCookies();
          const headers = { ...response.headers() };
          delete headers['set-cookie'];
          await route.fulfill({ response, headers });
        });
        await p.route('**/api/v1/duty', async (route) => {
          await pause(500);
          await route.continue();
        });
      });
      await page.getByRole('alert')
        .filter({ hasText: 'Serwer przyjął logowanie, ale przeglądarka nie odesłała sesji.' }).waitFor();
      const tries = await page.evaluate(() => window.__sockets);
      await pause(2000); // past the first pause between tries (0.5 s) and the second (1 s)
      assert.equal(await page.evaluate(() => window.__sockets), tries, 'no more tries once refused');
      assert.equal(await page.isVisible('#board'), false);
      assert.equal((await page.evaluate(() => window.__errors)).length, 1, 'only the refusal was said');
      await page.context().close();
    });
  });

test('a session ended while the dashboard still tries to connect is said so, and the tries stop', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      const page = await signInFailing(own, 1000);
      await page.getByRole('alert').filter({ hasText: CONNECT_FAILED }).waitFor();
      // Signed out as from another tab of the same browser: the same session ends.
      const out = await page.request.post(`${own.base}/api/v1/logout`, { headers: { Origin: own.base } });
      assert.equal(out.status(), 204, await out.text());
      await page.evaluate(() => { window.__failSockets = 0; });
      await page.getByRole('alert')
        .filter({ hasText: 'Sesja wygasła lub została zakończona. Zaloguj się ponownie.' })
        .waitFor({ timeout: 15000 });
      const tries = await page.evaluate(() => window.__sockets);
      await pause(2000);
      assert.equal(await page.evaluate(() => window.__sockets), tries, 'no more tries once refused');
      await page.context().close();
    });
  });

test('an action whose answer a dropped connection cut off is said to be unknown, naming its request', limit,
  async () => {
    await withAnnaAndJan('', async (own, token) => {
      // The first connection to carry an "ack" carries it to askd, then closes before askd's answer.
      let cut = true;
      const anna = await staffDashboard(browser, own, 'anna', async (page) => {
        await page.routeWebSocket(/\/ws\/staff/, (ws) => {
          const server = ws.connectToServer();
          let dead = false;
          ws.onMessage((m) => {
            if (dead) return;
            server.send(m);
            if (cut && JSON.parse(m).type === 'ack') {
              cut = false;
              dead = true;
              ws.close();
            }
          });
          server.onMessage((m) => { if (!dead) ws.send(m); });
        });
      });
      await goOnDuty(anna);
      const id = await press(own, token, 201);
      const card = alertFor(anna, 'Jan Kowalski');
      await card.locator('button.ack').click();
      await anna.locator('#action-error', { hasText: `Jan Kowalski (#${id}): Połączenie zostało przerwane, zanim `
        + 'serwer odpowiedział: polecenie mogło zostać wykonane albo nie.' }).waitFor();
      // Once connected again the card shows what happened: askd did take it.
      await card.filter({ hasText: 'Przyjęte przez Anna' }).waitFor();
      assert.equal(cut, false, 'the ack went through the connection cut');
      await anna.context().close();
    });
  });

test('a coordinator\'s roster that cannot be read again says so; the statistics follow the language', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      own.addStaff('cecylia', 'Cecylia', PASSWORD, 'coordinator');
      const cecylia = await staffDashboard(browser, own, 'cecylia');
      await cecylia.locator('#roster li', { hasText: 'Anna: poza dyżurem, panel zamknięty' }).waitFor();
      await cecylia.locator('#stats dt', { hasText: 'Zgłoszenia' }).waitFor();

      await cecylia.click('#lang');
      await cecylia.locator('#roster li', { hasText: 'Anna: off duty, dashboard closed' }).waitFor();
      await cecylia.locator('#stats dt', { hasText: /^Time to acknowledge/ }).waitFor();
      assert.doesNotMatch(await cecylia.locator('#stats').innerText(), /Zgłoszenia|Czas do/);
      await cecylia.click('#lang');
      await cecylia.locator('#stats dt', { hasText: /^Czas do przyjęcia/ }).waitFor();

      await own.kill(); // the next read of the roster (every 10 s) fails
      await cecylia.locator('#roster', { hasText: 'Nie udało się pobrać danych.' }).waitFor({ timeout: 15000 });
      assert.equal(await cecylia.locator('#roster li').count(), 0, 'who was on duty before is not shown');
      await cecylia.context().close();
    });
  });
