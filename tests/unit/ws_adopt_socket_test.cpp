// ws::adopt_socket hands an upgraded HTTP stream's connection to the WebSocket's socket type. Its
// contract: the same connection goes on, on the same descriptor, and a socket that is already gone
// comes back closed, so the handshake that follows fails at once.
#include "server/ws/connection.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ask::ws {
namespace {

// A connected pair on loopback: `client`, and the server's end as an HTTP session holds it.
struct loopback {
    net::io_context io;
    tcp::acceptor acceptor{io, {net::ip::address_v4::loopback(), 0}};
    tcp::socket client{io};
    tcp::socket server_end{io};

    loopback() {
        client.connect(acceptor.local_endpoint());
        server_end = acceptor.accept();
    }
};

std::string read_four(auto& socket) {
    std::string got(4, '\0');
    net::read(socket, net::buffer(got));
    return got;
}

TEST(ws_adopt_socket, the_connection_goes_on_in_the_adopted_socket) {
    loopback pair;
    beast::tcp_stream stream(std::move(pair.server_end));
    auto descriptor = stream.socket().native_handle();

    auto adopted = adopt_socket(std::move(stream), pair.io.get_executor());

    ASSERT_TRUE(adopted.is_open());
    EXPECT_EQ(adopted.native_handle(), descriptor);
    net::write(adopted, net::buffer(std::string("ping")));
    EXPECT_EQ(read_four(pair.client), "ping");
    net::write(pair.client, net::buffer(std::string("pong")));
    EXPECT_EQ(read_four(adopted), "pong");
}

TEST(ws_adopt_socket, a_socket_already_closed_comes_back_closed) {
    loopback pair;
    beast::tcp_stream stream(std::move(pair.server_end));
    stream.socket().close();

    auto adopted = adopt_socket(std::move(stream), pair.io.get_executor());

    EXPECT_FALSE(adopted.is_open());
    ws_stream ws(std::move(adopted));
    error_code ec;
    ws.accept(ec);
    EXPECT_TRUE(ec) << "a handshake on a socket that is gone must fail";
}

} // namespace
} // namespace ask::ws
