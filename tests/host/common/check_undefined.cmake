# cmake -DNM=<nm> -DLIBRARY=<archive> -DALLOWED=<a;b> -P check_undefined.cmake
# Fails if the archive needs any symbol from outside itself other than ALLOWED: the kernel links
# the formatter with no C library, so a compiler-generated memcpy call would break its link.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${NM} -u ${LIBRARY} OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "U [^\n]+" undefined "${listing}")
foreach(entry ${undefined})
    string(SUBSTRING "${entry}" 2 -1 symbol)
    if(NOT symbol IN_LIST ALLOWED)
        message(FATAL_ERROR "${LIBRARY} needs ${symbol}")
    endif()
endforeach()
message(STATUS "self-contained: ${LIBRARY}")
