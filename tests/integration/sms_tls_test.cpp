// Outbound texts go to the providers over HTTPS, as in production: askd verifies the provider's
// certificate (against the system's trust store; SSL_CERT_FILE here, as OpenSSL reads it) and that
// it is for the host askd called. A provider failing either check is never sent the text; the
// failover carries it. Both providers are real TLS servers on loopback (tests/support/fake_provider.hpp).
#include "tests/integration/office_fixture.hpp"
#include "tests/support/fake_provider.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_identity.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

namespace ask::test {
namespace {

// Built before askd's config is written and askd started: a base initialised before office_fixture.
// SMSAPI, the first choice, presents a certificate askd must refuse: one it does not trust, or
// (Misnamed) a trusted one issued for another host. Twilio, the failover, presents a good one.
template <bool Misnamed>
struct tls_providers {
    tls_identity trusted = self_signed("ASK test provider");
    tls_identity stranger = self_signed("ASK test provider, not trusted");
    tls_identity misnamed = self_signed("ASK test provider, another host", "DNS:sms.example.org");
    fake_provider smsapi{{200, "application/json", R"({"count":1,"list":[{"id":"77","points":0.16,"status":"QUEUE"}]})"},
                         Misnamed ? misnamed : stranger};
    fake_provider twilio{{201, "application/json", R"({"sid":"SMfake0000000000000000000000000001","status":"queued"})"},
                         trusted};
    temp_dir trust_dir;
    std::string trust_file = (trust_dir.path() / "trusted.pem").string();

    tls_providers() {
        std::ofstream(trust_file) << trusted.cert_pem << misnamed.cert_pem;
        // askd (a child process) inherits it; OpenSSL's default verify paths then trust only these two.
        ::setenv("SSL_CERT_FILE", trust_file.c_str(), 1);
    }
    ~tls_providers() { ::unsetenv("SSL_CERT_FILE"); }

    std::string toml() const {
        return fmt::format(R"(
[alerts]
renotify_seconds = 60
[sms]
sender = "smsapi"
failover = "twilio"
max_attempts = 2
send_timeout_seconds = 2
[gateways.smsapi]
enabled = true
base_url = "{}"
token = "sa-token"
from = "ASK"
[gateways.twilio]
enabled = true
base_url = "{}"
account_sid = "AC1"
auth_token = "tw-token"
from = "+48732100200"
)",
                           smsapi.base_url(), twilio.base_url());
    }
};

template <bool Misnamed>
class sms_over_tls : public tls_providers<Misnamed>, public office_fixture {
protected:
    sms_over_tls() : office_fixture(tls_providers<Misnamed>::toml()) {}

    // A deaf resident is told by text that the request arrived: the text goes to Twilio only.
    void text_goes_to_the_failover_only() {
        auto& smsapi = this->smsapi;
        auto& twilio = this->twilio;
        ASSERT_EQ(smsapi.base_url().rfind("https://localhost:", 0), 0u) << smsapi.base_url();
        auto ewa = askd.add_resident("Ewa Nowak", "+48 600 700 800", "deaf");
        auto pressed = press(ewa, "normal", "Proszę o kontakt");
        ASSERT_EQ(pressed.status, 201) << pressed.body;

        ASSERT_TRUE(twilio.wait_for(1, 15s)) << "the provider with a good certificate never got the text\n" << askd.log();
        auto sent = twilio.requests().front();
        EXPECT_EQ(sent.method, "POST");
        EXPECT_EQ(sent.target, "/2010-04-01/Accounts/AC1/Messages.json");
        auto form = form_fields(sent.body);
        EXPECT_EQ(form["To"], "+48600700800");
        EXPECT_NE(form["Body"].find("ASK, zgłoszenie nr"), std::string::npos) << form["Body"];
        EXPECT_TRUE(smsapi.requests().empty()) << "a provider whose certificate askd must refuse was sent a request";
        EXPECT_NE(askd.log().find("sms[smsapi]: to …800: attempt 2 failed: network: certificate verify failed"),
                  std::string::npos)
            << askd.log();
    }
};

using untrusted_provider = sms_over_tls<false>;
using provider_for_another_host = sms_over_tls<true>;

TEST_F(untrusted_provider, is_never_sent_a_text_and_the_failover_carries_it) {
    text_goes_to_the_failover_only();
    // This SMSAPI sends only (no webhook_key): askd says at start that it refuses SMSAPI's callbacks.
    EXPECT_NE(askd.log().find("SMSAPI: no [gateways.smsapi] webhook_key"), std::string::npos) << askd.log();
}

TEST_F(provider_for_another_host, is_never_sent_a_text_and_the_failover_carries_it) {
    text_goes_to_the_failover_only();
}

} // namespace
} // namespace ask::test
