// [sms] and [gateways.<name>]: which gateway sends, the failover, and each gateway's endpoint and
// credentials (inline, from the environment, or the previous one during a rotation).
#include "server/config_toml.hpp"

#include <cstdlib>
#include <set>
#include <vector>

namespace ask {
namespace {

using namespace config_toml;

// A secret given inline (`name = "…"`) or through the environment (`name_env = "VAR"`), plus an
// optional `name_previous` / `name_previous_env` accepted during a rotation.
// The environment is only consulted (and a missing variable only an error) when `needed`: a
// disabled gateway may name variables this machine does not set.
void read_secret(const toml::table& t, const std::string& where, const std::string& name, secrets& out,
                 bool needed) {
    out.clear();
    for (const std::string& base : {name, name + "_previous"}) {
        std::string value;
        read_string(t, where, base, value, true);
        std::string var;
        read_string(t, where, base + "_env", var);
        if (!var.empty()) {
            if (!value.empty())
                fail(where + "." + base, "give the value or " + base + "_env, not both");
            const char* env = needed ? std::getenv(var.c_str()) : nullptr;
            if (needed && (!env || !*env))
                fail(where + "." + base + "_env", "environment variable " + var + " is not set");
            value = env ? env : "";
        }
        if (!value.empty())
            out.push_back(value);
    }
}

std::string read_secret_one(const toml::table& t, const std::string& where, const std::string& name, bool needed) {
    secrets s;
    read_secret(t, where, name, s, needed);
    return s.empty() ? std::string() : s.front();
}

// Long enough not to be guessed over the internet, as the only thing proving a callback is SMSAPI's.
constexpr std::size_t min_webhook_key = 20;

void read_gateway(const toml::table& root, std::string_view name, gateway_config& g,
                  std::initializer_list<std::string_view> keys, std::initializer_list<const char*> required) {
    const auto* gateways = section(root, "gateways");
    const auto* t = gateways ? gateways->get_as<toml::table>(name) : nullptr;
    if (gateways && gateways->get(name) && !t)
        fail(fmt::format("gateways.{}", name), "must be a table");
    if (!t)
        return;
    std::string where = fmt::format("gateways.{}", name);
    // Every key may also come as <key>_env, and secrets as <key>_previous[_env] (read_secret).
    std::vector<std::string_view> known{"enabled", "base_url", "from"};
    known.insert(known.end(), keys.begin(), keys.end());
    for (const auto& [k, v] : *t) {
        std::string key(k.str());
        bool ok = false;
        for (auto base : known)
            ok = ok || key == base || key == std::string(base) + "_env" || key == std::string(base) + "_previous" ||
                 key == std::string(base) + "_previous_env";
        if (!ok)
            fail(where + "." + key, "unknown key");
    }
    read_bool(*t, where, "enabled", g.enabled);
    read_string(*t, where, "base_url", g.base_url);
    if (!(g.base_url.starts_with("https://") || g.base_url.starts_with("http://")))
        fail(where + ".base_url", "must start with https:// (http:// only for local tests)");
    while (g.base_url.ends_with('/'))
        g.base_url.pop_back();
    read_string(*t, where, "from", g.from, true);
    for (auto k : keys) {
        std::string key(k);
        if (key == "auth_token")
            read_secret(*t, where, key, g.auth_token, g.enabled);
        else if (key == "signature_secret")
            read_secret(*t, where, key, g.signature_secret, g.enabled);
        else if (key == "signing_key")
            read_secret(*t, where, key, g.signing_key, g.enabled);
        else if (key == "webhook_key") {
            read_secret(*t, where, key, g.webhook_key, g.enabled);
            for (const auto& k : g.webhook_key)
                if (k.size() < min_webhook_key || k.find_first_of("&#%+ ") != std::string::npos)
                    fail(where + ".webhook_key",
                         fmt::format("must be at least {} characters, none of & # % + or "
                                     "space (it goes into a URL as it is)",
                                     min_webhook_key));
        } else if (key == "token")
            g.token = read_secret_one(*t, where, key, g.enabled);
        else if (key == "password")
            g.password = read_secret_one(*t, where, key, g.enabled);
        else if (key == "api_secret")
            g.api_secret = read_secret_one(*t, where, key, g.enabled);
        else if (key == "account_sid")
            read_string(*t, where, key, g.account_sid, true);
        else if (key == "username")
            read_string(*t, where, key, g.username, true);
        else if (key == "api_key")
            read_string(*t, where, key, g.api_key, true);
        else if (key == "signature_method") {
            read_string(*t, where, key, g.signature_method);
            static const std::set<std::string> methods{"md5hash", "md5", "sha1", "sha256", "sha512"};
            if (!methods.contains(g.signature_method))
                fail(where + ".signature_method", "must be md5hash, md5, sha1, sha256 or sha512");
        }
    }
    if (!g.enabled)
        return;
    for (const char* key : required) {
        std::string k(key);
        bool present = (k == "account_sid" && !g.account_sid.empty()) || (k == "auth_token" && !g.auth_token.empty()) ||
                       (k == "token" && !g.token.empty()) || (k == "api_key" && !g.api_key.empty()) ||
                       (k == "api_secret" && !g.api_secret.empty()) ||
                       (k == "signature_secret" && !g.signature_secret.empty()) ||
                       (k == "signing_key" && !g.signing_key.empty()) || (k == "username" && !g.username.empty()) ||
                       (k == "password" && !g.password.empty()) || (k == "from" && !g.from.empty());
        if (!present)
            fail(where + "." + k, "is required when the gateway is enabled");
    }
}

} // namespace

void config_toml::read_sms_gateways(const toml::table& root, config& cfg) {
    if (const auto* g = section(root, "gateways"))
        reject_unknown(*g, "gateways", {"twilio", "smsapi", "vonage", "smsgate"});
    auto& gw = cfg.gateways;
    read_gateway(root, "twilio", gw.twilio, {"account_sid", "auth_token"}, {"account_sid", "auth_token", "from"});
    read_gateway(root, "smsapi", gw.smsapi, {"token", "username", "webhook_key"}, {"token", "from"});
    read_gateway(root, "vonage", gw.vonage, {"api_key", "api_secret", "signature_secret", "signature_method"},
                 {"api_key", "api_secret", "signature_secret", "from"});
    read_gateway(root, "smsgate", gw.smsgate, {"username", "password", "signing_key"},
                 {"username", "password", "signing_key"});
    const auto* t = section(root, "sms");
    if (!t)
        return;
    reject_unknown(*t, "sms", {"sender", "failover", "transliterate", "max_attempts", "send_timeout_seconds",
                               "inbound_per_window", "inbound_window_seconds", "signature_window_seconds",
                               "parts_wait_seconds"});
    auto& sms = cfg.sms;
    read_string(*t, "sms", "sender", sms.sender);
    read_string(*t, "sms", "failover", sms.failover, true);
    read_bool(*t, "sms", "transliterate", sms.transliterate);
    read_int(*t, "sms", "max_attempts", sms.max_attempts, 1, 10);
    read_seconds(*t, "sms", "send_timeout_seconds", sms.send_timeout, 1, 120);
    read_int(*t, "sms", "inbound_per_window", sms.inbound_per_window, 1, 1000);
    read_seconds(*t, "sms", "inbound_window_seconds", sms.inbound_window, 10, 86400);
    read_seconds(*t, "sms", "signature_window_seconds", sms.signature_window, 10, 3600);
    read_seconds(*t, "sms", "parts_wait_seconds", sms.parts_wait, 1, 3600);
    auto usable = [&](const std::string& name) {
        const auto* g = gw.find(name);
        return g && g->enabled;
    };
    if (sms.sender != "log" && !usable(sms.sender))
        fail("sms.sender", "must be \"log\" or an enabled gateway (twilio, smsapi, vonage, smsgate)");
    if (!sms.failover.empty() && (!usable(sms.failover) || sms.failover == sms.sender))
        fail("sms.failover", "must be another enabled gateway, or \"\"");
}

const gateway_config* gateways_config::find(std::string_view name) const {
    if (name == "twilio")
        return &twilio;
    if (name == "smsapi")
        return &smsapi;
    if (name == "vonage")
        return &vonage;
    if (name == "smsgate")
        return &smsgate;
    return nullptr;
}


} // namespace ask
