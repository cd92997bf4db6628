// Hostile and broken input: a clear error, nothing stored, and the server keeps serving.
#include "tests/integration/office_fixture.hpp"

namespace ask::test {
namespace {

class bad_input : public office_fixture {
protected:
    bad_input() : office_fixture("[alerts]\nrenotify_seconds = 1\n[limits]\nhttp_body_bytes = 2048\nws_message_bytes = 2048\n") {}

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
    EXPECT_TRUE(anna->quiet_for("alert", 500ms)) << "an oversized request must store nothing";
    expect_still_serving();
    EXPECT_TRUE(anna->next_of("alert", 2s));
}

TEST_F(bad_input, websocket_upgrades_without_credentials_or_subprotocol_are_refused) {
    ws_client anonymous(port(), "/ws/staff");
    EXPECT_FALSE(anonymous.connected());
    EXPECT_EQ(anonymous.refusal_status(), 401);
    ws_client forged(port(), "/ws/resident?token=forged");
    EXPECT_EQ(forged.refusal_status(), 401);
    ws_client no_subprotocol(port(), "/ws/resident", {{"Authorization", "Bearer " + jan}}, "");
    EXPECT_EQ(no_subprotocol.refusal_status(), 400);
    ws_client query_token(port(), "/ws/resident?token=" + jan);
    EXPECT_TRUE(query_token.connected());
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

} // namespace
} // namespace ask::test
