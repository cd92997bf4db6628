// The accessibility statement (/dostepnosc) in a real browser against the real askd: reached from the
// resident page and the staff login page, in the structure the Polish rules prescribe, with the office's
// contact data from [accessibility] (escaped as text), English on request, and no WCAG 2.1 A/AA
// violation found by axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from './axe.mjs';
import { launch } from './browser.mjs';
import { limit, residentPage, withAnnaAndJan } from './page_helpers.mjs';

const ACCESSIBILITY = `[accessibility]
entity = "Gminny Ośrodek <Pomocy> \\"Społecznej\\" & Spółka"
contact_person = "Ewa Kowalczyk"
email = "dostepnosc@gops.example.pl"
phone = "22 600 12 34"
office_statement_url = "https://gops.example.pl/deklaracja"
published = "2026-01-15"
updated = "2026-11-30"
prepared = "2026-12-01"
`;

// The headings the technical conditions for statements name, in their order.
const REQUIRED_HEADINGS = [
  'Deklaracja dostępności systemu ASK',
  'Daty publikacji i aktualizacji',
  'Status pod względem zgodności z ustawą',
  'Treści niedostępne',
  'Wyłączenia',
  'Przygotowanie deklaracji dostępności',
  'Informacje zwrotne i dane kontaktowe',
  'Obsługa wniosków i skarg związanych z dostępnością',
  'Dostępność architektoniczna',
  'Aplikacje mobilne',
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const text = async (page, selector) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

test('the statement is linked from the resident page and gives the office\'s data in the prescribed structure',
  limit, async () => {
    await withAnnaAndJan(ACCESSIBILITY, async (own, token) => {
      const jan = await residentPage(browser, own, token);
      await jan.getByRole('link', { name: 'Deklaracja dostępności', exact: true }).click();
      await jan.waitForURL(`${own.base}/dostepnosc`);
      const page = jan;

      const headings = (await page.locator('h1, h2, h3').allInnerTexts()).map((h) => h.trim());
      assert.deepEqual(headings, REQUIRED_HEADINGS);
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      assert.equal(await text(page, '#a11y-podmiot'), 'Gminny Ośrodek <Pomocy> "Społecznej" & Spółka',
        'the entity is shown as written, not read as markup');
      assert.equal(await text(page, '#a11y-data-publikacja'), '2026-01-15');
      assert.equal(await text(page, '#a11y-data-aktualizacja'), '2026-11-30');
      assert.equal(await text(page, '#a11y-data-sporzadzenie'), '2026-12-01');
      assert.match(await text(page, '#a11y-status'), /częściowo zgodne z ustawą o dostępności cyfrowej/);
      assert.equal(await text(page, '#a11y-osoba'), 'Ewa Kowalczyk');
      assert.equal(await page.getAttribute('#a11y-email a', 'href'), 'mailto:dostepnosc@gops.example.pl');
      assert.equal(await text(page, '#a11y-email'), 'dostepnosc@gops.example.pl');
      assert.equal(await page.getAttribute('#a11y-telefon a', 'href'), 'tel:+48226001234');
      assert.equal(await page.getByRole('link', { name: 'deklaracja dostępności urzędu', exact: true })
        .getAttribute('href'), 'https://gops.example.pl/deklaracja');
      const body = await text(page, 'main');
      assert.match(body, /samooceny/, 'how the statement was prepared');
      assert.match(body, /czytnikami ekranu/, 'what is not tested is named');
      assert.match(body, /7 dni/);
      assert.match(body, /2 miesiące/);
      assert.match(body, /skargę/);
      assert.match(body, /112/, 'the contact is not for asking for help');
      assert.equal(await page.getByRole('link', { name: 'Rzecznika Praw Obywatelskich', exact: true })
        .getAttribute('href'), 'https://bip.brpo.gov.pl/');
      assert.deepEqual(await audit(page), [], 'the statement in Polish');

      await page.setViewportSize({ width: 320, height: 640 });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'the statement scrolls sideways at 320 px');
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.click('#lang');
      await page.locator('h1', { hasText: 'Accessibility statement of the ASK system' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.isVisible('#translation-note'), true, 'the Polish statement is said to be the binding one');
      assert.equal(await text(page, '#a11y-osoba'), 'Ewa Kowalczyk');
      assert.match(await text(page, '#a11y-status'), /partially compliant/);
      assert.deepEqual(await audit(page), [], 'the statement in English');
      await page.click('#lang');
      await page.locator('h1', { hasText: 'Deklaracja dostępności systemu ASK' }).waitFor();
      assert.equal(await page.isVisible('#translation-note'), false);
    });
  });

test('the staff login page links the statement; what the office left out is said, and askd warns of it', limit,
  async () => {
    await withAnnaAndJan('', async (own) => {
      const context = await browser.newContext();
      const login = await context.newPage();
      await login.goto(`${own.base}/staff`);
      await login.waitForSelector('#login:not([hidden])');
      // In a tab of its own: the link is on the dashboard too, whose socket must stay open (on duty, alerts).
      const [statement] = await Promise.all([
        context.waitForEvent('page'),
        login.getByRole('link', { name: /^Deklaracja dostępności \(otwiera się w nowej karcie/ }).click(),
      ]);
      await statement.waitForURL(`${own.base}/dostepnosc`);
      assert.equal(login.url(), `${own.base}/staff`, 'the staff page stays where it was');
      assert.equal(await text(statement, '#a11y-podmiot'), 'Urząd Gminy Przykładowo', 'the office\'s name by default');
      for (const id of ['#a11y-osoba', '#a11y-email', '#a11y-telefon', '#a11y-data-publikacja'])
        assert.equal(await text(statement, id), 'nie podano', `${id} is not left blank`);
      assert.deepEqual(await audit(statement), [], 'the statement with the office\'s data missing');
      assert.match(own.log, /accessibility statement.*contact_person, email, phone/);
    });
  });
