#include "server/sms/inbound.hpp"

#include "gateways/phone_number.hpp"
#include "gateways/sms_text.hpp"
#include "server/app/actions.hpp"
#include "server/app/application.hpp"
#include "server/app/flood_guard.hpp"
#include "server/app/work_claim.hpp"
#include "server/auth/secrets.hpp"
#include "server/sms/kept_replies.hpp"
#include "server/store/accounts.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

namespace ask::sms {
namespace {

using outcome_kind = inbound_outcome::kind;

constexpr std::string_view help_text =
    "ASK: odpisz numer zgłoszenia i literę: 12a przyjmij, 12c zamknij, 12e wezwij kolejne osoby; "
    "samo a przyjmuje ostatnie zgłoszenie, samo c zamyka ostatnie, jeśli je masz.";

// The request_id a resident's text gets: stable per provider message, within the key's alphabet and length.
std::string request_key(const incoming_text& in) {
    bool clean = !in.message_id.empty() && in.message_id.size() <= 40;
    for (char c : in.message_id)
        clean = clean && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
    std::string id = clean ? in.message_id : auth::token_hash(in.message_id).substr(0, 40);
    return "sms:" + in.provider + ":" + id;
}

// The open request this staff member was last texted about, if any. A store that failed is a
// failure (the provider retries), not "no such request".
net::awaitable<action_result<std::optional<std::int64_t>>> latest_for(application& app, std::int64_t staff_id) {
    auto find = [staff_id](store::database& db) { return store::latest_texted_to(db, staff_id); };
    auto found =
        co_await app.store().run<std::optional<std::int64_t>>(std::move(find), store::writer::lane::ongoing);
    if (!found)
        co_return from_store(found.error());
    co_return *found;
}

// What a refused reply is told, in Polish: the failure's own message is English, for the dashboard's
// and the API's clients. Codes an SMS reply cannot meet fall back to it.
std::string refusal_text(const failure& f) {
    if (f.code == "nobody_to_call")
        return "nie można teraz wezwać nikogo innego. Nic nie zmieniono.";
    if (f.code == "no_escalation_steps")
        return "dla tego priorytetu nie ustawiono kolejnych osób do wezwania. Nic nie zmieniono.";
    if (f.code == "not_acknowledged")
        return "nikt go nie przyjął. Nic nie zmieniono.";
    if (f.code == "conflict")
        return "tego nie można zrobić przy obecnym stanie zgłoszenia. Nic nie zmieniono.";
    if (f.code == "account_disabled")
        return "to konto jest wyłączone. Nic nie zmieniono.";
    if (f.code == "forbidden")
        return "zamknąć je może tylko osoba, która je przyjęła, albo koordynator. Nic nie zmieniono.";
    return f.message;
}

// How the number given to a member away from the dashboard may be used, when a call would fail the
// resident: the dashboard's "NIE DZWOŃ, tylko SMS". A way of contact, not a health detail.
std::string how_to_reach(const protocol::resident_card& card) {
    auto has = [&](std::string_view need) {
        return std::find(card.needs.begin(), card.needs.end(), need) != card.needs.end();
    };
    if (card.phone.empty())
        return {};
    if (has("deaf"))
        return " (tylko SMS, nie dzwoń)";
    if (has("speech"))
        return " (najlepiej SMS)";
    return {};
}

struct answer {
    std::string text;
    bool marked = false; ///< the reply was marked as seen in the commit of the action it asked for
    /// The text says this member has the request ("przyjęto…" with whom to call, "ma już X"): it holds
    /// only while they do (sms::send_answer).
    std::optional<std::int64_t> says_taken_by;
    /// The request the reply was taken to be about (its history records the answer, if it is of the
    /// member's office: store::keep_reply); 0: none.
    std::int64_t about = 0;
};

// Carries out a staff member's reply about request `id` and says, in one short text, what happened. The
// action the reply asks for is committed together with the reply's seen-mark (store::marking_seen): a
// copy the provider sends again, even after a crash between the two, is never carried out a second time.
net::awaitable<action_result<answer>> act_on_request(application& app, const store::staff_record& staff,
                                                     gateways::staff_reply::kind what, std::int64_t id,
                                                     const store::inbound_ref& text) {
    auto about_it = [id](std::string says, bool marked = false, std::optional<std::int64_t> taken_by = {}) {
        return answer{std::move(says), marked, taken_by, id};
    };
    // Whoever has the request needs the name and number to call back; they are recorded as shown the card.
    auto whom_to_call = [&](const protocol::resident_card& card) {
        app.card_shown(staff.id, card.id, application::now());
        return about_it(fmt::format("ASK: przyjęto zgłoszenie nr {}: {}{}{}{}.", id, card.name,
                                    card.phone.empty() ? "" : ", tel. ", card.phone, how_to_reach(card)),
                        true, staff.id);
    };
    auto explain = [&](const failure& f) -> action_result<answer> {
        if (f.code == "storage_unavailable")
            return f;
        if (f.code == "already_acknowledged" && f.holder)
            return about_it(fmt::format("ASK: zgłoszenie nr {} ma już {}.", id, f.holder->name), false,
                            f.holder->id);
        if (f.code == "forbidden" && f.holder)
            return about_it(fmt::format("ASK: zgłoszenie nr {} ma {}. Zamknąć je może tylko ta osoba albo "
                                        "koordynator. Nic nie zmieniono.",
                                        id, f.holder->name),
                            false, f.holder->id);
        if (f.code == "not_found")
            return about_it(fmt::format("ASK: nie ma otwartego zgłoszenia nr {}.", id));
        return about_it(fmt::format("ASK: zgłoszenie nr {}: {}", id, refusal_text(f)));
    };
    using kind = gateways::staff_reply::kind;
    if (what == kind::escalate) {
        auto done = co_await app.escalation().escalate_by_hand(staff, id, text);
        if (!done) {
            auto said = explain(done.error());
            // The job ran, and committed the mark with its answer.
            if (said && done.error().code == "nobody_to_call")
                said->marked = true;
            co_return said;
        }
        co_return about_it(fmt::format("ASK: zgłoszenie nr {}: wezwano kolejne osoby.", id), true);
    }
    if (what == kind::acknowledge) {
        std::optional<store::inbound_ref> mark = text;
        auto taken = co_await actions::acknowledge(app, staff, id, mark);
        if (!taken) {
            // Taken again by the one who has it (the first answer did not reach them, say): the same
            // answer, with whom to call, not "ma już" and their own name. The job committed the mark. The
            // card is the hub's, read with no wait after the job: it still has the request held by them
            // unless a change committed right after the job was applied first, and then the answer names
            // no holder.
            const auto& f = taken.error();
            if (mark && f.code == "already_acknowledged" && f.holder && f.holder->id == staff.id) {
                const auto* held = app.hub().find(id);
                if (held && held->view.acknowledged_by && held->view.acknowledged_by->id == staff.id)
                    co_return whom_to_call(held->view.resident);
                co_return about_it(
                    fmt::format("ASK: zgłoszenie nr {}: {}", id, refusal_text(failure{"conflict"})), true);
            }
            auto said = explain(taken.error());
            // Someone else has it: the job ran, and committed the mark with its answer.
            if (said && mark && taken.error().code == "already_acknowledged")
                said->marked = true;
            co_return said;
        }
        co_return whom_to_call(taken->view.resident);
    }
    // "c" on a waiting request takes and closes it in one step: the resident is not told first that
    // this member will contact them.
    protocol::resolve_message close{id, protocol::outcome::other, "Zamknięte odpowiedzią SMS"};
    const auto* current = app.hub().find(id);
    action_result<store::request_record> closed = failure{};
    if (current && protocol::awaiting_ack(current->view.state))
        closed = co_await actions::take_and_resolve(app, staff, close, text);
    else
        closed = co_await actions::resolve(app, staff, close, text);
    if (!closed)
        co_return explain(closed.error());
    co_return about_it(fmt::format("ASK: zamknięto zgłoszenie nr {}.", id), true);
}

// Whether this member has the open request now (the hub's view, after the job that found it).
bool held_by(application& app, std::int64_t id, std::int64_t staff_id) {
    const auto* r = app.hub().find(id);
    return r && r->view.acknowledged_by && r->view.acknowledged_by->id == staff_id;
}

// The answer to a bare "c" the latest request texted to the member is not theirs to close by: which
// requests they do have, with the reply that closes each. Never the latest's own number: that is a
// request they do not have (an urgent one nobody has handled, maybe), and "12c" would close it unhandled.
std::string bare_c_refused(application& app, std::int64_t staff_id) {
    constexpr std::size_t named_at_most = 5; // the text stays one or two parts
    std::vector<std::int64_t> theirs;
    for (auto id : app.hub().open_ids())
        if (held_by(app, id, staff_id))
            theirs.push_back(id);
    std::sort(theirs.begin(), theirs.end());
    if (theirs.empty())
        return "ASK: samo c zamyka zgłoszenie, które masz, a nie masz teraz żadnego. Nic nie zmieniono.";
    if (theirs.size() == 1)
        return fmt::format("ASK: samo c zamyka tylko zgłoszenie, które masz. Masz zgłoszenie nr {}: aby je "
                           "zamknąć, odpisz {}c. Nic nie zmieniono.",
                           theirs[0], theirs[0]);
    const bool all_named = theirs.size() <= named_at_most;
    theirs.resize(std::min(theirs.size(), named_at_most));
    return fmt::format(
        "ASK: samo c zamyka tylko zgłoszenie, które masz. Masz zgłoszenia nr {}{}: aby zamknąć "
        "jedno z nich, odpisz jego numer i c, np. {}c. Nic nie zmieniono.",
        fmt::join(theirs, ", "), all_named ? "" : " i inne", theirs[0]);
}

// Carries out a staff member's reply (act_on_request): about the request it names, or without a number
// about the open one the member was last texted about. A bare "c" closes that one only when the member
// has it: the latest text may be about another request than the one they mean (an urgent one nobody
// has handled yet, texted after theirs), and closing it would leave its resident alone.
net::awaitable<action_result<answer>> act_on_reply(application& app, const store::staff_record& staff,
                                                   const gateways::staff_reply& r,
                                                   const store::inbound_ref& text) {
    auto id = r.request_id;
    if (!id) {
        auto latest = co_await latest_for(app, staff.id);
        if (!latest)
            co_return latest.error();
        id = *latest;
        if (id && r.what == gateways::staff_reply::resolve && !held_by(app, *id, staff.id))
            co_return answer{bare_c_refused(app, staff.id), false, std::nullopt, *id};
    }
    if (!id)
        co_return answer{"ASK: nie wiem, którego zgłoszenia dotyczy odpowiedź. " + std::string(help_text)};
    co_return co_await act_on_request(app, staff, r.what, *id, text);
}

net::awaitable<action_result<inbound_outcome>> from_staff(application& app, const store::staff_record& staff,
                                                          const incoming_text& in) {
    // One copy at a time: the "seen" check below is a store job of its own, before the action's, so a
    // retry arriving while the first copy is still at work would pass it and act again. It is told to
    // retry later.
    const work_claim claim(app.staff_texts_in_flight(), in.provider + " " + in.message_id);
    if (!claim.held()) {
        spdlog::info("sms: reply {} from staff {} came again while still being carried out; answered 503",
                     in.message_id, staff.id);
        co_return not_confirmed();
    }
    auto seen = [p = in.provider, m = in.message_id](store::database& db) { return store::inbound_seen(db, p, m); };
    auto before = co_await app.store().run<bool>(std::move(seen), store::writer::lane::ongoing);
    if (!before)
        co_return from_store(before.error());
    if (*before)
        co_return inbound_outcome{outcome_kind::staff_reply, 0, false};
    auto parsed = gateways::parse_staff_reply(in.text);
    answer said{std::string(help_text)};
    if (parsed) {
        const store::inbound_ref text{in.provider, in.message_id};
        auto done = co_await act_on_reply(app, staff, *parsed, text);
        if (!done)
            co_return done.error();
        said = std::move(*done);
    }
    // Help, or an action refused, changed nothing: its mark is a job of its own, and a store that
    // fails it gets a 503, so the provider sends the reply again and it is answered then.
    if (!said.marked) {
        auto mark = [p = in.provider, m = in.message_id](store::database& db) {
            return store::mark_inbound(db, p, m, application::now());
        };
        if (auto done = co_await app.store().run<void>(std::move(mark), store::writer::lane::ongoing); !done)
            co_return from_store(done.error());
    }
    spdlog::info("sms: reply from staff {} ({})", staff.id, parsed ? "understood" : "help sent");
    send_answer(app, staff.office_id, staff.id, staff.phone, std::move(said.text), said.about,
                said.says_taken_by);
    co_return inbound_outcome{outcome_kind::staff_reply, said.about, false};
}

net::awaitable<action_result<inbound_outcome>> consent(application& app, const std::string& phone, bool stop,
                                                       const incoming_text& in) {
    auto change = [phone, stop, p = in.provider, m = in.message_id](store::database& db) -> store::result<bool> {
        using boost::system::in_place_error;
        auto seen = store::inbound_seen(db, p, m);
        if (!seen)
            return {in_place_error, seen.error()};
        if (*seen)
            return false;
        if (auto r = store::set_sms_opt_out_for_phone(db, phone, stop); !r)
            return {in_place_error, r.error()};
        if (auto r = store::mark_inbound(db, p, m, application::now()); !r)
            return {in_place_error, r.error()};
        return true;
    };
    // On the queue's reserve, as the lookup before it: a STOP holds during a flood of texts.
    auto changed = co_await app.store().run<bool>(std::move(change), store::writer::lane::ongoing);
    if (!changed)
        co_return from_store(changed.error());
    if (*changed) {
        spdlog::info("sms: a number sent {}", stop ? "STOP" : "START");
        if (!stop)
            send_answer(app, app.office_for_number(in.to), std::nullopt, phone,
                        "ASK: wiadomości SMS od urzędu są znowu włączone. STOP je wyłącza.");
    }
    co_return inbound_outcome{outcome_kind::consent, 0, false};
}

} // namespace

net::awaitable<action_result<inbound_outcome>> receive_text(application& app, flood_guard& flood,
                                                            const incoming_text& in) {
    auto phone = gateways::normalise_phone(in.from);
    if (!phone)
        co_return bad_request("the sender is not a phone number");
    auto command = gateways::parse_opt_command(in.text);
    if (command != gateways::opt_command::none) {
        auto staff_lookup = [p = *phone](store::database& db) { return store::staff_by_phone(db, p); };
        // Past queue_max too (the queue's reserve): a STOP must hold during a flood of texts.
        auto staff = co_await app.store().run<std::optional<store::staff_record>>(
            std::move(staff_lookup), store::writer::lane::ongoing);
        if (!staff)
            co_return from_store(staff.error());
        if (*staff)
            co_return co_await from_staff(app, **staff, in);
        co_return co_await consent(app, *phone, command == gateways::opt_command::stop, in);
    }

    // The common case, a resident's text, takes one store job: who sent it, and storing it. The
    // flood guard's place is settled on every way out below (only a stored text counts).
    bool allowed = flood.reserve(*phone, application::now());
    protocol::new_request req;
    req.level = gateways::means_urgent(in.text) ? protocol::priority::urgent : protocol::priority::normal;
    req.message = gateways::clip_text(in.text, app.settings().limits.text.message_chars);
    req.request_id = request_key(in);
    req.via = protocol::channel::sms;
    struct sender {
        std::optional<store::staff_record> staff;   ///< a staff phone: the text is their reply
        std::optional<store::insert_result> stored; ///< a resident's request; neither: over the flood allowance
    };
    actions::press p(app, std::move(req));
    // A text that reads as a staff member's reply ("12a") is most likely one: staff acting on requests keep
    // the queue's reserve, so their reply is not refused by a flood of residents' texts.
    auto how = gateways::parse_staff_reply(in.text) && p.lane() == store::writer::lane::normal
                   ? store::writer::lane::ongoing
                   : p.lane();
    auto store_text = [p = std::move(p), office = app.office_for_number(in.to), phone = *phone,
                       allowed](store::database& db) -> store::result<sender> {
        auto staff = store::staff_by_phone(db, phone);
        if (!staff)
            return staff.error();
        if (*staff)
            return sender{std::move(*staff), std::nullopt};
        auto resident = store::resident_for_sms(db, office, phone, application::now());
        if (!resident)
            return resident.error();
        if (!allowed) {
            // Over the allowance a text is dropped when it would only repeat an open request that is
            // urgent already. One that makes a new request (the last was closed), or raises a normal one
            // to urgent (any merged text does), is a new call for help and is stored all the same.
            auto repeats = store::has_open_urgent_request(db, resident->id);
            if (!repeats)
                return repeats.error();
            if (*repeats)
                return sender{};
        }
        auto stored = p.store(db, *resident);
        if (!stored)
            return stored.error();
        return sender{std::nullopt, std::move(*stored)};
    };
    auto done = co_await app.store().run<sender>(std::move(store_text), how);
    bool counts = done && done->stored && (done->stored->created || done->stored->merged);
    if (allowed)
        flood.settle(*phone, application::now(), counts);
    if (!done)
        co_return actions::press_failure(done.error());
    if (done->staff)
        co_return co_await from_staff(app, *done->staff, in);
    if (!done->stored) {
        spdlog::warn("sms: too many texts from one number; this one is not stored");
        co_return inbound_outcome{outcome_kind::flood_dropped, 0, false};
    }
    co_await actions::announce(app, *done->stored);
    co_return inbound_outcome{outcome_kind::request, done->stored->request.view.id, done->stored->created};
}

} // namespace ask::sms
