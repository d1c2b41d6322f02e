# tessera_add_system_test(): one ctest that boots the kernel with a root task in QEMU and passes
# only on the suite's own `N passed, 0 failed` line and a guest exit status of 0.
#
#   tessera_add_system_test(<name> ROOT_TASK <target-or-file>
#       [KERNEL <target-or-file>]   default: ${CMAKE_BINARY_DIR}/kernel/tessera.elf
#       [TIMEOUT <seconds>]         default: 60 (the guest's limit; ctest's is 30 s more)
#       [EXPECT <regex>...]         lines that must appear, besides the summary
#       [LAUNCH_ARGS <arg>...]      more scripts/launch.py options (--module, --icount, ...)
#       [SUITE_ARGS <arg>...]       more tests/system/run_suite.py options (--no-summary, ...)
#       [LABELS <label>...])        added to the label "system"
#
# A target given as ROOT_TASK or KERNEL must already exist when this is called (it is then
# named by $<TARGET_FILE:...>); anything else is a file path, relative to the current binary dir.
# Per directory: the variables below are directory-scoped, so every folder that uses the function
# includes this file (the function itself is global and harmlessly defined again).
include_guard(DIRECTORY)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(TESSERA_RUN_SUITE ${CMAKE_CURRENT_LIST_DIR}/../tests/system/run_suite.py)
set(TESSERA_LAUNCH ${CMAKE_CURRENT_LIST_DIR}/../scripts/launch.py)
cmake_path(NORMAL_PATH TESSERA_RUN_SUITE)
cmake_path(NORMAL_PATH TESSERA_LAUNCH)

# The file a target builds, or the path itself made absolute: what a ctest command needs.
function(_tessera_system_test_file out value)
    if(TARGET ${value})
        set(${out} $<TARGET_FILE:${value}> PARENT_SCOPE)
    else()
        cmake_path(ABSOLUTE_PATH value BASE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
        set(${out} ${value} PARENT_SCOPE)
    endif()
endfunction()

function(tessera_add_system_test name)
    cmake_parse_arguments(ARG "" "ROOT_TASK;KERNEL;TIMEOUT"
                          "EXPECT;LAUNCH_ARGS;SUITE_ARGS;LABELS" ${ARGN})
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "tessera_add_system_test(${name}): unknown ${ARG_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT ARG_ROOT_TASK)
        message(FATAL_ERROR "tessera_add_system_test(${name}): ROOT_TASK is required")
    endif()
    if(NOT ARG_KERNEL)
        set(ARG_KERNEL ${CMAKE_BINARY_DIR}/kernel/tessera.elf)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 60)
    endif()
    _tessera_system_test_file(root_task ${ARG_ROOT_TASK})
    _tessera_system_test_file(kernel ${ARG_KERNEL})

    set(expect_args)
    foreach(regex IN LISTS ARG_EXPECT)
        list(APPEND expect_args --expect ${regex})
    endforeach()

    add_test(NAME ${name}
        COMMAND ${Python3_EXECUTABLE} ${TESSERA_RUN_SUITE} --timeout ${ARG_TIMEOUT}
                ${expect_args} ${ARG_SUITE_ARGS}
                -- --build ${CMAKE_BINARY_DIR} --kernel ${kernel} --root-task ${root_task}
                ${ARG_LAUNCH_ARGS})
    # ctest's own limit only backs up the launcher's, which reports a timeout with the serial tail.
    math(EXPR ctest_timeout "${ARG_TIMEOUT} + 30")
    set_tests_properties(${name} PROPERTIES
        LABELS "system;${ARG_LABELS}"
        TIMEOUT ${ctest_timeout})
endfunction()

# tessera_register_example_system(NAME IMAGE file EXPECT regex... [LAUNCH_ARGS arg...]
#                                 [RUNNER command...]): records that system.systems.NAME boots
# systems/NAME.system from IMAGE, expecting those lines, so that tests/system/on_sel4 boots the
# same file on seL4's kernel and expects the same (LAUNCH_ARGS: the launcher options the system
# needs on any kernel, such as --icount; not Tessera's --append). RUNNER, when given, runs instead
# of run_suite.py and gets run_suite.py's arguments: for a system that needs something made before
# the boot and checked after it (the block system's fresh disk image).
function(tessera_register_example_system name)
    cmake_parse_arguments(ARG "" "IMAGE" "EXPECT;LAUNCH_ARGS;RUNNER" ${ARGN})
    set_property(GLOBAL APPEND PROPERTY TESSERA_EXAMPLE_SYSTEMS ${name})
    set_property(GLOBAL PROPERTY TESSERA_EXAMPLE_SYSTEM_${name}_IMAGE ${ARG_IMAGE})
    set_property(GLOBAL PROPERTY TESSERA_EXAMPLE_SYSTEM_${name}_EXPECT ${ARG_EXPECT})
    set_property(GLOBAL PROPERTY TESSERA_EXAMPLE_SYSTEM_${name}_LAUNCH_ARGS ${ARG_LAUNCH_ARGS})
    set_property(GLOBAL PROPERTY TESSERA_EXAMPLE_SYSTEM_${name}_RUNNER ${ARG_RUNNER})
endfunction()
