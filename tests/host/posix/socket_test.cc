// The socket state machine (core/socket): names as Linux encodes and decodes them, the name
// table's conflicts and ephemeral ports, and stream and datagram sockets through listen,
// connect, accept, send, receive, peek, shutdown and close.
#include <gtest/gtest.h>

#include <string.h>

#include "core/socket/socket.h"
#include "linux/constants.h"
#include "linux/structures.h"

namespace tessera::posix::net {
namespace {

Name unix_name(const char* path)
{
    Name n;
    n.length = uint8_t(strlen(path));
    memcpy(n.path, path, n.length);
    return n;
}

Name inet_name(uint32_t address, uint16_t port)
{
    Name n;
    n.family = Family::Inet;
    n.address = address;
    n.port = port;
    return n;
}

TEST(SocketName, UnixPathsAbstractNamesAndLengthsAreLinuxs)
{
    linux::SockAddrUnix raw{};
    raw.family = 1;
    strcpy(raw.path, "/tmp/s");
    auto path = decode_name(&raw, sizeof raw, Family::Unix);
    ASSERT_TRUE(path);
    EXPECT_EQ(path.value().length, 6);
    EXPECT_FALSE(path.value().abstract());
    EXPECT_EQ(encode_name(path.value()).length, 2u + 6 + 1); // the NUL counts

    raw.path[0] = '\0';
    auto abstract = decode_name(&raw, 2 + 4, Family::Unix);
    ASSERT_TRUE(abstract);
    EXPECT_TRUE(abstract.value().abstract());
    EXPECT_EQ(encode_name(abstract.value()).length, 2u + 4); // every byte, no NUL added

    auto unnamed = decode_name(&raw, 2, Family::Unix);
    ASSERT_TRUE(unnamed);
    EXPECT_FALSE(unnamed.value().named());
    EXPECT_EQ(encode_name(unnamed.value()).length, 2u);

    EXPECT_EQ(decode_name(&raw, 1, Family::Unix).error(), Errno::Inval);
    EXPECT_EQ(decode_name(&raw, sizeof raw + 1, Family::Unix).error(), Errno::Inval);
    raw.family = 2;
    EXPECT_EQ(decode_name(&raw, sizeof raw, Family::Unix).error(), Errno::Inval);
}

TEST(SocketName, InetIsNetworkOrderOnTheWire)
{
    linux::SockAddrIn raw{};
    raw.family = 2;
    raw.port = __builtin_bswap16(8080);
    raw.address = __builtin_bswap32(0x7f000001);
    auto name = decode_name(&raw, sizeof raw, Family::Inet);
    ASSERT_TRUE(name);
    EXPECT_EQ(name.value().port, 8080);
    EXPECT_EQ(name.value().address, 0x7f000001u);
    const EncodedName back = encode_name(name.value());
    ASSERT_EQ(back.length, sizeof raw);
    EXPECT_EQ(memcmp(back.bytes, &raw, sizeof raw), 0);
    EXPECT_EQ(decode_name(&raw, sizeof raw - 1, Family::Inet).error(), Errno::Inval);
    raw.family = 1;
    EXPECT_EQ(decode_name(&raw, sizeof raw, Family::Inet).error(), Errno::AfNoSupport);
    EXPECT_TRUE(is_loopback(0));
    EXPECT_TRUE(is_loopback(0x7f000002));
    EXPECT_FALSE(is_loopback(0x0a000001));
}

TEST(NameTable, PortsConflictPerTypeAndAnyCoversEveryAddress)
{
    NameTable table;
    Socket a(Family::Inet, Type::Stream, table), b(Family::Inet, Type::Stream, table),
        u(Family::Inet, Type::Datagram, table);
    ASSERT_TRUE(a.bind(inet_name(0, 5000), inet_name(0, 5000)));
    EXPECT_EQ(b.bind(inet_name(0x7f000001, 5000), inet_name(0x7f000001, 5000)).error(), Errno::AddrInUse);
    EXPECT_TRUE(u.bind(inet_name(0, 5000), inet_name(0, 5000))); // UDP's port space is its own
    EXPECT_EQ(table.find(inet_name(0x7f000001, 5000), Type::Stream), &a);
    EXPECT_EQ(table.find(inet_name(0x7f000001, 5000), Type::Datagram), &u);
    EXPECT_EQ(b.bind(inet_name(0x0a000001, 0), inet_name(0x0a000001, 0)).error(), Errno::AddrNotAvail);
    ASSERT_TRUE(b.bind(inet_name(0, 0), inet_name(0, 0)));
    EXPECT_GE(b.local().port, NameTable::FirstEphemeral);
    EXPECT_LE(b.local().port, NameTable::LastEphemeral);
    EXPECT_EQ(b.bind(inet_name(0, 0), inet_name(0, 0)).error(), Errno::Inval); // bound already
}

TEST(NameTable, AUnixNameIsFreedWhenItsSocketGoes)
{
    NameTable table;
    {
        Socket s(Family::Unix, Type::Stream, table);
        ASSERT_TRUE(s.bind(unix_name("/tmp/s"), unix_name("s")));
        EXPECT_EQ(table.find(unix_name("/tmp/s"), Type::Datagram), &s); // one namespace for both types
        Socket t(Family::Unix, Type::Datagram, table);
        EXPECT_EQ(t.bind(unix_name("/tmp/s"), unix_name("/tmp/s")).error(), Errno::AddrInUse);
    }
    EXPECT_EQ(table.find(unix_name("/tmp/s"), Type::Stream), nullptr);
    Socket auto_bound(Family::Unix, Type::Datagram, table);
    ASSERT_TRUE(auto_bound.bind(Name{}, Name{}));
    EXPECT_TRUE(auto_bound.local().abstract());
    EXPECT_EQ(auto_bound.local().length, 6);
}

struct Connected : ::testing::Test {
    NameTable table;
    Ref<Socket> listener = make_ref<Socket>(Family::Unix, Type::Stream, table);
    Ref<Socket> client = make_ref<Socket>(Family::Unix, Type::Stream, table);
    Ref<Socket> served;

