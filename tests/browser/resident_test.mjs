// The resident's page in a real browser against the real askd: a cancel the office refuses or never
// gets is said plainly, with the request's real state; a held Enter does not undo the press it made; the
// token never goes in a URL the page opens; a press past the allowance is said for what it is, with how
// long to wait before a press is taken again, said once rather than counted down; a press counting down
// goes out when the page is hidden.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from './axe.mjs';
import { launch } from './browser.mjs';
import {
  alertFor, cancelByResident, goOnDuty, limit, press, requestOf, residentPage, staffDashboard, withAnnaAndJan,
} from './page_helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a cancel refused because the request closed meanwhile says so, and how it ended', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    // While `lagging`, Jan's page gets everything the server sends but the request's statuses: as on a
    // slow link, it still shows the request waiting when Jan presses "Anuluj zgłoszenie".
    let lagging = false;
    const jan = await residentPage(browser, own, token, (page) => page.routeWebSocket(/\/ws\/resident/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => { if (!(lagging && JSON.parse(m).type === 'status')) ws.send(m); });
    }));
    await jan.click('#press-normal');
    await jan.click('#send-now');
    await jan.waitForSelector('#current:not([hidden])');
    lagging = true;

    const alert = alertFor(anna, 'Jan Kowalski');
    await alert.locator('button.ack').click();
    await alert.locator('select[name=outcome]').selectOption('no_contact');
    await alert.locator('form.resolve button[type=submit]').click();
    await alert.waitFor({ state: 'detached' });
    assert.equal(await jan.isVisible('#cancel'), true, 'the page still shows the request waiting');

    await jan.click('#cancel');
    await jan.click('#cancel-yes');
    const status = jan.locator('#status');
    await status.filter({ hasText: 'Nie udało się anulować zgłoszenia: jest już zamknięte.' }).waitFor();
    await status.filter({ hasText: 'Nie udało się z Tobą skontaktować' }).waitFor(); // how it ended, asked
    assert.equal(await jan.isVisible('#cancel'), false, 'no cancel is offered for a closed request');
    assert.equal(await jan.isVisible('#press-normal'), true, 'a new request can be made');
    assert.deepEqual(await audit(jan), [], 'resident page after a refused cancel');
    await jan.click('#lang');
    await status.filter({ hasText: 'The request could not be cancelled: it is already closed.' }).waitFor();
  });
});

test('a cancel with no connection says it was not sent, and the request stays open', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const jan = await residentPage(browser, own, token);
    const id = await press(own, token, 201); // from the button device: the page shows it
    await jan.waitForSelector('#current:not([hidden])');
    const waiting = await jan.textContent('#status');

    await own.kill();
    await jan.locator('#connection', { hasText: 'Brak połączenia' }).waitFor();
    await jan.click('#cancel');
    await jan.click('#cancel-yes');
    const status = jan.locator('#status');
    await status.filter({ hasText: 'Nie udało się anulować zgłoszenia: brak połączenia z urzędem.' }).waitFor();
    assert.ok((await status.textContent()).endsWith(waiting), 'the request is still shown as it stands');
    assert.equal(await jan.isVisible('#current'), true);

    await own.start();
    await jan.locator('#connection', { hasText: 'Połączono z urzędem.' }).waitFor();
    assert.notEqual((await requestOf(own, token, id)).state, 'cancelled');
  });
});

// "Anuluj zgłoszenie" asks first, with "Nie, zostaw zgłoszenie" focused, so a slip of the hand does not end the
// request: "Nie" keeps it, a double click on "Anuluj" cancels nothing, and only "Tak" cancels.
test('a cancel asks first: "Nie" or a double click keeps the request, only "Tak" cancels it', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const jan = await residentPage(browser, own, token);
    const id = await press(own, token, 201);
    await jan.waitForSelector('#current:not([hidden])');
    const focused = () => jan.evaluate(() => document.activeElement?.id);

    await jan.click('#cancel');
    await jan.waitForSelector('#cancel-confirm:not([hidden])');
    assert.equal(await focused(), 'cancel-no');
    assert.equal(await jan.isVisible('#cancel'), false);
    assert.match(await jan.locator('#cancel-confirm').innerText(), /Czy na pewno anulować zgłoszenie\?/);
    assert.deepEqual(await audit(jan), [], 'resident page asking whether to cancel');
    await jan.click('#lang');
    await jan.locator('#cancel-confirm', { hasText: 'Cancel the request? The office will no longer be alerted' }).waitFor();
    await jan.click('#lang');
    await jan.click('#cancel-no');
    assert.equal(await jan.isVisible('#cancel-confirm'), false);
    assert.equal(await focused(), 'cancel');

    await jan.dblclick('#cancel');
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    assert.notEqual((await requestOf(own, token, id)).state, 'cancelled', 'a double click cancelled the request');
    assert.equal(await jan.isVisible('#current'), true);

    if (await jan.isHidden('#cancel-confirm')) await jan.click('#cancel');
    await jan.click('#cancel-yes');
    await jan.locator('#status', { hasText: 'Zgłoszenie zostało anulowane.' }).waitFor();
    assert.doesNotMatch(await jan.locator('#status').innerText(), /Anuluję/, 'the cancel, done, is no longer said');
    assert.equal((await requestOf(own, token, id)).state, 'cancelled');
  });
});

