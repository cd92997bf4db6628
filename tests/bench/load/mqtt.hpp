// The few MQTT 3.1.1 packets the generator needs to measure mosquitto over WebSocket
// (subprotocol "mqtt"): CONNECT (clean session), SUBSCRIBE (QoS 0), PUBLISH (QoS 0) and
// PINGREQ out; CONNACK, SUBACK, PUBLISH and PINGRESP in. Pure functions over bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ask::bench::mqtt {

enum packet_type : std::uint8_t { connect = 1, connack = 2, publish = 3, subscribe = 8, suback = 9, pingreq = 12, pingresp = 13 };

std::string connect_packet(std::string_view client_id, std::uint16_t keepalive_seconds);
std::string subscribe_packet(std::uint16_t packet_id, std::string_view topic);
std::string publish_packet(std::string_view topic, std::string_view payload);
std::string pingreq_packet();

/// Reassembles packets from a byte stream that WebSocket frames may split or join.
class reader {
public:
    /// `on_packet(type, flags, body)`: body is the variable header and payload.
    using packet_fn = std::function<void(std::uint8_t type, std::uint8_t flags, std::string_view body)>;
    void feed(std::string_view bytes, const packet_fn& on_packet);

private:
    std::string pending_;
};

/// The payload of a PUBLISH body (QoS 0: topic, then payload).
std::string_view publish_payload(std::string_view body);

} // namespace ask::bench::mqtt
