# Compiler flag sets for the three worlds Tessera builds in one CMake tree:
# the freestanding kernel, freestanding user components, and host programs (tests, tools).

set(TESSERA_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# The kernel: no exceptions, RTTI, red zone, SSE or heap; linked at the top 2 GiB.
add_library(tessera_kernel_flags INTERFACE)
target_compile_options(tessera_kernel_flags INTERFACE
    ${TESSERA_WARNINGS}
    -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie -fno-common
    -mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-omit-frame-pointer
    -fno-asynchronous-unwind-tables -O2 -g
    $<$<COMPILE_LANGUAGE:CXX>:-std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit>
    $<$<COMPILE_LANGUAGE:C>:-std=c11>)
target_compile_definitions(tessera_kernel_flags INTERFACE TESSERA_KERNEL=1)
target_link_options(tessera_kernel_flags INTERFACE
    -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,--no-relax
    -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)

# User components: freestanding, statically linked, SSE allowed (the kernel saves FPU state).
add_library(tessera_user_flags INTERFACE)
target_compile_options(tessera_user_flags INTERFACE
    ${TESSERA_WARNINGS}
    -ffreestanding -fno-stack-protector -fno-pic -fno-pie -fno-common -O2 -g
    -fno-asynchronous-unwind-tables
    $<$<COMPILE_LANGUAGE:CXX>:-std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit>
    $<$<COMPILE_LANGUAGE:C>:-std=c11>)
target_compile_definitions(tessera_user_flags INTERFACE TESSERA_USER=1)
target_link_options(tessera_user_flags INTERFACE
    -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack)

# Host programs: ordinary hosted C++20.
add_library(tessera_host_flags INTERFACE)
target_compile_options(tessera_host_flags INTERFACE ${TESSERA_WARNINGS}
    $<$<COMPILE_LANGUAGE:CXX>:-std=c++20>)

# Host programs built with AddressSanitizer and UBSan (tests of portable code run both ways).
add_library(tessera_host_sanitize_flags INTERFACE)
target_compile_options(tessera_host_sanitize_flags INTERFACE ${TESSERA_WARNINGS}
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    $<$<COMPILE_LANGUAGE:CXX>:-std=c++20>)
target_link_options(tessera_host_sanitize_flags INTERFACE -fsanitize=address,undefined)

# common/base (Result, the ELF64 layouts) is every world's vocabulary: linked here, through the
# flag targets every target in the tree uses, rather than by each library (common/base/README.md).
foreach(world tessera_kernel_flags tessera_user_flags tessera_host_flags tessera_host_sanitize_flags)
    target_link_libraries(${world} INTERFACE tessera_base)
endforeach()

# tessera_add_library(NAME VARIANTS host kernel user SOURCES ... INCLUDES ... )
# One source list, compiled once per world: NAME_host, NAME_kernel, NAME_user (and NAME_asan
# when "asan" is listed). Portable code is written once and used by kernel, user code and tests.
function(tessera_add_library name)
    cmake_parse_arguments(ARG "" "" "VARIANTS;SOURCES;INCLUDES;LINKS" ${ARGN})
    foreach(variant ${ARG_VARIANTS})
        set(target ${name}_${variant})
        add_library(${target} STATIC ${ARG_SOURCES})
        if(variant STREQUAL "asan")
            target_link_libraries(${target} PUBLIC tessera_host_sanitize_flags)
        else()
            target_link_libraries(${target} PUBLIC tessera_${variant}_flags)
        endif()
        target_include_directories(${target} PUBLIC ${ARG_INCLUDES})
        foreach(dep ${ARG_LINKS})
            target_link_libraries(${target} PUBLIC ${dep}_${variant})
        endforeach()
    endforeach()
endfunction()

# Adds every immediate subfolder of the current folder that has a CMakeLists.txt, in name order
# except that the folders named after LAST come last (in that order): those that read what the
# others registered.
function(tessera_add_subfolders)
    cmake_parse_arguments(ARG "" "" "LAST" ${ARGN})
    file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
         ${CMAKE_CURRENT_SOURCE_DIR}/*)
    list(SORT children)
    if(ARG_LAST)
        list(REMOVE_ITEM children ${ARG_LAST})
        list(APPEND children ${ARG_LAST})
    endif()
    foreach(child ${children})
        if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
           AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
            add_subdirectory(${child})
        endif()
    endforeach()
endfunction()
