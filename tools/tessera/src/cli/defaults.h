// Where this build tree keeps the loader, the kernel, the launcher and the programs the tool
// boots by default (set by CMake on the tessera executable).
#pragma once

namespace tessera::sdf::cli {

inline constexpr const char* DefaultLoader = TESSERA_DEFAULT_LOADER;
inline constexpr const char* DefaultKernel = TESSERA_DEFAULT_KERNEL;
inline constexpr const char* DefaultLauncher = TESSERA_DEFAULT_LAUNCHER;
inline constexpr const char* DefaultPosixServer = TESSERA_DEFAULT_POSIX_SERVER;
inline constexpr const char* DefaultPosixPrograms = TESSERA_DEFAULT_POSIX_PROGRAMS;
inline constexpr const char* DefaultVmPrograms = TESSERA_DEFAULT_VM_PROGRAMS;

} // namespace tessera::sdf::cli
