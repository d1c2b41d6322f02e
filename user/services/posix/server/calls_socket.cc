// socketpair(AF_UNIX, SOCK_STREAM) on the pipe machinery (docs/posix.md, "Sockets"): each end
// reads one pipe and writes the other, so reads, writes, poll, blocking, end of file and
// SIGPIPE are the pipes'; sendto and recvfrom without an address are write and read.
#include "linux/call_numbers.h"
#include "linux/constants.h"
#include "server/server.h"

namespace tessera::posix::server {

namespace sock = linux::socket_const;

namespace {

bool is_socket(Process& process, int64_t fd)
{
    return fd >= 0 && fd < Process::MaxFiles && process.files[fd].kind == OpenFile::Kind::Socket;
}

} // namespace

int64_t Server::socket_call(Process& process, const LinuxCall& call)
{
    const uint64_t* a = call.args;
    switch (call.number) {
    case linux::nr::Socketpair: {
        const int32_t domain = int32_t(a[0]), type = int32_t(a[1]);
        if (domain != sock::Unix)
            return linux::negative(domain == sock::Inet || domain == sock::Inet6 ? Errno::OpNotSupp
                                                                                 : Errno::AfNoSupport);
        if ((uint32_t(type) & ~uint32_t(sock::TypeMask) & ~(sock::NonBlock | sock::CloseOnExec)) != 0)
            return linux::negative(Errno::Inval);
        if ((type & sock::TypeMask) != sock::Stream)
            return linux::negative(Errno::OpNotSupp); // datagram and seqpacket pairs: not yet
        if (a[2] != 0)
            return linux::negative(Errno::ProtoNoSupport);
        const int first = lowest_free(process, 0);
        const int second = first < 0 ? -1 : lowest_free(process, first + 1);
        if (second < 0)
            return linux::negative(Errno::MFile);
        Ref<Pipe> ways[2] = {make_ref<Pipe>(), make_ref<Pipe>()};
        for (const Ref<Pipe>& way : ways)
            if (!way || !way->valid())
                return linux::negative(Errno::NFile);
        const int32_t numbers[2] = {first, second};
        if (auto written = process.space->write(a[3], numbers, sizeof numbers); !written)
            return linux_return(written);
        for (int end = 0; end < 2; ++end) {
            OpenFile& file = process.files[numbers[end]];
            file = OpenFile{};
            file.kind = OpenFile::Kind::Socket;
            file.pipe = ways[end];
            file.peer = ways[1 - end];
            file.close_on_exec = (uint32_t(type) & sock::CloseOnExec) != 0;
            share(file);
        }
        return 0;
    }
    case linux::nr::Sendto:
    case linux::nr::Recvfrom: {
        // Connected stream sockets: an address is ignored on send and none is given back.
        const bool sending = call.number == linux::nr::Sendto;
        if (!is_socket(process, int64_t(a[0])))
            return linux::negative(open_file(process, int64_t(a[0])) ? Errno::NotSock : Errno::BadF);
        const uint32_t flags = uint32_t(a[3]);
        if ((flags & ~(sock::MsgNoSignal | sock::MsgWaitAll)) != 0)
            return linux::negative(Errno::OpNotSupp); // MSG_PEEK, MSG_DONTWAIT, MSG_OOB: not yet
        if (!sending && a[5] != 0) {
            const uint32_t none = 0;
            if (auto written = process.space->write(a[5], &none, sizeof none); !written)
                return linux_return(written);
        }
        return sending ? write_to(process, int(a[0]), a[1], a[2], nullptr,
                                  (flags & sock::MsgNoSignal) == 0)
                       : read_from(process, int(a[0]), a[1], a[2]);
    }
    default:
        return linux::negative(Errno::NoSys);
    }
}

} // namespace tessera::posix::server
