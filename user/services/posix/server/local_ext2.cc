#include "server/local_ext2.h"

#include <stdio.h>
#include <string.h>

#include <new>

namespace tessera::posix::server {

namespace ext2 = tessera::ext2;
namespace service = tessera::services::ext2;

namespace {

void log_line(void*, const char* line) { printf("posix: ext2: %s\n", line); }

} // namespace

bool LocalExt2::mount(ext2::BlockDevice& device, ext2::Clock& clock, void* arena_memory,
                      size_t arena_bytes, uint8_t* window, size_t window_bytes)
{
    ext2::Arena arena(arena_memory, arena_bytes);
    // The walker and the service first; the volume's cache takes all the rest.
    void* walker_place = arena.allocate(sizeof(ext2::PathWalker), alignof(ext2::PathWalker));
    void* service_place = arena.allocate(sizeof(service::Service), alignof(service::Service));
    if (walker_place == nullptr || service_place == nullptr) {
        snprintf(report_.reason, sizeof report_.reason, "no memory for the service");
        return false;
    }
    ext2::Result<ext2::FileSystem*> mounted =
        ext2::FileSystem::mount(device, arena, clock, ext2::MountOptions{}, report_);
    if (!mounted)
        return false;
    ext2::FileSystem& file_system = *mounted.value();
    auto* walker = new (walker_place) ext2::PathWalker(file_system);
    const service::ClientSetup setup{"/", report_.access, window, window_bytes};
    service_ = new (service_place) service::Service();
    service_->start(file_system, *walker, &setup, 1, state_, service::Start::Fresh, log_line,
                    nullptr);
    const tessera_fs_transport transport{call, this};
    if (tessera_fs_init(&connection_, &transport, window, window_bytes) != 0) {
        snprintf(report_.reason, sizeof report_.reason, "the window is too small");
        service_ = nullptr;
        return false;
    }
    return true;
}

uint64_t LocalExt2::call(void* context, uint64_t operation, const uint64_t* words, unsigned count,
                         uint64_t* reply, unsigned reply_capacity)
{
    auto* self = static_cast<LocalExt2*>(context);
    service::Request request;
    request.operation = operation;
    request.word_count = count < TESSERA_FS_MAX_WORDS ? count : TESSERA_FS_MAX_WORDS;
    for (uint32_t i = 0; i < request.word_count; ++i)
        request.words[i] = words[i];
    const service::Reply answer = self->service_->handle(0, request);
    for (unsigned i = 0; i < reply_capacity; ++i)
        reply[i] = i < answer.word_count ? answer.words[i] : 0;
    return answer.error;
}

} // namespace tessera::posix::server
