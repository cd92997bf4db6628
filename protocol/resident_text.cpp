// Plain-language sentences for residents: short, concrete, never promising a time or
// help that is not coming (domain.md, "The promise", 3). Polish first.
#include "protocol/civil_time.hpp"
#include "protocol/server_messages.hpp"

#include <array>
#include <cstdio>

namespace ask::protocol {
namespace {

constexpr std::string_view not_112_pl = "ASK nie jest numerem alarmowym: jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.";
constexpr std::string_view not_112_en = "ASK is not an emergency service: if life or health is in danger, call 112.";
// For a resident who cannot make a voice call: "call 112" is no way out for them. The Alarm112 app is the
// national way to report an emergency without a call (for deaf people and people who cannot speak).
constexpr std::string_view not_112_no_calls_pl =
    "ASK nie jest numerem alarmowym: jeśli zagrożone jest życie lub zdrowie, wezwij pomoc przez aplikację "
    "Alarm112 albo poproś kogoś o telefon pod 112.";
constexpr std::string_view not_112_no_calls_en = "ASK is not an emergency service: if life or health is in "
                                                 "danger, get help through the Alarm112 app, or ask "
                                                 "someone to call 112.";

// "w poniedziałek 24.11 o 7:30" / "on Monday 24 Nov at 7:30", from an office wall-clock time.
std::string when(millis local, bool polish) {
    static constexpr std::array<std::string_view, 7> pl_days{"w niedzielę", "w poniedziałek", "we wtorek", "w środę",
                                                             "w czwartek", "w piątek", "w sobotę"};
    static constexpr std::array<std::string_view, 7> en_days{"Sunday", "Monday", "Tuesday", "Wednesday",
                                                             "Thursday", "Friday", "Saturday"};
    static constexpr std::array<std::string_view, 12> en_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    long long day = floor_div(local, ms_per_day);
    auto minutes = static_cast<int>((local - day * ms_per_day) / 60'000);
    auto date = civil_from_days(day);
    auto wd = static_cast<std::size_t>(weekday_from_days(day));
    char buf[96];
    if (polish)
        std::snprintf(buf, sizeof buf, "%s %u.%02u o %d:%02d", std::string(pl_days[wd]).c_str(), date.day, date.month,
                      minutes / 60, minutes % 60);
    else
        std::snprintf(buf, sizeof buf, "on %s %u %s at %d:%02d", std::string(en_days[wd]).c_str(), date.day,
                      std::string(en_months[date.month - 1]).c_str(), minutes / 60, minutes % 60);
    return buf;
}

std::string closed_pl(const status_view& s) {
    std::string text;
    if (s.nobody_on_duty)
        text = "Nikt z urzędu nie ma teraz dyżuru. Twoje zgłoszenie czeka w kolejce: dostanie je pierwsza osoba, "
               "która rozpocznie dyżur.";
    else if (s.opens_at_local)
        text = "Urząd jest teraz zamknięty. Twoje zgłoszenie czeka w kolejce; urząd otwiera się " +
               when(*s.opens_at_local, true) + ".";
    else
        text = "Urząd jest teraz zamknięty. Twoje zgłoszenie czeka w kolejce.";
    return text + " " + std::string(s.no_voice_calls ? not_112_no_calls_pl : not_112_pl);
}

std::string closed_en(const status_view& s) {
    std::string text;
    if (s.nobody_on_duty)
        text = "Nobody at the office is on duty right now. Your request is queued: the first person to start duty "
               "will get it.";
    else if (s.opens_at_local)
        text = "The office is closed now. Your request is queued; the office opens " + when(*s.opens_at_local, false) + ".";
    else
        text = "The office is closed now. Your request is queued.";
    return text + " " + std::string(s.no_voice_calls ? not_112_no_calls_en : not_112_en);
}

// Taken, not yet contacted, and the office closed by its calendar: who has it, that the office is closed and
// when it opens, and 112. No promise of a call: the one who has it may call before the opening, or not.
std::string taken_while_closed_pl(const status_view& s) {
    std::string text =
        s.by ? *s.by + " z urzędu ma Twoje zgłoszenie." : "Pracownik urzędu ma Twoje zgłoszenie.";
    text += s.opens_at_local
                ? " Urząd jest teraz zamknięty; otwiera się " + when(*s.opens_at_local, true) + "."
                : " Urząd jest teraz zamknięty.";
    return text + " " + std::string(s.no_voice_calls ? not_112_no_calls_pl : not_112_pl);
}

std::string taken_while_closed_en(const status_view& s) {
    std::string text =
        s.by ? *s.by + " from the office has your request." : "A member of staff has your request.";
    text += s.opens_at_local ? " The office is closed now; it opens " + when(*s.opens_at_local, false) + "."
                             : " The office is closed now.";
    return text + " " + std::string(s.no_voice_calls ? not_112_no_calls_en : not_112_en);
}

// How a request ended, told as it is: "dealt with, thank you" only when the office did deal with it.
// A resident the office could not reach, or whose case went elsewhere, must not think it is settled.
std::string closed_with_pl(std::optional<outcome> how) {
    switch (how.value_or(outcome::other)) {
    case outcome::visit_scheduled:
        return "Sprawa załatwiona: umówiono wizytę pracownika urzędu. Dziękujemy.";
    case outcome::referred:
        return "Urząd przekazał Twoją sprawę innej instytucji, na przykład ośrodkowi pomocy społecznej. "
               "Zgłoszenie zostało zamknięte. Jeśli nadal potrzebujesz pomocy urzędu, poproś o kontakt "
               "ponownie.";
    case outcome::emergency_services:
        return "Urząd przekazał Twoją sprawę służbom ratunkowym (112). Zgłoszenie zostało zamknięte.";
    case outcome::no_contact:
        return "Nie udało się z Tobą skontaktować, więc zgłoszenie zostało zamknięte. "
               "Jeśli nadal potrzebujesz pomocy, poproś o kontakt ponownie.";
    case outcome::other: // closed by a text "12c", or for a reason none of the others names
        return "Zgłoszenie zostało zamknięte. Jeśli nadal potrzebujesz pomocy, poproś o kontakt ponownie.";
    case outcome::called_back:
        break;
    }
    return "Sprawa została zakończona. Dziękujemy.";
}

std::string closed_with_en(std::optional<outcome> how) {
    switch (how.value_or(outcome::other)) {
    case outcome::visit_scheduled:
        return "Done: a visit from the office has been arranged. Thank you.";
    case outcome::referred:
        return "The office has passed your case to another service, such as the social welfare centre. "
               "This request is closed. If you still need the office's help, ask for contact again.";
    case outcome::emergency_services:
        return "The office has passed your case to the emergency services (112). This request is closed.";
    case outcome::no_contact:
        return "The office could not reach you, so this request is closed. "
               "If you still need help, ask for contact again.";
    case outcome::other:
        return "Your request has been closed. If you still need help, ask for contact again.";
    case outcome::called_back:
        break;
    }
    return "Your request has been dealt with. Thank you.";
}

std::string polish(const status_view& s) {
    if (s.office_closed && awaiting_ack(s.state))
        return closed_pl(s);
    if (s.office_closed && s.state == request_state::acknowledged)
        return taken_while_closed_pl(s);
    switch (s.state) {
    case request_state::received:
    case request_state::queued:
        if (s.level != priority::urgent)
            return "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu.";
        return s.no_voice_calls
                   ? "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu. Jeśli zagrożone "
                     "jest życie lub zdrowie, wezwij pomoc przez aplikację Alarm112 albo poproś kogoś "
                     "o telefon pod 112."
                   : "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu. "
                     "Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.";
    case request_state::notifying:
        return "Twoje zgłoszenie zostało przyjęte. Powiadamiamy pracowników urzędu.";
    case request_state::acknowledged:
        return s.by ? *s.by + " z urzędu skontaktuje się z Tobą." : "Pracownik urzędu skontaktuje się z Tobą.";
    case request_state::contacted:
        return s.by ? "Kontakt nawiązany: " + *s.by + " z urzędu zajmuje się Twoją sprawą."
                    : "Kontakt nawiązany: pracownik urzędu zajmuje się Twoją sprawą.";
    case request_state::resolved:
        return closed_with_pl(s.result);
    case request_state::cancelled:
        return "Zgłoszenie zostało anulowane.";
    }
    return {};
}

std::string english(const status_view& s) {
    if (s.office_closed && awaiting_ack(s.state))
        return closed_en(s);
    if (s.office_closed && s.state == request_state::acknowledged)
        return taken_while_closed_en(s);
    switch (s.state) {
    case request_state::received:
    case request_state::queued:
        if (s.level != priority::urgent)
            return "Your request has been received and is waiting for a member of staff.";
        return s.no_voice_calls
                   ? "Your request has been received and is waiting for a member of staff. If life or "
                     "health is in danger, get help through the Alarm112 app, or ask someone to call 112."
                   : "Your request has been received and is waiting for a member of staff. "
                     "If life or health is in danger, call 112.";
    case request_state::notifying:
        return "Your request has been received. We are alerting the office staff.";
    case request_state::acknowledged:
        return s.by ? *s.by + " from the office will contact you." : "A member of staff will contact you.";
    case request_state::contacted:
        return s.by ? *s.by + " from the office has been in touch and is handling your request."
                    : "The office has been in touch and is handling your request.";
    case request_state::resolved:
        return closed_with_en(s.result);
    case request_state::cancelled:
        return "The request has been cancelled.";
    }
    return {};
}

} // namespace

std::string resident_text(const status_view& s, std::string_view language) {
    return language == "en" ? english(s) : polish(s);
}

} // namespace ask::protocol
