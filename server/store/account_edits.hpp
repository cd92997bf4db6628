// The office's corrections to a resident's or a staff member's details, made with `askd resident edit`
// and `askd staff edit` (server/cli/account_edits.cpp) beside a serving askd, and what that askd reads
// back to bring the cards on its dashboards up to date (application::refresh_cards). Like the changes
// in store/account_changes.hpp, each takes effect at once for everything that asks the store: texts from
// and to a number, escalation's texts to staff, the API's checks of a role.
#pragma once

#include "protocol/server_messages.hpp"
#include "server/store/accounts.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ask::store {

/// What `askd resident edit` changes; a field left nullopt stays as it is.
struct resident_changes {
    std::optional<std::string> name;
    std::optional<std::string> phone; ///< E.164, or "" for none
    std::optional<std::string> address;
    std::optional<std::vector<std::string>> needs;
    std::optional<bool> sms_opt_out; ///< true: no texts to them (as after STOP); false: texts again
};
/// Changes a resident's record and returns it as it now is. Naming a placeholder (a number that wrote in,
/// resident_record::unknown_sender) registers them: their card no longer warns that nobody knows the
/// number, and retention keeps them after their last request closes. not_found when no such resident.
result<resident_record> edit_resident(database&, std::int64_t resident_id, const resident_changes&);

/// What `askd staff edit` changes; a field left nullopt stays as it is.
struct staff_changes {
    std::optional<std::string> display_name;
    std::optional<std::string> phone; ///< E.164, or "" for none
    std::optional<protocol::staff_role> role;
};
struct edited_staff {
    staff_record before;     ///< as it was
    staff_record staff;      ///< as it now is
    bool signed_out = false; ///< the role changed: every sign-in of the account ended
};
/// Changes a staff account. A new role ends every sign-in of the account (sessions deleted,
/// sign_ins_ended counted up, as a new password does): a dashboard is given its role as it opens, so
/// each opens again with what the new role allows, and a coordinator made staff keeps no coordinator's
/// view. not_found when no such username.
result<edited_staff> edit_staff(database&, const std::string& username, const staff_changes&);

/// Who the open requests' cards name, as stored now: each resident with an open request, and each staff
/// member who took or contacted one. What a serving askd compares its cards with after another process
/// changed the file.
struct open_request_people {
    std::vector<protocol::resident_card> residents;
    std::vector<protocol::person_ref> staff;
};
result<open_request_people> people_of_open_requests(database&);

} // namespace ask::store
