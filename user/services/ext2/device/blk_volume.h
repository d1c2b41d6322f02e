// The volume on a block-virtualiser client (tessera/blk_client.h): the ext2 core's BlockDevice
// over the block protocol. No system calls: the component gives it a way to wait for the
// server's next notification, and host tests give it a server in the same thread.
//
// The protocol moves 4 KiB blocks through the client's data region; the core asks for runs of
// 1 KiB granules. Each transfer is staged in the data region: whole blocks go in one request per
// data region's worth; a write that covers part of a block reads that block first. A server that
// restarts (the generation handshake of tessera/queue/block.h) loses the requests it held: they
// are sent again after reconnecting, which is safe for reads, whole-block writes and flushes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <tessera/blk_client.h>
#include <tessera/ext2/block_device.h>

namespace tessera::services::ext2 {

class BlkVolume final : public tessera::ext2::BlockDevice {
public:
    using Wait = void (*)(void* context);

    // `client` is initialised (tessera_blk_client_init) and stays alive; `wait` returns after the
    // server's next notification.
    BlkVolume(tessera_blk_client& client, Wait wait, void* context)
        : client_(client), wait_(wait), context_(context)
    {
    }

    // Waits for the server to come up and connects. NoDev-like failures are Errno::Io; a disk
    // too small to hold a superblock is Errno::Inval.
    tessera::ext2::Result<void> connect();
    bool is_read_only() const { return read_only_; }
    const char* name() const { return tessera_blk_client_name(&client_); }
    uint64_t requests() const { return requests_; }
    uint64_t reconnections() const { return reconnections_; }

    uint64_t size_bytes() const override { return size_bytes_; }
    tessera::ext2::Result<void> read(uint64_t offset, void* destination, size_t length) override;
    tessera::ext2::Result<void> write(uint64_t offset, const void* source, size_t length) override;
    tessera::ext2::Result<void> write_gather(uint64_t offset, const uint8_t* const* buffers,
                                             size_t count, size_t each) override;
    tessera::ext2::Result<void> flush() override;

private:
    static constexpr uint64_t BlockBytes = TESSERA_BLK_BLOCK_SIZE;

    // One request, sent again after a server restart until it is answered; its status.
    uint32_t transfer(uint32_t code, uint64_t block, uint32_t count);
    tessera::ext2::Result<void> check(uint32_t status) const;
    // Blocks [block, block + count) into or out of the start of the data region, in pieces.
    tessera::ext2::Result<void> read_blocks(uint64_t block, uint32_t count);
    tessera::ext2::Result<void> write_blocks(uint64_t block, uint32_t count);
    bool reconnect();
    uint32_t blocks_per_request() const { return blocks_per_request_; }
    uint8_t* staging() const { return client_.data; }
    // Copies `length` bytes of `source` pieces (a gather list or one buffer) to the volume.
    struct Source;
    tessera::ext2::Result<void> write_from(uint64_t offset, size_t length, const Source& source);

    tessera_blk_client& client_;
    Wait wait_;
    void* context_;
    uint64_t size_bytes_ = 0;
    uint32_t blocks_per_request_ = 0;
    bool read_only_ = false;
    bool connected_ = false;
    uint32_t next_id_ = 1;
    uint64_t requests_ = 0;
    uint64_t reconnections_ = 0;
};

} // namespace tessera::services::ext2
