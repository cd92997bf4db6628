#include "server/store/replies.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

result<std::int64_t> keep_reply(database& db, const unsent_reply& reply) {
    auto done = run_sql(db,
                        "INSERT INTO unsent_replies (office_id, phone, request_id, text, decided_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
                        [&](statement& s) {
                            s.bind(1, reply.office_id).bind(2, reply.phone).bind(3, reply.request_id);
                            s.bind(4, reply.text).bind(5, reply.decided_at);
                        });
    if (!done)
        return done.error();
    return db.last_insert_rowid();
}

result<void> forget_reply(database& db, std::int64_t id) {
    return run_sql(db, "DELETE FROM unsent_replies WHERE id = ?1", [&](statement& s) { s.bind(1, id); });
}

result<std::vector<unsent_reply>> unsent_replies(database& db) {
    return all<unsent_reply>(
        db, "SELECT id, office_id, phone, request_id, text, decided_at FROM unsent_replies ORDER BY id",
        no_parameters, [](const statement& s) {
            return unsent_reply{s.column_int(0), s.column_int(1),  s.column_text(2),
                                s.column_int(3), s.column_text(4), s.column_int(5)};
        });
}

} // namespace ask::store
