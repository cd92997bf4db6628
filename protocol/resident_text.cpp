// Plain-language sentences for residents: short, concrete, never promising a time or
// help that is not coming (domain.md, "The promise", 3). Polish first.
#include "protocol/server_messages.hpp"

namespace ask::protocol {
namespace {

std::string polish(const status_view& s) {
    switch (s.state) {
    case request_state::received:
    case request_state::queued:
        return s.level == priority::urgent
                   ? "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu. "
                     "Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112."
                   : "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu.";
    case request_state::notifying:
        return "Twoje zgłoszenie zostało przyjęte. Powiadamiamy pracowników urzędu.";
    case request_state::acknowledged:
        return s.by ? *s.by + " z urzędu skontaktuje się z Tobą." : "Pracownik urzędu skontaktuje się z Tobą.";
    case request_state::resolved:
        if (s.result == outcome::visit_scheduled)
            return "Sprawa załatwiona: umówiono wizytę pracownika urzędu. Dziękujemy.";
        return "Sprawa została zakończona. Dziękujemy.";
    case request_state::cancelled:
        return "Zgłoszenie zostało anulowane.";
    }
    return {};
}

std::string english(const status_view& s) {
    switch (s.state) {
    case request_state::received:
    case request_state::queued:
        return s.level == priority::urgent
                   ? "Your request has been received and is waiting for a member of staff. "
                     "If life or health is in danger, call 112."
                   : "Your request has been received and is waiting for a member of staff.";
    case request_state::notifying:
        return "Your request has been received. We are alerting the office staff.";
    case request_state::acknowledged:
        return s.by ? *s.by + " from the office will contact you." : "A member of staff will contact you.";
    case request_state::resolved:
        if (s.result == outcome::visit_scheduled)
            return "Done: a visit from the office has been arranged. Thank you.";
        return "Your request has been dealt with. Thank you.";
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