// A browser that cannot run the page's script (scripts off, or an old tablet too old for the module) must not
// show buttons that do nothing: the page says it does not work there, what to do instead, and 112. A page
// that works never shows those words, not even while it loads.
test('without its script the page offers no press and says what to do instead', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const words = /nie działa .*Zadzwoń albo napisz SMS do urzędu.*112/s;
    const presses = ['press-normal', 'press-urgent', 'press-again'];
    const off = await browser.newContext({ javaScriptEnabled: false });
    const noScripts = await off.newPage();
    await noScripts.goto(`${own.base}/r#${token}`);
    assert.match(await noScripts.locator('main').innerText(), words);
    for (const id of presses)
      assert.equal(await noScripts.locator(`#${id}`).isVisible(), false, `#${id} offered with scripts off`);
    await off.close();

    // The module does not run (here: it does not parse, as in a browser older than its syntax).
    const old = await browser.newContext();
    const tooOld = await old.newPage();
    await tooOld.route('**/assets/resident.js', (route) => route.fulfill({
      status: 200, contentType: 'text/javascript', body: 'const a = ;',
    }));
    await tooOld.goto(`${own.base}/r#${token}`);
    await tooOld.locator('#no-script').waitFor();
    assert.match(await tooOld.locator('#no-script').innerText(), words);
    for (const id of presses)
      assert.equal(await tooOld.locator(`#${id}`).isVisible(), false, `#${id} offered without the module`);
    await old.close();

    const jan = await residentPage(browser, own, token);
    assert.equal(await jan.locator('#no-script').isVisible(), false, 'said while the page works');
    assert.equal(await jan.locator('#press-normal').isVisible(), true);
  });
});

// The office replaces Jan's link (askd resident token) while his page has no connection: askd refuses the old
// link when the page connects again, which a browser reports only as a failed connection. The page asks, and
// says the link no longer works, rather than "trying to connect" for ever with its buttons still offered.
test('a link replaced while the page was away is said to no longer work', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const jan = await residentPage(browser, own, token);
    await jan.locator('#connection', { hasText: 'Połączono z urzędem.' }).waitFor();
    await own.kill();
    await jan.waitForFunction(() => !/Połączono/.test(document.querySelector('#connection').textContent));
    own.cli(['resident', 'token', '--id', '1']);
    await own.start();
    await jan.waitForFunction(() => /Ten link już nie działa/.test(document.querySelector('#connection').textContent),
      null, { timeout: 20000 });
    assert.equal(await jan.locator('#press-normal').isVisible(), false, 'the old link still offers to press');
  });
});

