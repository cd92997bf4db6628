// What the browser tests of one askd (dashboard_test.mjs, resident_test.mjs) share: an askd with Anna
// (staff) and Jan (a resident), a signed-in dashboard, the resident's page, a press from a button device.
// Every function takes the browser and the askd it works with.
import assert from 'node:assert/strict';
import { Askd } from './askd.mjs';
import { contextWithAttentionHooks } from './browser.mjs';

export const PASSWORD = 'correct horse battery';
export const limit = { timeout: 60000 }; // each story takes seconds; a hang fails its own test, not the whole run

/** An askd of its own (`extraToml` added to its config) with Anna (staff) and Jan (a resident), started:
    `body(own, token)` runs against it with Jan's link token, and the askd is disposed of after, whatever
    happens. `askdOptions`: as Askd's (how often dashboards ring again). */
export async function withAnnaAndJan(extraToml, body, askdOptions = {}) {
  const own = new Askd(extraToml, askdOptions);
  try {
    own.addStaff('anna', 'Anna', PASSWORD);
    const token = own.addResident('Jan Kowalski', '+48600100200', 'wheelchair');
    await own.start();
    await body(own, token);
  } finally {
    await own.dispose();
  }
}

/** `username`'s dashboard on `server`, signed in and showing the queue. `prepare(page)` runs before the
    page is opened (e.g. to route its WebSocket). */
export async function staffDashboard(browser, server, username, prepare = async () => {}) {
  const context = await contextWithAttentionHooks(browser);
  const page = await context.newPage();
  await prepare(page);
  await page.goto(`${server.base}/staff`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#board:not([hidden])');
  return page;
}

export async function goOnDuty(page) {
  await page.click('#duty');
  await page.waitForSelector('#duty[aria-pressed=true]');
}

export const alertFor = (page, name) => page.locator('#queue li.alert', { hasText: name });

/** The resident page of `token` on `server`, once it has said how it is connected. `prepare(page)` runs
    before the page is opened (e.g. to route its WebSocket). */
export async function residentPage(browser, server, token, prepare = async () => {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  await prepare(page);
  await page.goto(`${server.base}/r#${token}`);
  await page.waitForFunction(() => document.querySelector('#connection').textContent.length > 0);
  return page;
}

/** A press from a button device (POST /api/v1/requests with the resident's token): the request's id. */
export async function press(server, token, expectedStatus) {
  const response = await fetch(`${server.base}/api/v1/requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ priority: 'normal' }),
  });
  assert.equal(response.status, expectedStatus);
  return (await response.json()).id;
}

/** A request as its resident's token sees it (GET /api/v1/requests/{id}). */
export async function requestOf(server, token, id) {
  const response = await fetch(`${server.base}/api/v1/requests/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return response.json();
}

/** The resident's cancel of request `id` (POST /api/v1/requests/{id}/cancel with their token). */
export async function cancelByResident(server, token, id) {
  const response = await fetch(`${server.base}/api/v1/requests/${id}/cancel`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200);
}
