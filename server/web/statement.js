// The accessibility statement (/dostepnosc) in English on request. The statement is the Polish text askd
// serves; it is read from the page itself, so it is written in one place (dostepnosc.html), and this file
// holds only its translation. Values from the office's config (names, dates, contacts) are not in
// [data-i18n] elements and stay as they are.
import { setupLanguage } from './i18n.js';

const EN = {
  brand: 'Contact the office',
  title: 'Accessibility statement of the ASK system',
  translationNote: 'This is a translation for your convenience. The binding statement is the Polish one.',
  intro: 'undertakes to make its websites digitally accessible in accordance with the Polish Act of 4 April 2019 on '
    + 'the digital accessibility of websites and mobile applications of public bodies. This statement applies to '
    + 'the pages of',
  scopeName: 'the ASK system (Alarmowy System Komunikacji)',
  scope: ': the page from which residents ask the office for contact (opened from their personal link), and the '
    + 'page on which office staff sign in and take requests.',
  datesTitle: 'Dates of publication and update',
  publishedLabel: 'Date the website was published:',
  updatedLabel: 'Date of the last significant update:',
  statusTitle: 'Compliance status',
  status: 'The pages are partially compliant with the Act on the digital accessibility of websites and mobile '
    + 'applications of public bodies: we know of no non-compliance, but we have not checked compliance with every '
    + 'requirement, for the reasons listed below.',
  inaccessibleTitle: 'Non-accessible content',
  inaccessible: 'We know of no inaccessible content. The WCAG 2.1 level AA requirements our tests do not cover are, '
    + 'however, unchecked; so we declare partial compliance:',
  testedAxe: 'The pages are checked by automated tests (axe-core, the WCAG 2.0 and 2.1 level A and AA rules) in '
    + 'the Chromium browser, in many states of the pages, for example after a request is sent, refused '
    + 'or cancelled. Automated tests find only some of the possible problems.',
  testedKeyboard: 'Tests check keyboard-only use on the residents\' page (reaching the button with Tab, sending and '
    + 'undoing a request) and for selected actions on the staff page, not for all of them.',
  testedReflow: 'Tests check that the residents\' page needs no sideways scrolling (at 320, 640 and 768 pixels wide; '
    + '640 corresponds to 200% zoom), and this statement (at 320 pixels); not the staff page.',
  notScreenReader: 'No documented tests with screen readers (for example NVDA, JAWS, VoiceOver, TalkBack) or with '
    + 'people with disabilities have been carried out.',
  notAudit: 'No external accessibility audit has been carried out.',
  exclusionsTitle: 'Exemptions',
  exclusions: 'None.',
  preparedTitle: 'Preparation of the accessibility statement',
  preparedLabel: 'The statement was prepared on:',
  selfAssessment: 'The statement was prepared on the basis of a self-assessment: the results of the tests described '
    + 'above.',
  contactTitle: 'Feedback and contact details',
  contactIntro: 'For the accessibility of the ASK pages, contact the person below. The same way you can report an '
    + 'accessibility problem, request that accessibility be provided, or ask for information in another form.',
  personLabel: 'Contact person',
  emailLabel: 'E-mail address',
  phoneLabel: 'Phone',
  notGiven: 'not given',
  not112: 'This contact is not for asking for help. You ask the office for contact on the ASK page. If life or '
    + 'health is in danger, call 112.',
  procedureTitle: 'Handling of requests and complaints about accessibility',
  request: 'Everyone has the right to request that a website or an element of it be made digitally accessible. You '
    + 'may also ask for the information to be provided another way, for example by having an inaccessible '
    + 'document read to you.',
  requestContents: 'The request should give the details of the person making it, which page or element it is '
    + 'about, and how to contact them. If you need the information in another form, say which in the request.',
  requestDeadline: 'We carry out a request without delay, within 7 days of it being made at the latest. If that '
    + 'deadline cannot be met, we tell you without delay when it will be carried out; that may not be later than '
    + '2 months after the request was made. If accessibility cannot be provided, we may offer another way to '
    + 'access the information.',
  complaint: 'If we refuse a request for accessibility or for another way to access the information, the person '
    + 'who made it may file a complaint about the digital accessibility of the website or its element.',
  ombudsman: 'Once that procedure is exhausted, you may apply to the',
  ombudsmanLink: 'Commissioner for Human Rights (Rzecznik Praw Obywatelskich)',
  buildingTitle: 'Architectural accessibility',
  building: 'The accessibility of the office\'s buildings, sign language interpreting and other facilities are '
    + 'described in the office\'s own accessibility statement:',
  officeStatement: 'the office\'s accessibility statement',
  appsTitle: 'Mobile applications',
  apps: 'The ASK system has no mobile application: the residents\' page works in the browser of a phone or tablet.',
};

// The Polish of every translated element, as served. An element's text must not be changed before this.
const PL = {};
for (const el of document.querySelectorAll('[data-i18n]')) PL[el.dataset.i18n] = el.textContent;

setupLanguage({ pl: PL, en: EN }, (lang) => {
  document.getElementById('translation-note').hidden = lang === 'pl';
});
