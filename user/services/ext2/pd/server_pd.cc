// The file-system service's protection domain: mounts the volume on its device, serves each
// client's protected procedure calls (tessera/fs_protocol.h) through the service's logic, and
// after a restart by its parent carries on with the clients' handles (service.h, ServiceState).
#include <microkit.h>
#include <stdio.h>
#include <string.h>

#include <new>

#include <tessera/ext2/file_system.h>
#include <tessera/ext2/path_walker.h>

#include "client_config.h"
#include "service.h"
#include "volume_device.h"

namespace ext2 = tessera::ext2;
namespace service = tessera::services::ext2;

namespace {

constexpr size_t ArenaBytes = 4u << 20;
alignas(4096) uint8_t arena_memory[ArenaBytes];

// Memory a restart by the parent does not touch: the PD's image is not loaded again. Constant-
// initialised (no constructor runs for it, so a restart's constructors leave it alone).
constinit service::ServiceState saved_state{};
constinit bool started_before = false;
constinit int8_t client_of_channel[MICROKIT_MAX_CHANNELS] = {};

service::Service* the_service = nullptr;
// Why there is no service (VOLUME_STATUS's answer then); empty while there is one.
char unavailable[240] = "";

uint64_t read_tsc()
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return uint64_t{high} << 32 | low;
}

// No clock service yet: time goes on from the volume's newest recorded time, counted by the TSC
// at a nominal 2 GHz. Files' times are in order, not exact.
class VolumeClock final : public ext2::Clock {
public:
    void start(int64_t base) { base_ = base; tsc_ = read_tsc(); }
    ext2::Timestamp now() override
    {
        uint64_t ticks = read_tsc() - tsc_;
        return {base_ + static_cast<int64_t>(ticks / 2000000000u),
                static_cast<uint32_t>(ticks % 2000000000u / 2)};
    }

private:
    int64_t base_ = 0;
    uint64_t tsc_ = 0;
};
VolumeClock volume_clock;

int64_t newest_time_on(ext2::BlockDevice& device)
{
    uint8_t super[1024];
    if (!device.read(1024, super, sizeof super))
        return 0;
    uint32_t times[3];
    memcpy(&times[0], super + 44, 4);  // s_mtime
    memcpy(&times[1], super + 48, 4);  // s_wtime
    memcpy(&times[2], super + 264, 4); // s_mkfs_time
    uint32_t newest = 0;
    for (uint32_t t : times)
        newest = t > newest ? t : newest;
    return newest;
}

void log_line(void*, const char* line) { printf("%s\n", line); }

} // namespace

