// Hostile and broken input: a clear error, nothing stored, and the server keeps serving.
#include "tests/integration/office_fixture.hpp"
#include "tests/integration/raw_ws.hpp"

#include <thread>

namespace ask::test {
namespace {

class bad_input : public office_fixture {
protected:
    bad_input()
        : office_fixture("[alerts]\nrenotify_seconds = 1\n[limits]\nhttp_body_bytes = 2048\nws_message_bytes = 2048\n"
                         "message_chars = 100\nnote_chars = 100\nhttp_timeout_seconds = 2\n") {}

    void expect_still_serving() {
        EXPECT_EQ(http_get(port(), "/healthz").status, 200);
        auto r = press(jan, "normal", "", "after-bad-input");
        EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
    }
    std::size_t open_requests() {
        auto anna_socket = dashboard("anna", false);
        return last_snapshot.at("alerts").as_array().size();
    }
};

struct bad_body {
    const char* name;
    const char* body;
    const char* code;
};

TEST_F(bad_input, http_request_bodies_are_refused_with_400_and_store_nothing) {
    const bad_body cases[] = {
        {"malformed JSON", R"({"priority":"urgent")", "bad_request"},
        {"not an object", R"(["urgent"])", "bad_request"},
        {"missing priority", R"({"message":"x"})", "bad_request"},
        {"wrong priority", R"({"priority":"critical"})", "bad_request"},
        {"priority of wrong type", R"({"priority":1})", "bad_request"},
        {"message of wrong type", R"({"priority":"normal","message":5})", "bad_request"},
        {"bad request_id", R"({"priority":"normal","request_id":"a b"})", "bad_request"},
        {"sms channel from a client", R"({"priority":"normal","channel":"sms"})", "bad_request"},
        {"invalid UTF-8", "{\"priority\":\"normal\",\"message\":\"\xff\xfe\"}", "bad_request"},
    };
    for (const auto& c : cases) {
        auto r = http_post(port(), "/api/v1/requests", c.body, jan);
        EXPECT_EQ(r.status, 400) << c.name << ": " << r.body;
        EXPECT_EQ(str(r.json().at("error").as_object().at("code")), c.code) << c.name;
        EXPECT_FALSE(str(r.json().at("error").as_object().at("message")).empty()) << c.name;
    }
    EXPECT_EQ(open_requests(), 0u);
    expect_still_serving();
}

TEST_F(bad_input, oversized_and_unauthenticated_http_requests) {
    std::string huge = R"({"priority":"normal","message":")" + std::string(4096, 'a') + "\"}";
    auto big = http_post(port(), "/api/v1/requests", huge, jan);
    EXPECT_EQ(big.status, 413) << big.body;
    EXPECT_EQ(http_post(port(), "/api/v1/requests", R"({"priority":"urgent"})", "forged-token").status, 401);
    EXPECT_EQ(http_post(port(), "/api/v1/requests", R"({"priority":"urgent"})").status, 401);
    auto staff_token = login(port(), "anna", staff_password);
    EXPECT_EQ(http_post(port(), "/api/v1/requests", R"({"priority":"urgent"})", staff_token).status, 401)
        << "a staff session is not a resident";
    EXPECT_EQ(http_request(port(), "DELETE", "/api/v1/requests").status, 405);
    EXPECT_EQ(http_get(port(), "/nowhere").status, 404);
    EXPECT_EQ(open_requests(), 0u);
    expect_still_serving();
}

TEST_F(bad_input, websocket_messages_get_clear_errors_and_the_connection_keeps_working) {
    auto anna = dashboard("anna");
    const std::pair<const char*, const char*> cases[] = {
        {"not json", "bad_request"},
        {R"({"id":1})", "bad_request"},
        {R"({"type":"launch_missiles"})", "unknown_type"},
        {R"({"type":"ack","id":"1"})", "bad_request"},
        {R"({"type":"ack","id":-4})", "bad_request"},
        {R"({"type":"duty","on":"yes"})", "bad_request"},
        {R"({"type":"resolve","id":1,"outcome":"shrugged"})", "bad_request"},
    };
    for (const auto& [text, code] : cases) {
        anna->send(std::string(text));
        auto e = anna->next_of("error", 2s);
        ASSERT_TRUE(e) << text;
        EXPECT_EQ(str(e->at("code")), code) << text;
    }
    anna->send(boost::json::object{{"type", "ack"}, {"id", 424242}});
    auto missing = anna->next_of("error", 2s);
    ASSERT_TRUE(missing);
    EXPECT_EQ(str(missing->at("code")), "not_found");

    // Still a working dashboard.
    auto r = press(jan, "urgent");
    ASSERT_EQ(r.status, 201);
    EXPECT_TRUE(anna->next_of("alert", 2s));
}

TEST_F(bad_input, an_oversized_frame_closes_that_connection_only) {
    auto anna = dashboard("anna");
    auto page = resident_socket(jan);
    page->send(std::string(R"({"type":"request","priority":"urgent","message":")") + std::string(8192, 'x') + "\"}");
    ASSERT_TRUE(page->wait_closed(3s));
    EXPECT_EQ(page->close_code(), 1009); // message too big
    // A megabyte: askd reads and drops the rest rather than holding it or resetting the
    // connection, so the page still learns why it was closed.
    auto flood = resident_socket(jan);
    flood->send(std::string(R"({"type":"request","message":")") + std::string(1 << 20, 'y') + "\"}");
    ASSERT_TRUE(flood->wait_closed(5s));
    EXPECT_EQ(flood->close_code(), 1009);
    EXPECT_TRUE(anna->quiet_for("alert", 500ms)) << "an oversized request must store nothing";
    expect_still_serving();
    EXPECT_TRUE(anna->next_of("alert", 2s));
}

TEST_F(bad_input, websocket_upgrades_without_credentials_or_subprotocol_are_refused) {
    ws_client anonymous(port(), "/ws/staff");
    EXPECT_FALSE(anonymous.connected());
    EXPECT_EQ(anonymous.refusal_status(), 401);
    ws_client forged(port(), "/ws/resident", {}, "ask.v1, ask.token.forged");
    EXPECT_EQ(forged.refusal_status(), 401);
    ws_client no_subprotocol(port(), "/ws/resident", {{"Authorization", "Bearer " + jan}}, "");
    EXPECT_EQ(no_subprotocol.refusal_status(), 400);
    ws_client offered_token(port(), "/ws/resident", {}, "ask.v1, ask.token." + jan);
    EXPECT_TRUE(offered_token.connected()) << "the page's way: the token offered as a subprotocol";
    ws_client token_only(port(), "/ws/resident", {}, "ask.token." + jan);
    EXPECT_EQ(token_only.refusal_status(), 400) << "ask.v1 is still required";
    ws_client query_token(port(), "/ws/resident?token=" + jan);
    EXPECT_TRUE(query_token.connected()) << "a page loaded before the token left the URL still connects";
    // Queries that once made a query parser read past its buffer (fuzzing): refused or understood, and
    // the server lives.
    for (const std::string& odd : std::vector<std::string>{"&&&&&okenn=", "&one&c0cx&xx", "token=%zz", "token=" + jan + "%",
                                                            "#" + std::string(60, 'Y')}) {
        ws_client hostile(port(), "/ws/resident?" + odd);
        EXPECT_EQ(hostile.refusal_status(), 401) << odd;
    }
    for (const std::string& odd : std::vector<std::string>{
             "ask.v1, ask.token.", "ask.v1,ask.token." + jan + "x", "ask.v1, , ,ask.token"}) {
        ws_client hostile(port(), "/ws/resident", {}, odd);
        EXPECT_FALSE(hostile.connected()) << odd;
    }
    ws_client after_junk(port(), "/ws/resident?&&x&token=" + jan + "&token=other");
    EXPECT_TRUE(after_junk.connected()) << "the first token counts";
    ws_client spaced(port(), "/ws/resident", {}, " ask.token." + jan + " ,ask.v1 ");
    EXPECT_TRUE(spaced.connected()) << "offered in any order, with spaces";
    expect_still_serving();
    ws_client nowhere(port(), "/ws/other", {{"Authorization", "Bearer " + jan}});
    EXPECT_EQ(nowhere.refusal_status(), 404);
    expect_still_serving();
}

TEST_F(bad_input, garbage_on_the_socket_gets_400_and_the_server_lives) {
    auto bad_length = raw_exchange(port(), "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    EXPECT_EQ(bad_length.rfind("HTTP/1.1 400", 0), 0u) << bad_length;
    auto not_http = raw_exchange(port(), std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n");
    EXPECT_EQ(not_http.rfind("HTTP/1.1 400", 0), 0u) << not_http;
    auto huge_header = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_EQ(huge_header.rfind("HTTP/1.1 413", 0), 0u) << huge_header.substr(0, 200);
    expect_still_serving();
}

TEST_F(bad_input, broken_http_framing_methods_and_sizes_get_4xx_and_store_nothing) {
    struct raw_case {
        const char* name;
        std::string bytes;
        const char* status_line; // the answer starts with it
    };
    const std::string auth = "Authorization: Bearer " + jan + "\r\n";
    const raw_case cases[] = {
        {"unknown method", "BREW /api/v1/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 405"},
        {"PUT on requests", "PUT /api/v1/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
         "HTTP/1.1 405"},
        {"negative Content-Length", "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
         "HTTP/1.1 400"},
        {"two different Content-Lengths",
         "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\n" + auth +
             "Content-Length: 21\r\nContent-Length: 5\r\n\r\n{\"priority\":\"urgent\"}",
         "HTTP/1.1 400"},
        {"Content-Length and chunked",
         "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\n" + auth +
             "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n15\r\n{\"priority\":\"urgent\"}\r\n0\r\n\r\n",
         "HTTP/1.1 400"},
        {"a body announced larger than the limit",
         "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 99999999999\r\n\r\n", "HTTP/1.1 413"},
        {"a chunked body over the limit",
         "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n1000\r\n" +
             std::string(4096, 'a') + "\r\n0\r\n\r\n",
         "HTTP/1.1 413"},
        {"a header line without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", "HTTP/1.1 400"},
        {"a request line too long", "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 413"},
        {"thousands of small headers", "GET /healthz HTTP/1.1\r\nHost: x\r\n" + [] {
             std::string h;
             for (int i = 0; i < 3000; ++i)
                 h += "X-" + std::to_string(i) + ": 1\r\n";
             return h;
         }() + "\r\n",
         "HTTP/1.1 413"},
        {"a control character in the target", std::string("GET /heal\x01thz HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 400"},
        {"a bad HTTP version", "GET /healthz HTTP/9\r\nHost: x\r\n\r\n", "HTTP/1.1 400"},
    };
    for (const auto& c : cases) {
        auto answer = raw_exchange(port(), c.bytes);
        EXPECT_EQ(answer.rfind(c.status_line, 0), 0u) << c.name << ": " << answer.substr(0, 300);
    }

    // JSON that parses badly in other ways than a missing brace.
    std::string nested(600, '[');
    nested += std::string(600, ']');
    const std::pair<const char*, std::string> bodies[] = {
        {"deeply nested", nested},
        {"empty body", ""},
        {"a bare string", "\"urgent\""},
        {"a NUL byte in the JSON", std::string("{\"priority\":\"normal\"\0}", 22)},
        {"a number too big", R"({"priority":"normal","request_id":1e999999})"},
        {"trailing garbage", R"({"priority":"normal"} {"priority":"urgent"})"},
    };
    for (const auto& [name, body] : bodies) {
        auto r = http_post(port(), "/api/v1/requests", body, jan);
        EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    }
    EXPECT_EQ(open_requests(), 0u);
    expect_still_serving();
}

TEST_F(bad_input, slow_and_stalled_http_requests_are_cut_off_by_the_timeout_and_block_nobody) {
    // Slowloris: a request that never finishes, in the head or in the body. With
    // http_timeout_seconds = 2 askd closes them; meanwhile everyone else is served.
    struct stalled {
        const char* name;
        std::string bytes;
    };
    const stalled cases[] = {
        {"half a request line", "POST /api/v1/req"},
        {"headers never finished", "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + jan + "\r\n"},
        {"body shorter than announced", "POST /api/v1/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + jan +
                                            "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"priority\":"},
    };
    std::vector<std::thread> clients;
    std::vector<std::string> answers(std::size(cases) * 5);
    std::vector<std::chrono::milliseconds> took(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        clients.emplace_back([&, i] {
            auto start = std::chrono::steady_clock::now();
            answers[i] = raw_exchange(port(), cases[i % std::size(cases)].bytes, 8s);
            took[i] = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        });
    }
    // While fifteen connections dawdle, others are answered at once.
    std::this_thread::sleep_for(300ms);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(http_get(port(), "/healthz").status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    for (auto& t : clients)
        t.join();
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const auto* name = cases[i % std::size(cases)].name;
        EXPECT_EQ(answers[i].find("HTTP/1.1 2"), std::string::npos) << name << ": " << answers[i];
        EXPECT_GE(took[i], 1500ms) << name << ": closed before the timeout";
        EXPECT_LT(took[i], 5s) << name << ": still open long after http_timeout_seconds";
    }
    EXPECT_EQ(open_requests(), 0u);
    expect_still_serving();
}

TEST_F(bad_input, websocket_frames_that_break_the_protocol_close_that_connection_only) {
    auto anna = dashboard("anna");
    auto token = login(port(), "bob", staff_password);
    struct frame_case {
        const char* name;
        std::uint8_t opcode;
        std::string payload;
        bool masked;
        int close_code;
    };
    const frame_case cases[] = {
        {"text that is not UTF-8", 0x1, "{\"type\":\"note\",\"text\":\"\xc3\x28\xff\"}", true, 1007},
        {"an unmasked client frame", 0x1, R"({"type":"duty","on":true})", false, 1002},
        {"a reserved opcode", 0x3, "x", true, 1002},
        {"a ping longer than 125 bytes", 0x9, std::string(200, 'p'), true, 1002},
    };
    for (const auto& c : cases) {
        raw_ws bob(port(), "/ws/staff", token);
        ASSERT_TRUE(bob.upgraded()) << c.name;
        ASSERT_TRUE(bob.send_frame(c.opcode, c.payload, c.masked)) << c.name;
        EXPECT_EQ(bob.close_code(3s), c.close_code) << c.name;
    }
    {
        // A message fragmented so that only its whole is too big.
        raw_ws bob(port(), "/ws/staff", token);
        ASSERT_TRUE(bob.upgraded());
        bob.send_frame(0x1, std::string(1000, ' '), true, false);
        bob.send_frame(0x0, std::string(1000, ' '), true, false);
        bob.send_frame(0x0, std::string(1000, ' '), true, true);
        EXPECT_EQ(bob.close_code(3s), 1009) << "fragments adding up past ws_message_bytes";
    }
    {
        // A binary message is refused with an error, and the connection keeps working.
        raw_ws bob(port(), "/ws/staff", token);
        ASSERT_TRUE(bob.upgraded());
        ASSERT_TRUE(bob.send_frame(0x2, R"({"type":"duty","on":true,"ref":"bin"})"));
        std::optional<std::string> reply;
        while ((reply = bob.next_text(2s)) && reply->find("\"snapshot\"") != std::string::npos) {
        }
        ASSERT_TRUE(reply) << "no answer to a binary message";
        EXPECT_NE(reply->find("\"error\""), std::string::npos) << *reply;
        EXPECT_NE(reply->find("bad_request"), std::string::npos) << *reply;
        ASSERT_TRUE(bob.send_frame(0x1, R"({"type":"duty","on":false,"ref":"text"})"));
        auto ok = bob.next_text(2s);
        ASSERT_TRUE(ok);
        EXPECT_NE(ok->find(R"("type":"duty","on_duty":false)"), std::string::npos)
            << "the duty push first: " << *ok;
        ok = bob.next_text(2s);
        ASSERT_TRUE(ok);
        EXPECT_NE(ok->find("\"ok\""), std::string::npos) << *ok;
    }
    {
        // A message longer than one read (askd reads at most 256 bytes at a time), whole or in
        // fragments, is put together and answered like a short one.
        raw_ws bob(port(), "/ws/staff", token);
        ASSERT_TRUE(bob.upgraded());
        std::string padded = R"({"type":"duty","on":false,"ref":"long")" + std::string(900, ' ') + "}";
        auto answer_to = [&](const std::string& ref) -> std::optional<std::string> {
            std::optional<std::string> reply;
            while ((reply = bob.next_text(2s)) && reply->find(ref) == std::string::npos) {
            }
            return reply;
        };
        ASSERT_TRUE(bob.send_frame(0x1, padded));
        auto whole = answer_to("\"long\"");
        ASSERT_TRUE(whole) << "no answer to a 940-byte message";
        EXPECT_NE(whole->find("\"ok\""), std::string::npos) << *whole;
        std::string again = R"({"type":"duty","on":false,"ref":"pieces")" + std::string(900, ' ') + "}";
        bob.send_frame(0x1, again.substr(0, 300), true, false);
        bob.send_frame(0x0, again.substr(300, 300), true, false);
        bob.send_frame(0x0, again.substr(600), true, true);
        auto pieces = answer_to("\"pieces\"");
        ASSERT_TRUE(pieces) << "no answer to a message in three fragments";
        EXPECT_NE(pieces->find("\"ok\""), std::string::npos) << *pieces;
    }
    // The resident socket gets the same treatment.
    {
        raw_ws page(port(), "/ws/resident", jan);
        ASSERT_TRUE(page.upgraded());
        ASSERT_TRUE(page.send_frame(0x1, "{\"type\":\"request\",\"priority\":\"urgent\",\"message\":\"\xff\"}"));
        EXPECT_EQ(page.close_code(3s), 1007);
    }
    EXPECT_FALSE(anna->closed()) << "another dashboard paid for it";
    EXPECT_TRUE(anna->quiet_for("alert", 300ms)) << "a broken frame stored a request";
    EXPECT_EQ(open_requests(), 0u);
    expect_still_serving();
    EXPECT_TRUE(anna->next_of("alert", 2s));
}

} // namespace
} // namespace ask::test
