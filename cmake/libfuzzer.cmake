# tessera_find_libfuzzer(): sets TESSERA_FUZZ_CXX (clang++), TESSERA_FUZZ_FLAGS,
# TESSERA_FUZZ_DEPENDS (the headers those flags bring in) and TESSERA_HAVE_LIBFUZZER for the
# folders that build libFuzzer targets apart from the gcc build (tools/tessera/fuzz,
# tests/fuzz/ext2). clang alone is not enough: libFuzzer's runtime comes in
# its own package (libclang-rt-14-dev), so a one-line target is built to find out.
function(tessera_find_libfuzzer)
    find_program(TESSERA_FUZZ_CXX NAMES clang++-14 clang++)
    # common/base is every world's vocabulary (cmake/flags.cmake links it into the gcc worlds); the
    # clang-built fuzzers get it here, their one flag place.
    set(flags -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -I${PROJECT_SOURCE_DIR}/common/base/include)
    set(TESSERA_FUZZ_FLAGS ${flags} PARENT_SCOPE)
    # The custom commands know no header scanning: a change to a base header must rebuild them.
    file(GLOB_RECURSE base_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/common/base/include/*.h)
    set(TESSERA_FUZZ_DEPENDS ${base_headers} PARENT_SCOPE)
    set(TESSERA_HAVE_LIBFUZZER FALSE PARENT_SCOPE)
    if(NOT TESSERA_FUZZ_CXX)
        return()
    endif()
    set(probe ${CMAKE_CURRENT_BINARY_DIR}/libfuzzer_probe.cc)
    file(WRITE ${probe} "#include <cstddef>\n#include <cstdint>\nextern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n")
    execute_process(COMMAND ${TESSERA_FUZZ_CXX} ${flags} ${probe} -o ${CMAKE_CURRENT_BINARY_DIR}/libfuzzer_probe
                    RESULT_VARIABLE probe_status OUTPUT_QUIET ERROR_QUIET)
    if(probe_status EQUAL 0)
        set(TESSERA_HAVE_LIBFUZZER TRUE PARENT_SCOPE)
    endif()
endfunction()
