// Everything a client can do to a volume, done to an untrusted image: mount it, walk and read the
// whole tree, then (if it mounted writable) change it and sync. Shared by the libFuzzer target
// and the host test that replays seeded corruptions; the caller's sanitizers judge the run.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tessera::ext2::fuzz {

struct ExerciseReport {
    bool mounted = false;
    bool writable = false;
    bool became_read_only = false; // damage found while working
    size_t entries = 0;            // directory entries visited
    size_t bytes_read = 0;
    const char* reason = "";       // the mount's refusal or read-only reason
};

// image is changed in place by the writes. Work is bounded (entries, bytes, depth), so a run
// takes about the same time whatever the image claims.
ExerciseReport exercise_volume(uint8_t* image, size_t size);

} // namespace tessera::ext2::fuzz