extern "C" void init(void)
{
    service::Start how = started_before ? service::Start::AfterRestart : service::Start::Fresh;
    started_before = true;
    the_service = nullptr;
    unavailable[0] = '\0';
    ext2::BlockDevice* device = service::open_volume_device();
    if (device == nullptr) {
        snprintf(unavailable, sizeof unavailable, "the volume's device could not be opened");
        return;
    }
    volume_clock.start(newest_time_on(*device));
    ext2::Arena arena(arena_memory, sizeof arena_memory);
    // The walker and the service first; the volume takes all the rest for its cache.
    void* walker_place = arena.allocate(sizeof(ext2::PathWalker), alignof(ext2::PathWalker));
    void* service_place = arena.allocate(sizeof(service::Service), alignof(service::Service));
    static ext2::MountReport report;
    ext2::Result<ext2::FileSystem*> mounted =
        ext2::FileSystem::mount(*device, arena, volume_clock,
                                ext2::MountOptions{service::volume_access()}, report);
    if (!mounted) {
        printf("ext2: cannot mount the volume: %s\n", report.reason);
        snprintf(unavailable, sizeof unavailable, "cannot mount the volume: %s", report.reason);
        return;
    }
    if (report.reason[0] != '\0')
        printf("ext2: %s\n", report.reason);
    ext2::FileSystem& fs = *mounted.value();
    auto* walker = new (walker_place) ext2::PathWalker(fs);

    service::ClientSetup setups[service::MaxClients];
    unsigned count = 0;
    for (unsigned i = 0; i < TESSERA_FS_CLIENT_CHANNELS && count < service::MaxClients; ++i) {
        const tessera_fs_client_config& config = tessera_fs_client_configs[i];
        unsigned channel = i + 1;
        client_of_channel[channel] = -1;
        if (*config.window == 0)
            continue;
        setups[count] = service::ClientSetup{
            config.root,
            strcmp(config.access, "ro") == 0 ? ext2::Access::ReadOnly : ext2::Access::ReadWrite,
            reinterpret_cast<uint8_t*>(*config.window), *config.window_size};
        if (strcmp(config.access, "ro") != 0 && strcmp(config.access, "rw") != 0)
            printf("ext2: client on channel %u: access '%s' is neither rw nor ro: read-write\n",
                   channel, config.access);
        client_of_channel[channel] = static_cast<int8_t>(count++);
    }
    the_service = new (service_place) service::Service();
    // The report says "read-only: WHY"; VOLUME_STATUS's state already says read-only.
    const char* why = report.reason;
    if (strncmp(why, "read-only: ", 11) == 0)
        why += 11;
    the_service->describe_volume(why);
    the_service->start(fs, *walker, setups, count, saved_state, how, log_line, nullptr);
}

extern "C" void notified(microkit_channel) {}

// `protected` is a C++ keyword: the entry point gets its C name through an asm label.
extern "C" microkit_msginfo protected_procedure(microkit_channel ch, microkit_msginfo msginfo)
    __asm__("protected");

microkit_msginfo protected_procedure(microkit_channel ch, microkit_msginfo msginfo)
{
    int client = ch < MICROKIT_MAX_CHANNELS && ch >= 1 && ch <= TESSERA_FS_CLIENT_CHANNELS
                     ? client_of_channel[ch]
                     : -1;
    if (client < 0)
        return microkit_msginfo_new(static_cast<seL4_Word>(ext2::Errno::Io), 0);
    if (the_service == nullptr) {
        // No volume: every request fails, and VOLUME_STATUS says why.
        const tessera_fs_client_config& config = tessera_fs_client_configs[ch - 1];
        if (microkit_msginfo_get_label(msginfo) != TESSERA_FS_VOLUME_STATUS ||
            *config.window_size < TESSERA_FS_MIN_WINDOW)
            return microkit_msginfo_new(static_cast<seL4_Word>(ext2::Errno::Io), 0);
        service::Reply reply = service::volume_status_reply(
            TESSERA_FS_VOLUME_NOT_MOUNTED, unavailable, reinterpret_cast<uint8_t*>(*config.window),
            *config.window_size);
        for (uint32_t i = 0; i < reply.word_count; ++i)
            microkit_mr_set(static_cast<seL4_Uint8>(i), reply.words[i]);
        return microkit_msginfo_new(0, static_cast<seL4_Uint16>(reply.word_count));
    }
    service::Request request;
    request.operation = microkit_msginfo_get_label(msginfo);
    uint64_t count = microkit_msginfo_get_count(msginfo);
    request.word_count = static_cast<uint32_t>(count < TESSERA_FS_MAX_WORDS ? count : TESSERA_FS_MAX_WORDS);
    for (uint32_t i = 0; i < request.word_count; ++i)
        request.words[i] = microkit_mr_get(static_cast<seL4_Uint8>(i));
    service::Reply reply = the_service->handle(static_cast<unsigned>(client), request);
    for (uint32_t i = 0; i < reply.word_count; ++i)
        microkit_mr_set(static_cast<seL4_Uint8>(i), reply.words[i]);
    return microkit_msginfo_new(reply.error, static_cast<seL4_Uint16>(reply.word_count));
}
