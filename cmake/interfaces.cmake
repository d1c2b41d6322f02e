# Typed interfaces (docs/interfaces.md): run `tessera gen` before the programs that include the
# headers it writes are compiled.
#
#   tessera_generate_interfaces(NAME SYSTEM <file.system> INTERFACES <interface>...)
#       target NAME writes <interface>.h and <interface>.hpp into ${CMAKE_CURRENT_BINARY_DIR}/NAME
#   tessera_use_interfaces(<target> NAME)
#       <target> compiles with those headers, after they are written
#
# `tessera gen` leaves unchanged headers untouched, so a program is recompiled only when what
# its header says changes; `tessera build` then checks that every program holds the current
# generation.
include_guard(GLOBAL)

function(tessera_generate_interfaces name)
    cmake_parse_arguments(ARG "" "SYSTEM" "INTERFACES" ${ARGN})
    if(NOT ARG_SYSTEM OR NOT ARG_INTERFACES)
        message(FATAL_ERROR "tessera_generate_interfaces(${name}): SYSTEM and INTERFACES are required")
    endif()
    set(directory ${CMAKE_CURRENT_BINARY_DIR}/${name})
    set(headers)
    foreach(interface ${ARG_INTERFACES})
        list(APPEND headers ${directory}/${interface}.h ${directory}/${interface}.hpp)
    endforeach()
    add_custom_command(OUTPUT ${headers}
        COMMAND tessera_tool gen ${ARG_SYSTEM} -o ${directory}
        DEPENDS tessera_tool ${ARG_SYSTEM}
        COMMENT "tessera gen ${ARG_SYSTEM}")
    add_custom_target(${name} DEPENDS ${headers})
    set_target_properties(${name} PROPERTIES TESSERA_GENERATED_DIRECTORY ${directory})
endfunction()

function(tessera_use_interfaces target name)
    get_target_property(directory ${name} TESSERA_GENERATED_DIRECTORY)
    target_include_directories(${target} PRIVATE ${directory})
    add_dependencies(${target} ${name})
endfunction()