// A phone hides the page (the screen locks, the dialer opens) and then stops its timers: here the page is
// made hidden, then frozen (Chromium's own freezing of background pages), during the 5 s countdown.
test('a press counting down is sent when the page is hidden, not when the resident comes back', limit,
  async () => {
    await withAnnaAndJan('', async (own, token) => {
      const anna = await staffDashboard(browser, own, 'anna');
      await goOnDuty(anna);
      const jan = await residentPage(browser, own, token);
      await jan.click('#press-urgent');
      await jan.waitForSelector('#confirm:not([hidden])');
      await jan.evaluate(() => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      const cdp = await jan.context().newCDPSession(jan);
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      // Well within the countdown, with Jan's page frozen: only a press sent as it was hidden rings.
      await alertFor(anna, 'Jan Kowalski').waitFor({ timeout: 3000 });
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await jan.waitForSelector('#current:not([hidden])'); // and the page, woken, shows the request open
    });
  });

// A held Enter repeats its keydown (repeat: true) onto "Cofnij — nie wysyłaj", which takes the focus
// where "Poproś o kontakt" was; a repeated Enter clicks the button it is on.
test('a held Enter on "Poproś o kontakt" does not reach "Cofnij": the press is made', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const jan = await residentPage(browser, own, token);
    const status = jan.locator('#status');
    // A deliberate Enter on "Cofnij" still undoes the press.
    await jan.focus('#press-normal');
    await jan.keyboard.press('Enter');
    await jan.waitForSelector('#confirm:not([hidden])');
    await jan.keyboard.press('Enter');
    await status.filter({ hasText: 'Nie wysłano zgłoszenia.' }).waitFor();

    await jan.focus('#press-normal');
    await jan.keyboard.down('Enter');
    await jan.waitForSelector('#confirm:not([hidden])');
    assert.equal(await jan.evaluate(() => document.activeElement.id), 'undo');
    for (let i = 0; i < 5; ++i) await jan.keyboard.down('Enter'); // the key held: auto-repeat
    await jan.keyboard.up('Enter');
    assert.equal(await jan.isVisible('#confirm'), true, 'the press is still counting down');
    assert.doesNotMatch(await status.textContent(), /Nie wysłano/);
    await jan.waitForSelector('#current:not([hidden])'); // sent when the countdown ends: the request is open
  });
});

test('the page keeps its token out of the WebSocket URL, and a garbled link is said to be incomplete', limit,
  async () => {
    await withAnnaAndJan('', async (own, token) => {
      const urls = [];
      const jan = await residentPage(browser, own, token, (page) => { page.on('websocket', (ws) => urls.push(ws.url())); });
      await jan.locator('#connection', { hasText: 'Połączono' }).waitFor();
      assert.ok(urls.length > 0, 'the page opened a WebSocket');
      for (const url of urls) assert.ok(!url.includes(token), `the token is in ${url}, which proxies log`);

      const garbled = await residentPage(browser, own, `${token}%zz`);
      await garbled.locator('#connection', { hasText: 'Ten link jest niepełny.' }).waitFor();
    });
  });

// Ewa is deaf: with nobody on duty her status points her to the Alarm112 app, or someone calling 112 for
// her, not to a call she cannot make; the page's standing notice names the app for anyone who cannot call.
test('a resident who cannot make a call is pointed to the Alarm112 app, not told to call 112', limit, async () => {
  await withAnnaAndJan('', async (own) => {
    const ewa = await residentPage(browser, own, own.addResident('Ewa Głucha', '+48600555999', 'deaf'));
    await ewa.click('#press-normal');
    await ewa.click('#send-now');
    const status = ewa.locator('#status');
    await status.filter({ hasText: 'Nikt z urzędu nie ma teraz dyżuru.' }).waitFor();
    const said = await status.innerText();
    assert.match(said, /wezwij pomoc przez aplikację Alarm112 albo poproś kogoś o telefon pod 112\./);
    assert.doesNotMatch(said, /dzwoń pod 112/);
    assert.match(await ewa.locator('p.notice').first().innerText(), /Jeśli nie możesz\s+zadzwonić, wezwij pomoc przez aplikację Alarm112\./);
    assert.deepEqual(await audit(ewa), [], 'resident page with the Alarm112 line');
    await ewa.click('#lang');
    await status.filter({ hasText: 'get help through the Alarm112 app, or ask someone to call 112.' }).waitFor();
  });
});

test('a press past the allowance says the request is already received, before its status', limit, async () => {
  await withAnnaAndJan('', async (own, token) => {
    const jan = await residentPage(browser, own, token);
    await press(own, token, 201); // from the button device, then four more: the minute's five presses
    for (let i = 0; i < 4; ++i) await press(own, token, 200);
    await jan.waitForSelector('#current:not([hidden])');
    await jan.click('#press-again');
    await jan.click('#send-now');
    const status = jan.locator('#status');
    await status.filter({ hasText: 'Twoje zgłoszenie jest już przyjęte. Urząd wie, że nadal potrzebujesz pomocy.' })
      .waitFor();
    assert.equal(await jan.isVisible('#current'), true, 'the request is still shown');
    assert.match(await status.innerText(), /przyjęte\. .+/, 'its status follows the note');
    assert.equal(await jan.evaluate(() => document.activeElement?.id), 'message',
      'focus goes to the message field, not lost with the buttons that went away');
  });
});

