# The real seL4 as reference binaries (kernels, sel4test, sel4bench), kept beside the repository in
# ../shared/sel4 (its README.md; DESIGN.md decision 12). Tests and benchmarks that boot them read
# the folder when they run, not when CMake configures, and report a ctest skip naming the missing
# file when it is absent (tessera_sel4_reference_command), never a silent pass.
# Per directory: the variables below are directory-scoped, so every folder that uses the function
# includes this file (the function itself is global and harmlessly defined again).
include_guard(DIRECTORY)

find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(TESSERA_SEL4_DIR "${CMAKE_SOURCE_DIR}/../shared/sel4" CACHE PATH
    "folder holding seL4's reference binaries (kernel-*.elf, sel4test-driver.elf, sel4bench.elf)")
cmake_path(NORMAL_PATH TESSERA_SEL4_DIR)
set(TESSERA_REQUIRE_SEL4 ${CMAKE_CURRENT_LIST_DIR}/../tests/system/conformance/require_sel4.py)
cmake_path(NORMAL_PATH TESSERA_REQUIRE_SEL4)
# The exit status require_sel4.py uses for "skipped"; give it to SKIP_RETURN_CODE.
set(TESSERA_SEL4_SKIP_CODE 77)

# tessera_sel4_reference_command(<out> FILES <name>... COMMAND <arg>...): <out> becomes a command
# that runs COMMAND only when every named file exists in TESSERA_SEL4_DIR, else exits
# TESSERA_SEL4_SKIP_CODE after one line saying which file is missing.
function(tessera_sel4_reference_command out)
    cmake_parse_arguments(ARG "" "" "FILES;COMMAND" ${ARGN})
    set(need)
    foreach(file IN LISTS ARG_FILES)
        list(APPEND need --need ${TESSERA_SEL4_DIR}/${file})
    endforeach()
    set(${out} ${Python3_EXECUTABLE} ${TESSERA_REQUIRE_SEL4} ${need} -- ${ARG_COMMAND} PARENT_SCOPE)
endfunction()
