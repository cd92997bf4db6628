#include "tests/bench/load/mqtt.hpp"

namespace ask::bench::mqtt {
namespace {

void put_length(std::string& out, std::size_t n) { // the remaining-length varint, 7 bits a byte
    do {
        auto byte = static_cast<std::uint8_t>(n % 128);
        n /= 128;
        if (n > 0)
            byte |= 0x80;
        out.push_back(static_cast<char>(byte));
    } while (n > 0);
}

void put_u16(std::string& out, std::size_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xff));
    out.push_back(static_cast<char>(v & 0xff));
}

void put_string(std::string& out, std::string_view s) {
    put_u16(out, s.size());
    out += s;
}

std::string packet(std::uint8_t first_byte, const std::string& body) {
    std::string out(1, static_cast<char>(first_byte));
    put_length(out, body.size());
    return out + body;
}

} // namespace

std::string connect_packet(std::string_view client_id, std::uint16_t keepalive_seconds) {
    std::string body;
    put_string(body, "MQTT");
    body.push_back(4);    // protocol level 3.1.1
    body.push_back(0x02); // clean session, no will, no credentials
    put_u16(body, keepalive_seconds);
    put_string(body, client_id);
    return packet(connect << 4, body);
}

std::string subscribe_packet(std::uint16_t packet_id, std::string_view topic) {
    std::string body;
    put_u16(body, packet_id);
    put_string(body, topic);
    body.push_back(0); // requested QoS 0
    return packet((subscribe << 4) | 0x02, body);
}

std::string publish_packet(std::string_view topic, std::string_view payload) {
    std::string body;
    put_string(body, topic);
    body += payload;
    return packet(publish << 4, body);
}

std::string pingreq_packet() { return std::string{static_cast<char>(pingreq << 4), 0}; }

void reader::feed(std::string_view bytes, const packet_fn& on_packet) {
    pending_ += bytes;
    std::size_t at = 0;
    for (;;) {
        if (pending_.size() - at < 2)
            break;
        std::size_t length = 0, multiplier = 1, i = at + 1;
        bool complete = false;
        while (i < pending_.size() && i < at + 5) {
            auto byte = static_cast<std::uint8_t>(pending_[i++]);
            length += (byte & 0x7f) * multiplier;
            multiplier *= 128;
            if (!(byte & 0x80)) {
                complete = true;
                break;
            }
        }
        if (!complete || pending_.size() - i < length)
            break;
        auto first = static_cast<std::uint8_t>(pending_[at]);
        on_packet(static_cast<std::uint8_t>(first >> 4), static_cast<std::uint8_t>(first & 0x0f),
                  std::string_view(pending_).substr(i, length));
        at = i + length;
    }
    pending_.erase(0, at);
}

std::string_view publish_payload(std::string_view body) {
    if (body.size() < 2)
        return {};
    std::size_t topic = (static_cast<std::uint8_t>(body[0]) << 8) | static_cast<std::uint8_t>(body[1]);
    return body.size() < 2 + topic ? std::string_view{} : body.substr(2 + topic);
}

} // namespace ask::bench::mqtt
