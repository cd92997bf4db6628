// A WebSocket client on a raw socket, for what a well-behaved client library will not do: stop
// reading, never answer pings, send frames that break the protocol (unmasked, bad UTF-8,
// reserved opcodes). The upgrade is done by hand; nothing is read or written unless asked.
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace ask::test {

class raw_ws {
public:
    /// `rcvbuf` > 0 sets SO_RCVBUF before connecting, so the kernel buffers little for this client.
    raw_ws(std::uint16_t port, const std::string& target, const std::string& token, int rcvbuf = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (rcvbuf > 0)
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ADD_FAILURE() << "connect: " << std::strerror(errno);
            return;
        }
        std::string upgrade = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Protocol: ask.v1\r\nAuthorization: Bearer " +
                              token + "\r\n\r\n";
        if (!write_all(upgrade))
            return;
        // The response head only, a byte at a time, so nothing after it is taken from the socket.
        std::string head;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (head.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            char c = 0;
            if (::recv(fd_, &c, 1, 0) != 1)
                break;
            head.push_back(c);
        }
        upgraded_ = head.rfind("HTTP/1.1 101", 0) == 0;
        if (!upgraded_)
            ADD_FAILURE() << "upgrade refused: " << head;
    }
    ~raw_ws() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    raw_ws(const raw_ws&) = delete;
    raw_ws& operator=(const raw_ws&) = delete;

    bool upgraded() const { return upgraded_; }

    /// One frame as given: FIN set unless `fin` is false; masked (as a client must) unless told not to.
    bool send_frame(std::uint8_t opcode, const std::string& payload, bool masked = true, bool fin = true) {
        std::string frame;
        frame.push_back(static_cast<char>((fin ? 0x80 : 0x00) | opcode));
        std::uint8_t mask_bit = masked ? 0x80 : 0x00;
        if (payload.size() < 126) {
            frame.push_back(static_cast<char>(mask_bit | payload.size()));
        } else if (payload.size() < 65536) {
            frame.push_back(static_cast<char>(mask_bit | 126));
            frame.push_back(static_cast<char>(payload.size() >> 8));
            frame.push_back(static_cast<char>(payload.size() & 0xFF));
        } else {
            frame.push_back(static_cast<char>(mask_bit | 127));
            for (int shift = 56; shift >= 0; shift -= 8)
                frame.push_back(static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xFF));
        }
        const char key[4] = {0x12, 0x34, 0x56, 0x78};
        if (masked)
            frame.append(key, 4);
        for (std::size_t i = 0; i < payload.size(); ++i)
            frame.push_back(masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
        return write_all(frame);
    }

    struct ws_frame {
        std::uint8_t opcode = 0;
        std::string payload;
        bool fin = true; ///< the last frame of its message
    };
    /// The next whole frame from the server, or nullopt at EOF, reset or the deadline.
    std::optional<ws_frame> read_frame(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        auto need = [&](std::size_t n) {
            while (in_.size() < n) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
                if (left.count() <= 0)
                    return false;
                pollfd p{fd_, POLLIN, 0};
                if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
                    continue;
                char chunk[16384];
                auto got = ::recv(fd_, chunk, sizeof chunk, 0);
                if (got <= 0)
                    return false;
                in_.append(chunk, static_cast<std::size_t>(got));
            }
            return true;
        };
        if (!need(2))
            return std::nullopt;
        std::size_t len = static_cast<std::uint8_t>(in_[1]) & 0x7F, header = 2;
        if (len == 126) {
            if (!need(4))
                return std::nullopt;
            len = (static_cast<std::uint8_t>(in_[2]) << 8) | static_cast<std::uint8_t>(in_[3]);
            header = 4;
        } else if (len == 127) {
            if (!need(10))
                return std::nullopt;
            len = 0;
            for (int i = 2; i < 10; ++i)
                len = (len << 8) | static_cast<std::uint8_t>(in_[i]);
            header = 10;
        }
        if (!need(header + len))
            return std::nullopt;
        ws_frame f{static_cast<std::uint8_t>(in_[0] & 0x0F), in_.substr(header, len), (in_[0] & 0x80) != 0};
        in_.erase(0, header + len);
        return f;
    }
    /// Reads frames until the server's close frame; its code, 0 for one without a code, or -1
    /// when the connection ended (or the deadline passed) without one.
    int close_code(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            auto f = left.count() > 0 ? read_frame(left) : std::nullopt;
            if (!f)
                return -1;
            if (f->opcode == 8)
                return f->payload.size() >= 2
                           ? (static_cast<std::uint8_t>(f->payload[0]) << 8) | static_cast<std::uint8_t>(f->payload[1])
                           : 0;
        }
    }
    /// The next text message, its fragments joined; control frames and binary messages are skipped.
    std::optional<std::string> next_text(std::chrono::milliseconds timeout) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        std::optional<std::string> text; // a text message begun and not yet finished
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            auto f = left.count() > 0 ? read_frame(left) : std::nullopt;
            if (!f)
                return std::nullopt;
            if (f->opcode == 1)
                text = std::move(f->payload);
            else if (f->opcode == 0 && text)
                *text += f->payload;
            else
                continue;
            if (f->fin)
                return text;
        }
    }

    /// Reads and discards everything until the server has closed the connection (EOF or reset);
    /// false if it is still open at the deadline. `bytes` counts what was read.
    bool drain_until_closed(std::chrono::milliseconds timeout, std::size_t* bytes = nullptr) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        char chunk[16384];
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            auto n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                return true;
            if (n > 0 && bytes)
                *bytes += static_cast<std::size_t>(n);
        }
        return false;
    }

private:
    bool write_all(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    int fd_ = -1;
    bool upgraded_ = false;
    std::string in_;
};

} // namespace ask::test
