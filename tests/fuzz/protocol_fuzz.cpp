// Every client message parser on arbitrary bytes: each input is refused with a problem or
// parsed; nothing crashes, leaks or reads out of bounds (ASan/UBSan), and whatever parses as a
// request respects the text limits it was given.
#include "protocol/client_messages.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ask::protocol::text_limits limits{100, 200};
    (void)ask::protocol::parse_staff_message(text, limits);
    (void)ask::protocol::parse_resident_message(text, limits);
    (void)ask::protocol::parse_login(text);
    (void)ask::protocol::parse_duty(text);
    if (auto r = ask::protocol::parse_new_request(text, limits)) {
        std::size_t points = 0;
        for (unsigned char c : r->message)
            points += (c & 0xC0) != 0x80;
        if (points > limits.message_chars || r->request_id.size() > ask::protocol::request_id_max_chars)
            std::abort(); // a limit was not enforced
    }
    return 0;
}
