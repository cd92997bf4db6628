// The deadline of a send to an SMS provider covers the host's lookup: a DNS server that does not answer must
// not hold a text past send_timeout_seconds. A lookup standing for such a server (it would answer after a
// minute) is given up on at the deadline.
#include "server/sms/http_client.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace ask::sms {
namespace {

using namespace std::chrono_literals;

net::awaitable<lookup_result> dns_that_does_not_answer(net::any_io_executor ex, std::string, std::string) {
    net::steady_timer minute(ex, 1min);
    co_await minute.async_wait(as_result);
    co_return lookup_result{make_error_code(net::error::host_not_found), {}};
}

TEST(http_client, a_lookup_that_outlasts_the_deadline_is_given_up_as_a_timeout) {
    net::io_context io;
    http_client client(io.get_executor(), dns_that_does_not_answer);
    std::optional<http_answer> answer;
    auto send = [&]() -> net::awaitable<void> {
        const gateways::http_call call{"POST", "/sms.do", {}, "to=48600100200"};
        answer = co_await client.send("https://api.smsapi.pl", call, 300ms);
    };
    net::co_spawn(io, send, net::detached);
    // The lookup keeps the context busy for a minute: run it only until the answer comes, or 10 s.
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!answer && std::chrono::steady_clock::now() < give_up)
        io.run_one_for(100ms);
    ASSERT_TRUE(answer) << "the send waited for the lookup past its deadline";
    EXPECT_EQ(answer->error, make_error_code(net::error::timed_out)) << answer->error.message();
    EXPECT_EQ(answer->status, 0);
}

} // namespace
} // namespace ask::sms
