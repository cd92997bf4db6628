// What a request's history (history.js) says, Polish first and English: the name of each event kind and
// the plain words for the codes its details carry (server/store/requests.cpp, app/escalator.cpp,
// sms/*.cpp and http/webhooks.cpp write them). A code missing here is shown as it is.
// The outcomes are not repeated here: history.js takes them from staff_strings.js, whose words the
// dashboard's outcome list shows.
// Polish nouns after a number: 1 osoba, 2–4 (but not 12–14) osoby, otherwise osób.
const PLURAL_PL = new Intl.PluralRules('pl-PL');
const polishPlural = (n, one, few, many) => ({ one, few }[PLURAL_PL.select(n)] ?? many);

export const HISTORY_STRINGS = {
  pl: {
    title: 'Historia zgłoszenia', failed: 'Nie udało się pobrać historii.', system: 'system',
    kinds: { created: 'zgłoszenie', notifying: 'powiadamianie dyżurnych', queued: 'w kolejce — nikt nie jest powiadamiany',
      notified: 'powiadomiono', escalated: 'eskalacja', ack_timeout: 'przyjęte, brak kontaktu — przypomnienie',
      repeated: 'mieszkaniec ponowił prośbę', message_completed: 'doszła brakująca część SMS-a', acknowledged: 'przyjęte', contacted: 'kontakt nawiązany',
      released: 'oddane do kolejki', note: 'notatka', resolved: 'zakończone', cancelled: 'anulowane',
      resident_sms: 'SMS do mieszkańca', sms_sent: 'SMS wysłany', sms_failed: 'SMS niewysłany', sms_status: 'raport SMS',
      waits_for_opening: 'urząd zamknięty — eskalacja od otwarcia',
      ladder_restarted: 'eskalacja liczona od teraz (zmienił się zegar lub godziny urzędu)' },
    reasons: { account_disabled: 'konto osoby, która je przyjęła, zostało wyłączone' },
    priority: { urgent: 'pilne', normal: 'zwykłe' },
    // Who an escalation step or a reminder reached (detail.who).
    who: { on_duty: 'dyżurni', coordinators: 'koordynatorzy', all_staff: 'wszyscy pracownicy',
      named: 'wskazane osoby', acknowledger: 'osoba, która przyjęła zgłoszenie',
      after_hours_phone: 'telefon dyżurny poza godzinami urzędu' },
    // How they were reached (detail.via).
    reachedBy: { dashboard: 'panel', sms: 'SMS' },
    // A step due by the clock that reached none of its people (detail.reached_nobody), and after which
    // the next step came at once (detail.next_step_at_once).
    reachedNobody: 'nikogo nie powiadomiono', nextStepAtOnce: 'od razu kolejny krok',
    // A reminder sent to the coordinators at once (detail.acknowledger_unreachable).
    acknowledgerUnreachable: 'osoba, która przyjęła zgłoszenie, nie ma otwartego panelu ani telefonu',
    // A reminder that went to those on duty or to everyone, no coordinator having a way to get it
    // (detail.coordinators_unreachable), and one that went to the holder again, nobody else having one
    // (detail.nobody_else_reachable).
    coordinatorsUnreachable: 'żaden koordynator nie ma otwartego panelu ani telefonu',
    nobodyElseReachable: 'nikt inny nie ma otwartego panelu ani telefonu',
    // How many people a ring of the dashboards reached, and how many rings a line stands for.
    people: (n) => `${n} ${polishPlural(n, 'osoba', 'osoby', 'osób')}`,
    times: (n) => `${n} ${n === 1 ? 'raz' : 'razy'}`,
    // What a text to the resident told them (resident_sms's detail.stage).
    residentStage: { received: 'zgłoszenie dotarło', nobody_on_duty: 'nikt nie ma dyżuru; podano numer 112',
      taken: 'ktoś z urzędu je przyjął',
      contacted: 'kontakt nawiązany', resolved: 'sprawa zakończona' },
    // Why a text to the resident was not sent (resident_sms's detail.not_sent).
    notSent: { opted_out: 'nie wysłano: mieszkaniec wyłączył SMS-y (STOP)', no_number: 'nie wysłano: brak numeru telefonu' },
    // A try the provider refused as one it already had from an earlier try (sms_sent's detail.repeat): sent once.
    repeatSent: 'dostawca miał już ten SMS z wcześniejszej próby; wysłany raz',
    // A provider's delivery report (sms_status's detail.status), by its lower-cased name.
    smsStatus: { delivered: 'doręczony', undelivered: 'niedoręczony', failed: 'nie udało się wysłać',
      expired: 'nie doręczono na czas', rejected: 'odrzucony przez operatora', sent: 'przekazany do sieci',
      on_its_way: 'w drodze', canceled: 'anulowany', read: 'przeczytany', unknown: 'stan nieznany' },
  },
  en: {
    title: 'Request history', failed: 'Could not load the history.', system: 'system',
    kinds: { created: 'request', notifying: 'alerting staff on duty', queued: 'queued — nobody is being alerted',
      notified: 'alerted', escalated: 'escalated', ack_timeout: 'taken, no contact yet — reminder',
      repeated: 'the resident asked again', message_completed: 'a missing part of the text arrived', acknowledged: 'taken', contacted: 'contacted', released: 'given back',
      note: 'note', resolved: 'closed', cancelled: 'cancelled', resident_sms: 'text to the resident',
      sms_sent: 'text sent', sms_failed: 'text not sent', sms_status: 'text report',
      waits_for_opening: 'office closed — escalation from the opening',
      ladder_restarted: 'escalation counted from now (the clock or the office hours changed)' },
    reasons: { account_disabled: 'the account of whoever had taken it was disabled' },
    priority: { urgent: 'urgent', normal: 'normal' },
    who: { on_duty: 'staff on duty', coordinators: 'coordinators', all_staff: 'all staff',
      named: 'the people named', acknowledger: 'whoever took the request',
      after_hours_phone: 'the after-hours phone' },
    reachedBy: { dashboard: 'dashboard', sms: 'SMS' },
    reachedNobody: 'nobody was reached', nextStepAtOnce: 'the next step came at once',
    acknowledgerUnreachable: 'whoever took the request has no dashboard open and no phone',
    coordinatorsUnreachable: 'no coordinator has a dashboard open or a phone',
    nobodyElseReachable: 'nobody else has a dashboard open or a phone',
    people: (n) => `${n} ${n === 1 ? 'person' : 'people'}`,
    times: (n) => `${n} ${n === 1 ? 'time' : 'times'}`,
    residentStage: { received: 'the request arrived', nobody_on_duty: 'nobody is on duty; told to call 112',
      taken: 'someone at the office took it',
      contacted: 'contact made', resolved: 'the matter is closed' },
    notSent: { opted_out: 'not sent: the resident turned texts off (STOP)', no_number: 'not sent: no phone number' },
    repeatSent: 'the provider already had this text from an earlier try; sent once',
    smsStatus: { delivered: 'delivered', undelivered: 'not delivered', failed: 'could not be sent',
      expired: 'not delivered in time', rejected: 'rejected by the network', sent: 'handed to the network',
      on_its_way: 'on its way', canceled: 'cancelled', read: 'read', unknown: 'status unknown' },
  },
};

// Providers' report names that mean the same (Twilio, Vonage, SMSAPI, SMSGate), and SMSAPI's numeric
// statuses, sent when its status_name is missing.
export const SMS_STATUS_ALIASES = {
  cancelled: 'canceled', queued: 'on_its_way', queue: 'on_its_way', accepted: 'on_its_way',
  sending: 'on_its_way', scheduled: 'on_its_way', buffered: 'on_its_way', pending: 'on_its_way',
  processed: 'on_its_way', renewal: 'on_its_way',
  402: 'expired', 403: 'sent', 404: 'delivered', 405: 'undelivered', 406: 'failed', 407: 'rejected',
  408: 'unknown', 409: 'on_its_way', 410: 'on_its_way',
};
