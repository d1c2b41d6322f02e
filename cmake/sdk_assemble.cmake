# Writes the Microkit SDK (cmake/sdk.cmake says what goes where). Run with cmake -P and the
# variables SDK, SOURCE, GENERATED_ABI, GENERATED_SEL4, TOOL, KERNEL64, KERNEL32, LOADER,
# KERNEL64_RELEASE, KERNEL32_RELEASE, LIB_DEBUG and LIB_RELEASE.
file(REMOVE_RECURSE ${SDK})
set(board ${SDK}/board/x86_64_generic)

file(COPY ${TOOL} DESTINATION ${SDK}/bin)
get_filename_component(tool_name ${TOOL} NAME)
file(RENAME ${SDK}/bin/${tool_name} ${SDK}/bin/microkit)

# seL4's kernel configuration under its own file name: Microkit's example Makefiles read the
# architecture from `#define CONFIG_SEL4_ARCH  x86_64` (two spaces, as seL4 writes it).
file(STRINGS ${SOURCE}/user/lib/sel4/include/autoconf.h config_lines REGEX "^#define CONFIG_")

foreach(config debug release)
    set(dir ${board}/${config})
    file(COPY ${SOURCE}/user/lib/sel4/include/sel4 DESTINATION ${dir}/include)
    file(COPY ${SOURCE}/abi/include/tessera DESTINATION ${dir}/include)
    file(COPY ${GENERATED_ABI}/tessera DESTINATION ${dir}/include)
    file(COPY ${GENERATED_SEL4}/interfaces DESTINATION ${dir}/include)
    file(COPY ${SOURCE}/user/lib/microkit/include/microkit.h DESTINATION ${dir}/include)

    set(gen_config "/* The kernel configuration of Tessera's libsel4 (${config}), written by `make sdk`. */\n#pragma once\n\n")
    foreach(line IN LISTS config_lines)
        string(REGEX REPLACE "^#define ([A-Z0-9_]+) (.*)$" "\\1;\\2" parts "${line}")
        list(GET parts 0 name)
        list(GET parts 1 value)
        # A release kernel has no debug console and no debug system calls.
        if(config STREQUAL "release" AND name MATCHES "^CONFIG_(PRINTING|DEBUG_BUILD)$")
            continue()
        endif()
        # The SDK's kernels have Microkit's domain configuration (see the elf/ kernels below).
        if(name STREQUAL "CONFIG_NUM_DOMAINS")
            set(value 16)
            string(APPEND gen_config "#define CONFIG_NUM_DOMAIN_SCHEDULES  100\n")
        endif()
        string(APPEND gen_config "#define ${name}  ${value}\n")
    endforeach()
    file(WRITE ${dir}/include/kernel/gen_config.h "${gen_config}")
    file(WRITE ${dir}/include/autoconf.h
        "/* libsel4's configuration header: the kernel's, as seL4 installs it. */\n#pragma once\n\n#include <kernel/gen_config.h>\n")

    if(config STREQUAL "debug")
        file(COPY ${LIB_DEBUG} DESTINATION ${dir}/lib)
    else()
        file(COPY ${LIB_RELEASE} DESTINATION ${dir}/lib)
    endif()
    file(COPY ${SOURCE}/user/lib/microkit/microkit.ld DESTINATION ${dir}/lib)

    # Each configuration's kernel (decision 25: the debug kernel, or the release kernel without
    # debug calls), configured as Microkit's SDK kernels are: 16 domains, a 100-entry domain
    # schedule (decision 22). libmicrokit's output differs with them.
    file(MAKE_DIRECTORY ${dir}/elf)
    if(config STREQUAL "debug")
        set(kernel64 ${KERNEL64})
        set(kernel32 ${KERNEL32})
    else()
        set(kernel64 ${KERNEL64_RELEASE})
        set(kernel32 ${KERNEL32_RELEASE})
    endif()
    foreach(pair "${kernel64};sel4.elf" "${kernel32};sel4_32.elf")
        list(GET pair 0 from)
        list(GET pair 1 to)
        execute_process(COMMAND ${TOOL} kernel-config ${from} --domains 16 -o ${dir}/elf/${to}
            RESULT_VARIABLE configured)
        if(NOT configured EQUAL 0)
            message(FATAL_ERROR "cannot configure the SDK's kernel ${to}")
        endif()
    endforeach()
    file(COPY_FILE ${LOADER} ${dir}/elf/initialiser.elf)
endforeach()

file(COPY ${SOURCE}/systems/microkit_sdk/ DESTINATION ${SDK}/example)
file(COPY ${SOURCE}/docs/microkit.md DESTINATION ${SDK}/doc)
file(WRITE ${SDK}/VERSION "2.3.0\n")
