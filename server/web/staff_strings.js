// What the staff dashboard (staff.js) says, Polish first and English: every sentence in one place, so a
// change of language redraws the page from these tables.
// "Pokazano 1 starsze zgłoszenie / 3 starsze zgłoszenia / 20 starszych zgłoszeń", by the number's plural form.
const OLDER_PL = { one: 'starsze zgłoszenie', few: 'starsze zgłoszenia', many: 'starszych zgłoszeń',
                   other: 'starszych zgłoszeń' };

// A role beyond plain staff, said after the signed-in name.
const ROLE_PL = { coordinator: 'koordynator', admin: 'administrator' };
const ROLE_EN = { coordinator: 'coordinator', admin: 'administrator' };

export const STRINGS = {
  pl: {
    dashboard: 'panel dyżurny', loginTitle: 'Zaloguj się', username: 'Login', password: 'Hasło',
    // Whose session the dashboard is: a shared computer's next user must see it is not theirs.
    signedInAs: (name, role) => `Zalogowano: ${name}${ROLE_PL[role] ? ` (${ROLE_PL[role]})` : ''}`,
    loginButton: 'Zaloguj', queueTitle: 'Zgłoszenia', enableSound: 'Włącz dźwięk alarmu',
    soundHeld: 'Przeglądarka wstrzymała dźwięk alarmu: nowe zgłoszenia nie będą słyszalne. Naciśnij „Włącz dźwięk alarmu”.',
    phone: 'Telefon', address: 'Adres', needs: 'Potrzeby', message: 'Wiadomość', latestMessage: 'Ostatnia wiadomość', ack: 'Biorę to',
    outcome: 'Wynik', note: 'Notatka', resolve: 'Zakończ zgłoszenie',
    contacted: 'Rozmawiałem(-am) z mieszkańcem', release: 'Oddaj do kolejki', escalate: 'Wezwij kolejne osoby',
    repeated: (n) => `Ponowione ${n}×`,
    o_called_back: 'Oddzwoniono', o_visit_scheduled: 'Umówiono wizytę (Mobilny Urzędnik)',
    o_referred: 'Przekazano (OPS lub inna jednostka)', o_emergency_services: 'Przekazano do 112',
    o_no_contact: 'Brak kontaktu', o_other: 'Inne',
    onDuty: 'Jestem na dyżurze', offDuty: 'Nie jestem na dyżurze — kliknij, aby rozpocząć',
    urgent: 'PILNE', normal: 'zwykłe', ago: (m) => (m < 1 ? 'przed chwilą' : `${m} min temu`),
    via: { web: 'strona', button: 'przycisk', sms: 'SMS' },
    state: { queued: 'Czeka — nikt nie jest powiadamiany', notifying: 'Powiadamiamy dyżurnych',
             acknowledged: 'Przyjęte przez', contacted: 'Kontakt nawiązany przez', resolved: 'Zakończone',
             cancelled: 'Anulowane przez mieszkańca' },
    summary: (n, waiting) => `Otwarte: ${n}. Czekają na przyjęcie: ${waiting}.`,
    empty: 'Brak otwartych zgłoszeń.', none: '—',
    closedTitle: 'Zamknięte zgłoszenia (ostatnie)', closedEmpty: 'Nie ma jeszcze zamkniętych zgłoszeń.',
    closedFailed: 'Nie udało się pobrać listy zamkniętych zgłoszeń.', closedBy: 'zamknął(-ęła)',
    tookIt: 'przyjął(-ęła)', made: 'zgłoszone', closedMore: 'Pokaż starsze',
    // What "Pokaż starsze" added: `n` entries; `all`: nothing older is left.
    closedAdded: (n, all) => (n === 0 ? 'Nie ma starszych zgłoszeń.'
      : `Pokazano ${n} ${OLDER_PL[new Intl.PluralRules('pl').select(n)]}.${all ? ' To już wszystkie.' : ''}`),
    needsLabels: { deaf: 'Niesłyszący — NIE DZWOŃ, tylko SMS', hard_of_hearing: 'Słabo słyszy',
                   blind: 'Niewidomy — kontakt głosowy', low_vision: 'Słabo widzi',
                   wheelchair: 'Porusza się na wózku', intellectual: 'Tekst łatwy do czytania',
                   speech: 'Trudności w mówieniu — najlepiej SMS' },
    loginFailed: 'Zły login lub hasło.',
    loginLocked: 'Za dużo nieudanych prób logowania na ten login. Odczekaj do 15 minut i spróbuj ponownie.',
    loginUnavailable: 'Nie można się teraz zalogować: baza danych serwera jest niedostępna albo odpowiada zbyt '
      + 'wolno. Spróbuj ponownie za chwilę.',
    loginOffline: 'Brak połączenia z serwerem. Sprawdź sieć i spróbuj ponownie.',
    loginError: (status) => `Nie udało się zalogować (błąd serwera ${status}). Spróbuj ponownie.`,
    sessionExpired: 'Sesja wygasła lub została zakończona. Zaloguj się ponownie.',
    notSent: 'Brak połączenia: polecenie nie zostało wysłane. Spróbuj ponownie, gdy strona się połączy.',
    answerLost: 'Połączenie zostało przerwane, zanim serwer odpowiedział: polecenie mogło zostać wykonane albo nie. '
      + 'Sprawdź stan po ponownym połączeniu.',
    connectFailed: 'Zalogowano, ale pulpit nie może połączyć się z serwerem. Próbuję dalej. Jeśli to potrwa '
      + 'dłużej, zgłoś to administratorowi.',
    loginNoSession: 'Serwer przyjął logowanie, ale przeglądarka nie odesłała sesji. Sprawdź, czy pliki cookie są '
      + 'dozwolone dla tej strony, i zaloguj się ponownie.',
    accountDisabled: 'To konto jest wyłączone. Zapytaj administratora w urzędzie.',
    signedOut: 'Sesja została zakończona (wylogowanie w innym oknie, nowe hasło lub wyłączone konto). Zaloguj się '
      + 'ponownie.',
    signOut: 'Wyloguj', youSignedOut: 'Wylogowano.',
    signOutOnDuty: 'Jesteś na dyżurze. Zakończyć dyżur i wylogować?', signOutEndDuty: 'Zakończ dyżur i wyloguj',
    signOutAsk: 'Wylogować?',
    signOutHeld: (n) => `Zgłoszenia przyjęte przez Ciebie, bez kontaktu z mieszkańcem: ${n}. Zostaną przy Tobie, `
      + 'a mieszkańcy wiedzą, że się z nimi skontaktujesz. Aby przejął je ktoś inny, wybierz „Anuluj” i oddaj je do kolejki.',
    cancel: 'Anuluj',
    signOutDutyFailed: 'Nie udało się zakończyć dyżuru, więc nie wylogowano. Nadal jesteś na dyżurze; spróbuj '
      + 'ponownie.',
    signOutFailed: 'Nie udało się wylogować: serwer tego nie potwierdził. Nadal jesteś zalogowany(-a); spróbuj '
      + 'ponownie.',
    signOutOffline: 'Brak połączenia z serwerem: nie wylogowano. Spróbuj ponownie, gdy strona się połączy.',
    signOutFailedOffDuty: 'Dyżur zakończono, ale nie udało się wylogować: serwer tego nie potwierdził. Nadal '
      + 'jesteś zalogowany(-a); spróbuj ponownie.',
    signOutOfflineOffDuty: 'Dyżur zakończono, ale brak połączenia z serwerem: nie wylogowano. Spróbuj ponownie, gdy '
      + 'strona się połączy.',
    online: 'Połączono.', offline: 'Brak połączenia: nowe zgłoszenia tu nie docierają. Łączę ponownie…',
    calledIn: 'Wezwano kolejne osoby. Kogo i jak, pokazuje historia zgłoszenia.',
    newAlert: 'Nowe zgłoszenie', takenBy: (n) => `${n} już to przyjął(-ęła).`,
    reminder: 'Przypomnienie: mieszkaniec nadal czeka na kontakt',
    // What an error reply to an action means, by its code (refused, or not confirmed yet); the server's
    // English message is shown only for a code not listed here.
    refused: {
      storage_unavailable: 'Nie udało się zapisać: baza danych jest niedostępna. Nic nie zmieniono, spróbuj ponownie.',
      not_confirmed: 'Zapis trwa dłużej niż zwykle: zmiana nie jest jeszcze potwierdzona, ale może się jeszcze '
        + 'zapisać. Sprawdź listę, zanim ją powtórzysz.',
      busy: 'Poprzednia zmiana jeszcze się zapisuje; tej nie wykonano. Spróbuj ponownie, gdy tamta się zakończy.',
      already_acknowledged: 'Ktoś już przyjął to zgłoszenie.',
      not_found: 'Tego zgłoszenia nie ma już wśród otwartych w Twoim urzędzie. Nic nie zmieniono.',
      conflict: 'Tego nie można zrobić przy obecnym stanie zgłoszenia; lista pokazuje, jak jest teraz. Nic nie zmieniono.',
      not_acknowledged: 'Najpierw trzeba przyjąć zgłoszenie. Nic nie zmieniono.',
      already_contacted: 'Kontakt z mieszkańcem jest już odnotowany. Nic nie zmieniono.',
      forbidden: 'Może to zrobić tylko osoba, która przyjęła zgłoszenie, albo koordynator. Nic nie zmieniono.',
      no_escalation_steps: 'Dla tego priorytetu nie ustawiono kolejnych osób do wezwania.',
      nobody_to_call: 'Nie można teraz wezwać nikogo innego: w krokach eskalacji nie ma nikogo więcej, do kogo '
        + 'ASK może dotrzeć (na dyżurze lub z telefonem). Nic nie zmieniono.',
      account_disabled: 'To konto jest wyłączone; nic nie zmieniono. Zapytaj administratora w urzędzie.',
      bad_request: 'Strona wysłała niepoprawne polecenie; nic nie zmieniono. Odśwież stronę.',
      too_long: 'Notatka jest dłuższa, niż urząd pozwala; nic nie zmieniono. Skróć ją i spróbuj ponownie.',
    },
  },
  en: {
    dashboard: 'duty dashboard', loginTitle: 'Log in', username: 'Username', password: 'Password',
    signedInAs: (name, role) => `Signed in: ${name}${ROLE_EN[role] ? ` (${ROLE_EN[role]})` : ''}`,
    loginButton: 'Log in', queueTitle: 'Requests', enableSound: 'Turn on the alarm sound',
    soundHeld: 'The browser is holding the alarm sound back: new requests will not be heard. Press “Turn on the alarm sound”.',
    phone: 'Phone', address: 'Address', needs: 'Needs', message: 'Message', latestMessage: 'Latest message', ack: 'I’ll take it',
    outcome: 'Outcome', note: 'Note', resolve: 'Close the request',
    contacted: 'I have talked to the resident', release: 'Give back to the queue', escalate: 'Call in more people',
    repeated: (n) => `Repeated ${n}×`,
    o_called_back: 'Called back', o_visit_scheduled: 'Visit scheduled (Mobile Clerk)',
    o_referred: 'Referred (social services or other unit)', o_emergency_services: 'Handed to 112',
    o_no_contact: 'No contact', o_other: 'Other',
    onDuty: 'I am on duty', offDuty: 'Not on duty — click to start',
    urgent: 'URGENT', normal: 'normal', ago: (m) => (m < 1 ? 'just now' : `${m} min ago`),
    via: { web: 'web page', button: 'button', sms: 'SMS' },
    state: { queued: 'Waiting — nobody is being alerted', notifying: 'Alerting staff on duty',
             acknowledged: 'Taken by', contacted: 'Contacted by', resolved: 'Closed',
             cancelled: 'Cancelled by the resident' },
    summary: (n, waiting) => `Open: ${n}. Waiting to be taken: ${waiting}.`,
    empty: 'No open requests.', none: '—',
    closedTitle: 'Recently closed', closedEmpty: 'No closed requests yet.',
    closedFailed: 'Could not load the list of closed requests.', closedBy: 'closed by', tookIt: 'taken by',
    made: 'made', closedMore: 'Show older',
    closedAdded: (n, all) => (n === 0 ? 'No older requests.'
      : `${n} older ${n === 1 ? 'request' : 'requests'} shown.${all ? ' That is all of them.' : ''}`),
    needsLabels: { deaf: 'Deaf — DO NOT CALL, SMS only', hard_of_hearing: 'Hard of hearing',
                   blind: 'Blind — voice contact', low_vision: 'Low vision', wheelchair: 'Wheelchair user',
                   intellectual: 'Easy-to-read text', speech: 'Speech difficulty — SMS preferred' },
    loginFailed: 'Wrong username or password.',
    loginLocked: 'Too many failed attempts to log in with this username. Wait up to 15 minutes and try again.',
    loginUnavailable: 'The server cannot log you in right now (its database is unavailable or too slow). '
      + 'Try again in a moment.',
    loginOffline: 'No connection to the server. Check the network and try again.',
    loginError: (status) => `Could not log in (server error ${status}). Try again.`,
    sessionExpired: 'Your session has expired or was ended. Please log in again.',
    notSent: 'No connection: the command was not sent. Try again once the page is connected.',
    answerLost: 'The connection broke before the server answered: the command may or may not have been carried '
      + 'out. Check its state once connected again.',
    connectFailed: 'Logged in, but the dashboard cannot connect to the server. Still trying. If this goes on, '
      + 'tell your administrator.',
    loginNoSession: 'The server accepted the login, but the browser did not send the session back. Check that '
      + 'cookies are allowed for this site, and log in again.',
    accountDisabled: 'This account is disabled. Ask the office’s administrator.',
    signedOut: 'Your session was ended (signed out in another window, a new password or a disabled account). '
      + 'Please log in again.',
    signOut: 'Sign out', youSignedOut: 'Signed out.',
    signOutOnDuty: 'You are on duty. End your duty and sign out?', signOutEndDuty: 'End duty and sign out',
    signOutAsk: 'Sign out?',
    signOutHeld: (n) => `Requests you have taken with no contact with the resident yet: ${n}. They stay yours, `
      + 'and their residents are told you will contact them. For someone else to take them, choose “Cancel” and give '
      + 'them back to the queue.',
    cancel: 'Cancel',
    signOutDutyFailed: 'Your duty could not be ended, so you were not signed out. You are still on duty; try again.',
    signOutFailed: 'Signing out failed: the server did not confirm it. You are still signed in; try again.',
    signOutOffline: 'No connection to the server: you were not signed out. Try again once the page is connected.',
    signOutFailedOffDuty: 'Your duty has ended, but signing out failed: the server did not confirm it. You are '
      + 'still signed in; try again.',
    signOutOfflineOffDuty: 'Your duty has ended, but there is no connection to the server: you were not signed '
      + 'out. Try again once the page is connected.',
    online: 'Connected.', offline: 'No connection: new requests do not reach this screen. Reconnecting…',
    calledIn: 'More people were called in. The request’s history shows whom and how.',
    newAlert: 'New request', takenBy: (n) => `${n} has already taken it.`,
    reminder: 'Reminder: the resident is still waiting for contact',
    refused: {
      storage_unavailable: 'Not saved: the database is unavailable. Nothing was changed; try again.',
      not_confirmed: 'Saving is taking longer than usual: the change is not confirmed yet but may still be '
        + 'saved. Check the list before repeating it.',
      busy: 'The previous change is still being saved; this one was not carried out. Try again once that one ends.',
      already_acknowledged: 'Someone has already taken this request.',
      not_found: 'This request is no longer among the open ones of your office. Nothing was changed.',
      conflict: 'That cannot be done in the request’s current state; the list shows where it stands now. Nothing was changed.',
      not_acknowledged: 'The request has to be taken first. Nothing was changed.',
      already_contacted: 'The contact with the resident is already recorded. Nothing was changed.',
      forbidden: 'Only the person who took the request or a coordinator can do that. Nothing was changed.',
      no_escalation_steps: 'No further people to call in are set for this priority.',
      nobody_to_call: 'Nobody else can be called in now: the escalation steps name no one else ASK can reach '
        + '(on duty, or with a phone). Nothing was changed.',
      account_disabled: 'This account is disabled; nothing was changed. Ask the office’s administrator.',
      bad_request: 'The page sent an invalid command; nothing was changed. Reload the page.',
      too_long: 'The note is longer than the office allows; nothing was changed. Shorten it and try again.',
    },
  },
};

/** The dashboard's word for an outcome code (as its outcome list shows it), or undefined for a code it does
    not list. */
export const outcomeName = (lang, code) => STRINGS[lang][`o_${code}`];
