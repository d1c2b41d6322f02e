// Mount's first half: decide from the superblock and the group descriptors alone whether and how
// the volume can be mounted. Nothing here writes; a refusal or a read-only verdict names why.
#pragma once

#include <stdint.h>

#include <tessera/ext2/file_system.h>
#include <tessera/ext2/layout.h>

#include "volume.h"

namespace tessera::ext2 {

struct MountPlan {
    Geometry geometry;
    Access access = Access::ReadOnly;
};

// Errno::Inval, with report.reason, when the superblock is not one of a volume this code reads.
Result<MountPlan> check_superblock(const disk::Superblock& super, uint64_t device_bytes,
                                   Access requested, MountReport& report);

// Every group's bitmaps and inode table inside its group and clear of the superblock copies;
// free counts no larger than the group. Errno::Inval with report.reason otherwise.
Result<void> check_descriptors(const Geometry& geometry, const disk::GroupDescriptor* groups,
                               MountReport& report);

// Writes the names of the feature bits set in bits ("extent, flex_bg"), unknown ones as hex.
enum class FeatureKind { Compat, Incompat, RoCompat };
void feature_names(FeatureKind kind, uint32_t bits, char* buffer, size_t capacity);

} // namespace tessera::ext2
