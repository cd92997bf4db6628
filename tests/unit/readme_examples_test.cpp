// protocol/README.md cannot drift: every example it shows is parsed here the way askd or a
// client would parse it.
#include "protocol/client_messages.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ask::protocol {
namespace {

struct example {
    std::string kind;
    std::string text;
    int line;
};

std::vector<example> examples() {
    std::ifstream in(ASK_PROTOCOL_README);
    EXPECT_TRUE(in.good()) << ASK_PROTOCOL_README;
    std::vector<example> out;
    std::string line;
    std::optional<example> open;
    for (int n = 1; std::getline(in, line); ++n) {
        if (!open && line.rfind("```json ", 0) == 0) {
            open = example{line.substr(8), "", n};
        } else if (open && line == "```") {
            out.push_back(*open);
            open.reset();
        } else if (open) {
            open->text += line + "\n";
        }
    }
    return out;
}

TEST(protocol_readme, every_example_parses_as_what_it_claims_to_be) {
    const std::set<std::string> server_types{"snapshot", "alert", "alert_update", "duty",
                                             "ok",       "error", "accepted",     "status"};
    std::map<std::string, int> seen;
    for (const auto& e : examples()) {
        ++seen[e.kind];
        SCOPED_TRACE("README line " + std::to_string(e.line));
        if (e.kind == "client-staff") {
            auto p = parse_staff_message(e.text, {});
            EXPECT_TRUE(p) << (p ? "" : p.error().detail);
        } else if (e.kind == "client-resident") {
            auto p = parse_resident_message(e.text, {});
            EXPECT_TRUE(p) << (p ? "" : p.error().detail);
        } else if (e.kind == "http-request-body") {
            if (e.text.find("\"username\"") != std::string::npos)
                EXPECT_TRUE(parse_login(e.text).has_value());
            else if (e.text.find("\"on\"") != std::string::npos)
                EXPECT_TRUE(parse_duty(e.text).has_value());
            else
                EXPECT_TRUE(parse_new_request(e.text, {}).has_value());
        } else if (e.kind == "server") {
            boost::system::error_code ec;
            auto v = boost::json::parse(e.text, ec);
            ASSERT_FALSE(ec) << e.text;
            ASSERT_TRUE(v.is_object());
            const auto& o = v.as_object();
            if (const auto* type = o.if_contains("type"))
                EXPECT_TRUE(server_types.count(std::string(type->as_string()))) << *type;
            else
                EXPECT_TRUE(o.contains("error") || o.contains("id") || o.contains("token") ||
                            o.contains("status") || o.contains("total") || o.contains("requests"))
                    << e.text;
        } else {
            ADD_FAILURE() << "unknown example kind '" << e.kind << "'";
        }
    }
    EXPECT_GE(seen["client-staff"], 3);
    EXPECT_GE(seen["client-resident"], 2);
    EXPECT_GE(seen["http-request-body"], 2);
    EXPECT_GE(seen["server"], 8);
}

} // namespace
} // namespace ask::protocol
