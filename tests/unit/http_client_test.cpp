// The deadline of a send to an SMS provider covers the host's lookup: a DNS server that does not answer must
// not hold a text past send_timeout_seconds. A lookup standing for such a server (it would answer after a
// minute) is given up on at the deadline, and once a host's addresses were found they stand in for a lookup
// that does not end in time.
#include "server/sms/http_client.hpp"
#include "tests/support/fake_provider.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace ask::sms {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

net::awaitable<lookup_result> dns_that_does_not_answer(net::any_io_executor ex, std::string, std::string) {
    net::steady_timer minute(ex, 1min);
    co_await minute.async_wait(as_result);
    co_return lookup_result{make_error_code(net::error::host_not_found), {}};
}

/// One send on `io` to `base_url`, run until it answers or 10 s have passed (a silent lookup keeps the
/// context busy for a minute).
std::optional<http_answer> send_once(net::io_context& io, http_client& client, const std::string& base_url,
                                     std::chrono::milliseconds deadline) {
    std::optional<http_answer> answer;
    auto send = [&]() -> net::awaitable<void> {
        const gateways::http_call call{"POST", "/sms.do", {{"Content-Type", "text/plain"}}, "to=48600100200"};
        answer = co_await client.send(base_url, call, deadline);
    };
    net::co_spawn(io, send, net::detached);
    const auto give_up = clock::now() + 10s;
    while (!answer && clock::now() < give_up)
        io.run_one_for(100ms);
    return answer;
}

TEST(http_client, a_lookup_that_outlasts_the_deadline_is_given_up_as_a_timeout) {
    net::io_context io;
    http_client client(io.get_executor(), dns_that_does_not_answer);
    auto began = clock::now();
    auto answer = send_once(io, client, "https://api.smsapi.pl", 300ms);
    ASSERT_TRUE(answer) << "the send waited for the lookup past its deadline";
    EXPECT_LT(clock::now() - began, 3s) << "the send waited far past its deadline of 300 ms";
    EXPECT_EQ(answer->error, make_error_code(net::error::timed_out)) << answer->error.message();
    EXPECT_EQ(answer->status, 0);
}

// Sends to one host while its DNS is silent share one lookup: Asio 1.81 runs lookups one at a time, and one
// each would queue every later send's behind the first.
TEST(http_client, sends_to_one_host_at_once_share_one_lookup) {
    net::io_context io;
    int lookups = 0;
    auto counted = [&lookups](net::any_io_executor ex, std::string host,
                              std::string port) -> net::awaitable<lookup_result> {
        ++lookups;
        co_return co_await dns_that_does_not_answer(ex, host, port);
    };
    http_client client(io.get_executor(), counted);
    std::vector<http_answer> answers;
    auto send = [&]() -> net::awaitable<void> {
        const gateways::http_call call{"POST", "/sms.do", {}, "to=48600100200"};
        answers.push_back(co_await client.send("https://api.smsapi.pl", call, 300ms));
    };
    for (int i = 0; i < 3; ++i)
        net::co_spawn(io, send, net::detached);
    const auto give_up = clock::now() + 10s;
    while (answers.size() < 3 && clock::now() < give_up)
        io.run_one_for(100ms);
    ASSERT_EQ(answers.size(), 3u) << "a send waited for the lookup past its deadline";
    EXPECT_EQ(lookups, 1);
    for (const auto& a : answers)
        EXPECT_EQ(a.error, make_error_code(net::error::timed_out)) << a.error.message();
}

// A lookup that ends without suspending (as a cached answer would) is not waited on.
TEST(http_client, a_lookup_that_ends_at_once_is_not_waited_on) {
    test::fake_provider provider({200, "application/json", R"({"id":"1"})"});
    net::io_context io;
    auto at_once = [](net::any_io_executor, std::string host,
                      std::string port) -> net::awaitable<lookup_result> {
        co_return lookup_result{
            {},
            tcp::resolver::results_type::create(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                                              static_cast<unsigned short>(std::stoi(port))),
                                                host, port)};
    };
    http_client client(io.get_executor(), at_once);
    auto began = clock::now();
    auto answer = send_once(io, client, provider.base_url(), 2s);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200) << answer->error.message();
    EXPECT_LT(clock::now() - began, 1500ms) << "the send waited for a lookup that had ended";
}

TEST(http_client, a_lookup_that_does_not_end_in_time_uses_the_addresses_found_last) {
    test::fake_provider provider({200, "application/json", R"({"id":"1"})"});
    net::io_context io;
    int lookups = 0;
    // The first lookup is answered (127.0.0.1 needs no DNS); every later one is a DNS server gone silent.
    auto answered_once = [&lookups](net::any_io_executor ex, std::string host,
                                    std::string port) -> net::awaitable<lookup_result> {
        if (lookups++ == 0)
            co_return co_await system_lookup(ex, host, port);
        co_return co_await dns_that_does_not_answer(ex, host, port);
    };
    http_client client(io.get_executor(), answered_once);
    auto first = send_once(io, client, provider.base_url(), 2s);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200) << first->error.message();
    auto second = send_once(io, client, provider.base_url(), 1s);
    ASSERT_TRUE(second) << "the send waited for the silent lookup past its deadline";
    EXPECT_EQ(second->status, 200) << "not sent to the addresses found before: " << second->error.message();
    EXPECT_EQ(lookups, 2);
    EXPECT_EQ(provider.requests().size(), 2u);
}

} // namespace
} // namespace ask::sms
