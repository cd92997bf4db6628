// A running askd with a small office: two staff (Anna, Bob) and two residents (Jan, Maria),
// re-notifying every second so tests see repeats quickly.
#pragma once

#include "tests/support/askd_process.hpp"
#include "tests/support/clients.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ask::test {

inline constexpr const char* staff_password = "correct horse battery";

/// The value of one series in a body of askd's /metrics (its name with any labels, as printed), or -1
/// when absent.
inline long long metric_in(const std::string& body, const std::string& series) {
    auto at = body.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + series.size() + 2));
}

/// The value of one series in askd's /metrics now, or -1 when absent.
inline long long metric(std::uint16_t port, const std::string& series) {
    return metric_in(http_get(port, "/metrics").body, series);
}

/// Polls `done` every 20 ms for up to `limit`: for what askd does a moment after the test's last step.
/// Returns its last answer.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        // The answer that ended the wait is the one returned: asking again could see a moment later.
        if (done())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

class office_fixture : public ::testing::Test {
protected:
    explicit office_fixture(std::string extra_toml = "[alerts]\nrenotify_seconds = 1\n", std::string store_toml = "")
        : askd(std::move(extra_toml), std::move(store_toml)) {}

    void SetUp() override {
        anna_id = askd.add_staff("anna", "Anna", staff_password);
        bob_id = askd.add_staff("bob", "Bob", staff_password);
        jan = askd.add_resident("Jan Kowalski", "+48 600 100 200", "wheelchair,hard_of_hearing", "ul. Lipowa 5");
        maria = askd.add_resident("Maria Wiśniewska", "600 300 400", "blind");
        askd.start();
        ASSERT_FALSE(HasFatalFailure());
    }

    std::uint16_t port() const { return askd.port(); }

    /// A staff dashboard, logged in over HTTP, connected, snapshot read, on duty if asked.
    std::unique_ptr<ws_client> dashboard(const std::string& username, bool on_duty = true) {
        auto token = login(port(), username, staff_password);
        auto ws = std::make_unique<ws_client>(port(), "/ws/staff",
                                              std::map<std::string, std::string>{{"Authorization", "Bearer " + token}});
        EXPECT_TRUE(ws->connected());
        auto snapshot = ws->next_of("snapshot");
        EXPECT_TRUE(snapshot.has_value()) << "no snapshot on connect";
        last_snapshot = snapshot.value_or(boost::json::object{});
        if (on_duty) {
            ws->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "duty-1"}});
            auto ok = ws->next_of("ok");
            EXPECT_TRUE(ok.has_value()) << "duty not confirmed";
        }
        return ws;
    }

    std::unique_ptr<ws_client> resident_socket(const std::string& token) {
        auto ws = std::make_unique<ws_client>(port(), "/ws/resident",
                                              std::map<std::string, std::string>{{"Authorization", "Bearer " + token}});
        EXPECT_TRUE(ws->connected());
        return ws;
    }

    /// Waits (up to 10 s; a test failure past that) until the store jobs askd runs as it starts are done:
    /// the upkeep loop's first pass (forgetting, with keep_closed_days = 0; storing the record of cards
    /// shown; its first look for parts of long texts) has ended, the record of the cards dashboards were
    /// sent since is stored (app/view_log.hpp: noted as a card is sent, so before the test sees it), and no
    /// store job waits or runs.
    /// After that an idle askd with no request runs no store job until something arrives
    /// (sms_gateways_long_wait.the_timer_reads_the_store_only_while_parts_wait).
    void wait_for_the_start_jobs() {
        // All four from one reading of /metrics: one moment on askd's I/O thread. The wait ends on the
        // reading that found them settled (renotify_seconds = 1 starts store jobs a moment later).
        std::string last;
        auto settled = [&] {
            last = http_get(port(), "/metrics").body;
            return metric_in(last, "ask_upkeep_passes_total") >= 1 &&
                   metric_in(last, "ask_views_waiting") == 0 &&
                   metric_in(last, "ask_store_running_jobs") == 0 &&
                   metric_in(last, "ask_store_queue_jobs") == 0;
        };
        EXPECT_TRUE(eventually(settled, std::chrono::seconds(10)))
            << "the start's store jobs did not finish\n"
            << last << askd.log();
    }

    /// POST /api/v1/requests; returns the reply.
    http_reply press(const std::string& token, const std::string& priority, const std::string& message = "",
                     const std::string& request_id = "") {
        boost::json::object body{{"priority", priority}};
        if (!message.empty())
            body["message"] = message;
        if (!request_id.empty())
            body["request_id"] = request_id;
        return http_post(port(), "/api/v1/requests", boost::json::serialize(body), token);
    }

    /// How many times `fragment` is in askd's log so far.
    int log_count(const std::string& fragment) const {
        auto log = askd.log();
        int n = 0;
        for (auto at = log.find(fragment); at != std::string::npos; at = log.find(fragment, at + 1))
            ++n;
        return n;
    }

    /// Lines the log sender wrote for texts to numbers ending in `tail`.
    std::vector<std::string> texts_to(const std::string& tail) const {
        std::vector<std::string> out;
        auto log = askd.log();
        std::string marker = "sms[log]: to …" + tail;
        for (auto at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1))
            out.push_back(log.substr(at, log.find('\n', at) - at));
        return out;
    }

    askd_process askd;
    std::int64_t anna_id = 0;
    std::int64_t bob_id = 0;
    std::string jan;
    std::string maria;
    boost::json::object last_snapshot;
};

inline std::int64_t id_of(const boost::json::object& o) { return o.at("id").as_int64(); }
inline std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

/// The longest message a resident may send, in two-byte letters: an alert carrying it is over 1 KB.
inline std::string long_message() {
    std::string m;
    for (int i = 0; i < 500; ++i)
        m += "ż";
    return m;
}

// An office whose calendar says closed now (holidays from yesterday to the day after tomorrow,
// UTC) and that has an after-hours phone.
inline std::string closed_office_toml() {
    using namespace std::chrono;
    auto today = duration_cast<days>(system_clock::now().time_since_epoch()).count();
    std::string holidays;
    for (long long d = today - 1; d <= today + 2; ++d) {
        year_month_day ymd{sys_days{days{d}}};
        char date[16];
        std::snprintf(date, sizeof date, "\"%04d-%02u-%02u\",", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        holidays += date;
    }
    return "[[offices]]\nslug = \"demo\"\nname = \"Urząd Testowy\"\ntime_zone = \"UTC\"\n"
           "after_hours_phone = \"+48 600 999 999\"\nholidays = [" +
           holidays + "]\n";
}

} // namespace ask::test