    void SetUp() override
    {
        ASSERT_TRUE(listener->bind(unix_name("/l"), unix_name("/l")));
        ASSERT_TRUE(listener->listen(1));
        ASSERT_TRUE(client->connect(*listener, unix_name("/l")));
        EXPECT_TRUE(listener->readiness().in);
        served = listener->accept();
        ASSERT_TRUE(served);
        EXPECT_FALSE(listener->readiness().in);
    }
};

TEST_F(Connected, BytesGoBothWaysAndPeekLeavesThem)
{
    EXPECT_EQ(client->remote(), unix_name("/l"));
    EXPECT_EQ(served->local(), unix_name("/l"));
    EXPECT_FALSE(served->remote().named());
    uint8_t buffer[16] = {};
    EXPECT_EQ(served->receive(buffer, sizeof buffer, false).error(), Errno::Again);
    EXPECT_EQ(client->send(reinterpret_cast<const uint8_t*>("hello"), 5).value(), 5u);
    EXPECT_TRUE(served->readiness().in);
    EXPECT_EQ(served->receive(buffer, 3, true).value(), 3u);
    EXPECT_EQ(served->receive(buffer, sizeof buffer, false).value(), 5u);
    EXPECT_EQ(memcmp(buffer, "hello", 5), 0);
    EXPECT_EQ(served->send(reinterpret_cast<const uint8_t*>("x"), 1).value(), 1u);
    EXPECT_EQ(client->receive(buffer, sizeof buffer, false).value(), 1u);
}

TEST_F(Connected, AFullBufferIsEagainAndWrapsAround)
{
    static uint8_t big[Channel::Capacity + 100];
    for (size_t i = 0; i < sizeof big; ++i)
        big[i] = uint8_t(i * 7);
    EXPECT_EQ(client->send(big, sizeof big).value(), Channel::Capacity);
    EXPECT_FALSE(client->readiness().out);
    EXPECT_EQ(client->send(big, 1).error(), Errno::Again);
    static uint8_t out[Channel::Capacity];
    EXPECT_EQ(served->receive(out, 1000, false).value(), 1000u);
    EXPECT_EQ(client->send(big + Channel::Capacity, 100).value(), 100u); // across the ring's end
    EXPECT_EQ(served->receive(out, sizeof out, false).value(), Channel::Capacity - 1000 + 100);
    EXPECT_EQ(memcmp(out, big + 1000, Channel::Capacity - 1000 + 100), 0);
}

TEST_F(Connected, ShutdownAndCloseEndTheStream)
{
    uint8_t buffer[4];
    ASSERT_TRUE(client->shutdown(1));
    EXPECT_EQ(served->receive(buffer, sizeof buffer, false).value(), 0u); // end of stream
    EXPECT_TRUE(served->readiness().read_hangup);
    EXPECT_FALSE(served->readiness().hangup);
    EXPECT_EQ(client->send(buffer, 1).error(), Errno::Pipe);
    EXPECT_EQ(served->send(buffer, 1).value(), 1u); // the other way still works
    EXPECT_EQ(client->shutdown(3).error(), Errno::Inval);
    client.reset();
    EXPECT_TRUE(served->readiness().hangup);
    EXPECT_EQ(served->send(buffer, 1).error(), Errno::Pipe);
}

TEST(Socket, ConnectRefusalsAndTheBacklog)
{
    NameTable table;
    Socket listener(Family::Unix, Type::Stream, table), bound(Family::Unix, Type::Stream, table),
        dgram(Family::Unix, Type::Datagram, table), c1(Family::Unix, Type::Stream, table),
        c2(Family::Unix, Type::Stream, table), c3(Family::Unix, Type::Stream, table);
    EXPECT_EQ(listener.listen(5).error(), Errno::Inval); // AF_UNIX: bind first
    ASSERT_TRUE(listener.bind(unix_name("/l"), unix_name("/l")));
    ASSERT_TRUE(bound.bind(unix_name("/b"), unix_name("/b")));
    EXPECT_EQ(c1.connect(bound, unix_name("/b")).error(), Errno::ConnRefused);
    EXPECT_EQ(c1.connect(dgram, unix_name("/d")).error(), Errno::ProtoType);
    EXPECT_EQ(dgram.listen(1).error(), Errno::OpNotSupp);
    ASSERT_TRUE(listener.listen(0)); // Linux queues backlog + 1
    ASSERT_TRUE(c1.connect(listener, unix_name("/l")));
    EXPECT_EQ(c1.connect(listener, unix_name("/l")).error(), Errno::IsConn);
    EXPECT_EQ(c2.connect(listener, unix_name("/l")).error(), Errno::Again);
    EXPECT_TRUE(listener.accept());
    EXPECT_TRUE(c2.connect(listener, unix_name("/l")));
    EXPECT_EQ(c3.connect(c1, unix_name("/l")).error(), Errno::ConnRefused);
}

TEST(Socket, LoopbackTcpNamesBothEnds)
{
    NameTable table;
    Socket listener(Family::Inet, Type::Stream, table), client(Family::Inet, Type::Stream, table);
    uint8_t b[1];
    EXPECT_EQ(client.send(b, 1).error(), Errno::Pipe);
    EXPECT_EQ(client.receive(b, 1, false).error(), Errno::NotConn);
    EXPECT_EQ(client.shutdown(2).error(), Errno::NotConn);
    ASSERT_TRUE(listener.bind(inet_name(0, 7000), inet_name(0, 7000)));
    ASSERT_TRUE(listener.listen(16));
    ASSERT_TRUE(client.connect(listener, inet_name(0, 7000)));
    Ref<Socket> served = listener.accept();
    ASSERT_TRUE(served);
    EXPECT_EQ(client.remote(), inet_name(Socket::Loopback, 7000)); // 0.0.0.0 reaches 127.0.0.1
    EXPECT_EQ(served->local(), inet_name(Socket::Loopback, 7000));
    EXPECT_EQ(served->remote(), client.local());
    EXPECT_EQ(client.local().address, Socket::Loopback);
    EXPECT_GE(client.local().port, NameTable::FirstEphemeral);
}

TEST(Socket, DatagramsKeepBoundariesSendersAndTruncate)
{
    NameTable table;
    Socket a(Family::Inet, Type::Datagram, table);
    const Name from = inet_name(Socket::Loopback, 4000);
    EXPECT_EQ(a.take_datagram(nullptr, 0, false).error(), Errno::Again);
    ASSERT_TRUE(a.deliver(reinterpret_cast<const uint8_t*>("one"), 3, from));
    ASSERT_TRUE(a.deliver(reinterpret_cast<const uint8_t*>("second"), 6, from));
    uint8_t buffer[8] = {};
    auto peeked = a.take_datagram(buffer, sizeof buffer, true);
    ASSERT_TRUE(peeked);
    EXPECT_EQ(peeked.value().copied, 3u);
    auto first = a.take_datagram(buffer, sizeof buffer, false);
    EXPECT_EQ(first.value().from, from);
    auto cut = a.take_datagram(buffer, 2, false);
    EXPECT_EQ(cut.value().copied, 2u);
    EXPECT_EQ(cut.value().full, 6u); // the rest of a datagram is lost
    EXPECT_FALSE(a.readiness().in);
    static uint8_t huge[70000];
    EXPECT_EQ(a.deliver(huge, 65508, from).error(), Errno::MsgSize);
    a.options.receive_buffer = 100;
    EXPECT_EQ(a.deliver(huge, 101, from).error(), Errno::Again);
}

TEST(Socket, ADatagramPairForgetsAPeerThatGoes)
{
    NameTable table;
    Socket a(Family::Unix, Type::Datagram, table);
    {
        Socket b(Family::Unix, Type::Datagram, table);
        ASSERT_TRUE(Socket::pair(a, b));
        EXPECT_EQ(a.pair_peer(), &b);
    }
    EXPECT_EQ(a.pair_peer(), nullptr);
}

} // namespace
} // namespace tessera::posix::net