// With a request open, the page shows the message field for the words of a press again ("Nadal potrzebuję
// pomocy"), which reach the card; a press again undone says that press was not sent, not that the request
// was not: the request stands, and its status follows.
test('a press again carries the words typed for it; undone or refused, it says only the repeat was not sent', limit,
  async () => {
  await withAnnaAndJan('[limits]\nmessage_chars = 30\n', async (own, token) => {
    const anna = await staffDashboard(browser, own, 'anna');
    await goOnDuty(anna);
    const jan = await residentPage(browser, own, token);
    await press(own, token, 201);
    await jan.waitForSelector('#current:not([hidden])');
    assert.equal(await jan.isVisible('#message'), true, 'a field for the words of a press again');
    assert.equal(await jan.isVisible('#press-normal'), false, 'no new request while one is open');
    assert.equal(await jan.textContent('#title-ask'), 'Nadal potrzebujesz pomocy?', 'the heading of the field');
    assert.match(await jan.textContent('#message-label'), /Krótka wiadomość do „Nadal potrzebuję pomocy”/);
    const status = jan.locator('#status');
    await jan.fill('#message', 'Upadłam w kuchni i nie mogę wstać, proszę szybko');
    await jan.click('#press-again');
    await jan.click('#send-now');
    await status.filter({ hasText: 'Nie wysłano ponownej prośby o pomoc: wiadomość jest za długa.' }).waitFor();
    assert.doesNotMatch(await status.innerText(), /nie przyjął tego zgłoszenia/, 'the request itself was received');
    assert.equal(await jan.evaluate(() => document.activeElement?.id), 'message', 'focus on the field to shorten');

    await jan.fill('#message', 'Nadal czekam, upadłam');
    await jan.click('#press-again');
    await jan.click('#undo');
    await status.filter({ hasText: 'Nie wysłano ponownej prośby o pomoc.' }).waitFor();
    const said = await status.innerText();
    assert.doesNotMatch(said, /Nie wysłano zgłoszenia/, 'the request itself was sent');
    assert.match(said, /ponownej prośby o pomoc\. .+/, "the request's status follows");
    assert.equal(await jan.isVisible('#current'), true);
    assert.equal(await jan.inputValue('#message'), 'Nadal czekam, upadłam', 'the words stay, to send');
    assert.deepEqual(await audit(jan), [], 'resident page with a request open and a press again undone');
    await jan.click('#lang');
    await status.filter({ hasText: 'Your repeated call for help was not sent.' }).waitFor();
    assert.equal(await jan.textContent('#title-ask'), 'Do you still need help?');
    await jan.click('#lang');

    // Words past what the connection takes: askd closes it (1009). Reconnected, the page still says the repeat
    // was not sent: the request's status, sent again as it reconnects, is no news.
    await jan.fill('#message', 'Upadłam. '.repeat(130));
    await jan.click('#press-again');
    await jan.click('#send-now');
    await status.filter({ hasText: 'Nie wysłano ponownej prośby o pomoc: wiadomość jest za długa.' }).waitFor();
    await jan.locator('#connection', { hasText: 'Połączono z urzędem.' }).waitFor();
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    assert.match(await status.innerText(), /Nie wysłano ponownej prośby o pomoc: wiadomość jest za długa\./);
    await jan.fill('#message', 'Nadal czekam, upadłam');

    await jan.click('#press-again');
    await jan.click('#send-now');
    await alertFor(anna, 'Jan Kowalski').filter({ hasText: 'Nadal czekam, upadłam' }).waitFor();
    await jan.waitForFunction(() => document.querySelector('#message').value === '');
  });
});

test('a new request past the allowance is said not to be accepted, with 112, and its message stays', limit,
  async () => {
    await withAnnaAndJan('', async (own, token) => {
      const jan = await residentPage(browser, own, token);
      for (let i = 0; i < 5; ++i) { // the minute's five new requests, each cancelled: nothing stays open
        await cancelByResident(own, token, await press(own, token, 201));
      }
      const status = jan.locator('#status');
      await status.filter({ hasText: 'Zgłoszenie zostało anulowane.' }).waitFor();
      await jan.fill('#message', 'Proszę o telefon');
      await jan.click('#press-normal');
      await jan.click('#send-now');
      await status.filter({ hasText: 'Urząd nie przyjął tego zgłoszenia: było za dużo zgłoszeń w krótkim czasie.' })
        .waitFor();
      const said = await status.innerText();
      assert.match(said, /Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112\./, 'the status points to 112');
      assert.doesNotMatch(said, /przyjęte/, 'nothing was received, and the page must not say so');
      assert.equal(await jan.isVisible('#press-normal'), true, 'a new request can be tried');
      assert.equal(await jan.isVisible('#current'), false, 'no request is shown as open');
      assert.equal(await jan.inputValue('#message'), 'Proszę o telefon', 'the message is kept to send again');
      assert.deepEqual(await audit(jan), [], 'resident page after a refused new request');
      await jan.click('#lang');
      await status.filter({ hasText: 'The office did not accept this request: there were too many requests' }).waitFor();
    });
  });

