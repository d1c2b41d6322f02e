# User programs the build links against the user runtime (user/lib/runtime's tessera_runtime,
# crt0 and start-up). Included by the top-level CMakeLists.txt, so that every folder (user/,
# tests/, bench/, systems/) may call it whatever the order of add_subdirectory.
#
# tessera_add_component(NAME SOURCES ... [LINKS ...] [RUNTIME lib]): a statically linked user
# program (ELF64). RUNTIME replaces tessera_runtime as the library holding _start (e.g. the
# Microkit PD runtime, user/lib/microkit).
function(tessera_add_component name)
    cmake_parse_arguments(ARG "" "RUNTIME" "SOURCES;LINKS" ${ARGN})
    if(NOT ARG_RUNTIME)
        set(ARG_RUNTIME tessera_runtime)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES SUFFIX ".elf")
    # --whole-archive keeps the runtime's _start, which nothing references by name.
    target_link_libraries(${name} PRIVATE tessera_user_flags
        -Wl,--whole-archive ${ARG_RUNTIME} -Wl,--no-whole-archive
        sel4_runtime tessera_libc_user tessera_tls_user sel4 ${ARG_LINKS})
    target_link_options(${name} PRIVATE -Wl,-e,_start -Wl,-z,separate-code)
endfunction()

# tessera_add_microkit_program(NAME SOURCES ... [LINKS ...]): a protection-domain program
# (NAME.elf) written against the Microkit API: it defines init() and notified(), and protected()
# when it is called over a channel. Its _start and event loop come from tessera_microkit
# (user/lib/microkit). Unused parameters are allowed: Microkit's usual
# `void notified(microkit_channel ch) {}` must compile.
function(tessera_add_microkit_program name)
    tessera_add_component(${name} ${ARGN} RUNTIME tessera_microkit)
    target_link_libraries(${name} PRIVATE tessera_runtime) # its TLS set-up (tls_bridge.cc)
    target_compile_options(${name} PRIVATE -Wno-unused-parameter)
endfunction()
