# `make sdk`: build/sdk/, laid out as the SDK of seL4 Microkit 2.3.0 for the board
# x86_64_generic (docs/microkit.md):
#   bin/microkit                                   the tessera tool, answering Microkit's command line
#   board/x86_64_generic/{debug,release}/include/  microkit.h, libsel4's headers, kernel/gen_config.h
#   board/x86_64_generic/{debug,release}/lib/      libmicrokit.a, microkit.ld
#   board/x86_64_generic/{debug,release}/elf/      sel4.elf (64-bit), sel4_32.elf (Multiboot),
#                                                  initialiser.elf (the loader)
#   example/                                       the out-of-tree example of docs/microkit.md
# Part of the default build, so `make test` builds programs against it out of the tree.
set(TESSERA_SDK_DIR ${CMAKE_BINARY_DIR}/sdk)
file(GLOB_RECURSE sdk_header_inputs CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/user/lib/sel4/include/*.h ${PROJECT_SOURCE_DIR}/abi/include/*.h
    ${PROJECT_SOURCE_DIR}/user/lib/microkit/include/*.h)
file(GLOB_RECURSE sdk_example_inputs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/systems/microkit_sdk/*)

add_custom_command(OUTPUT ${TESSERA_SDK_DIR}/VERSION
    COMMAND ${CMAKE_COMMAND}
        -DSDK=${TESSERA_SDK_DIR} -DSOURCE=${PROJECT_SOURCE_DIR}
        -DGENERATED_ABI=${TESSERA_ABI_GENERATED_DIR} -DGENERATED_SEL4=${TESSERA_SEL4_GENERATED_DIR}
        -DTOOL=$<TARGET_FILE:tessera_tool>
        -DKERNEL64=$<TARGET_FILE:tessera_kernel> -DKERNEL32=${CMAKE_BINARY_DIR}/kernel/tessera.elf
        -DKERNEL64_RELEASE=$<TARGET_FILE:tessera_kernel_release>
        -DKERNEL32_RELEASE=${CMAKE_BINARY_DIR}/kernel/tessera-release.elf
        -DLOADER=$<TARGET_FILE:loader>
        -DLIB_DEBUG=$<TARGET_FILE:microkit_sdk_debug> -DLIB_RELEASE=$<TARGET_FILE:microkit_sdk_release>
        -P ${CMAKE_CURRENT_LIST_DIR}/sdk_assemble.cmake
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/sdk_assemble.cmake ${sdk_header_inputs} ${sdk_example_inputs}
        ${PROJECT_SOURCE_DIR}/user/lib/microkit/microkit.ld tessera_abi_generate
        tessera_tool tessera_kernel kernel tessera_kernel_release kernel_release loader microkit_sdk_debug
        microkit_sdk_release
    COMMENT "Assembling the Microkit SDK in ${TESSERA_SDK_DIR}")
add_custom_target(sdk ALL DEPENDS ${TESSERA_SDK_DIR}/VERSION)