// One press per window: the second in it is refused, and the refusal says when the allowance has room again.
const ONE_PRESS_PER = (seconds) => `[limits]\npresses_per_window = 1\npress_window_seconds = ${seconds}\n`;

// The window's 150 s, less the second or two since the first press, is said as a person would: rounded up
// to whole minutes, so that trying again at the time said works.
test('a new request past the allowance says to try again in about 3 minutes, and still gives 112', limit,
  async () => {
    await withAnnaAndJan(ONE_PRESS_PER(150), async (own, token) => {
      const jan = await residentPage(browser, own, token);
      await cancelByResident(own, token, await press(own, token, 201));
      const status = jan.locator('#status');
      await status.filter({ hasText: 'Zgłoszenie zostało anulowane.' }).waitFor();
      await jan.click('#press-normal');
      await jan.click('#send-now');
      await status.filter({ hasText: 'Urząd nie przyjął tego zgłoszenia' }).waitFor();
      assert.equal(await status.innerText(), 'Urząd nie przyjął tego zgłoszenia: było za dużo zgłoszeń w krótkim '
        + 'czasie. Spróbuj ponownie za około 3 minuty. Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.');
      assert.equal(await jan.isVisible('#current'), false, 'no request is shown as open');
      assert.deepEqual(await audit(jan), [], 'resident page saying when to try again');
      await jan.click('#lang');
      await status.filter({ hasText: 'The office did not accept this request' }).waitFor();
      assert.equal(await status.innerText(), 'The office did not accept this request: there were too many requests '
        + 'in a short time. Please try again in about 3 minutes. If life or health is in danger, call 112.');
    });
  });

// A 12 s window: the wait is said in seconds, and the live #status changes once more when it is over (not
// every second, which a screen reader would read out each time); a press then is taken.
test('a press again past the allowance says in how many seconds a press is taken, then that it is', limit,
  async () => {
    await withAnnaAndJan(ONE_PRESS_PER(12), async (own, token) => {
      const jan = await residentPage(browser, own, token);
      const id = await press(own, token, 201); // from the button device: the window's one press
      await jan.waitForSelector('#current:not([hidden])');
      await jan.click('#press-again');
      await jan.click('#send-now');
      const status = jan.locator('#status');
      await status.filter({ hasText: 'Twoje zgłoszenie jest już przyjęte.' }).waitFor();
      const said = await status.innerText();
      const wait = /^Twoje zgłoszenie jest już przyjęte\. Urząd wie, że nadal potrzebujesz pomocy\. Możesz nacisnąć ponownie za około (\d+) sekund[yę]?\. .+/
        .exec(said);
      assert.ok(wait, said);
      assert.ok(Number(wait[1]) >= 1 && Number(wait[1]) <= 12, `${wait[1]} s, in a window of 12`);
      assert.equal((await requestOf(own, token, id)).repeat_count, 0, 'the refused press was not stored');

      await jan.evaluate(() => {
        window.__statusTexts = [];
        new MutationObserver(() => window.__statusTexts.push(document.querySelector('#status').textContent))
          .observe(document.querySelector('#status'), { childList: true, characterData: true, subtree: true });
      });
      await status.filter({ hasText: 'Możesz już nacisnąć ponownie.' }).waitFor({ timeout: 20000 });
      const texts = await jan.evaluate(() => window.__statusTexts);
      assert.equal(texts.length, 1, `#status changed once, when the wait was over: ${texts.join(' | ')}`);
      assert.match(texts[0], /^Twoje zgłoszenie jest już przyjęte\. Urząd wie, że nadal potrzebujesz pomocy\. Możesz już nacisnąć ponownie\. .+/);

      await jan.click('#press-again');
      await jan.click('#send-now');
      await jan.waitForFunction(() => document.querySelector('#confirm').hidden
        && !document.querySelector('#status').textContent.includes('przyjęte. Urząd wie'));
      assert.equal((await requestOf(own, token, id)).repeat_count, 1, 'the press after the wait was taken');
    });
  });
