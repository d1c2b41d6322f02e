#!/bin/sh
# <microkit.h> of the SDK with the strictest usual warnings, as errors: gcc and clang in C11,
# g++ in C++20, for both configurations (every_call.c uses every call).
#   header_compiles.sh SDK
set -eu
sdk=$1
here=$(cd "$(dirname "$0")" && pwd)
warnings="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
for config in debug release; do
    include=$sdk/board/x86_64_generic/$config/include
    gcc -std=c11 -ffreestanding -fsyntax-only $warnings -Wno-unused-parameter -I"$include" "$here/every_call.c"
    gcc -std=c11 -ffreestanding -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter -O3 -I"$include" "$here/every_call.c"
    clang -std=c11 -ffreestanding -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter -I"$include" "$here/every_call.c"
    # C++: the same calls; `protected` is a C++ keyword, so a C++ PD cannot define that entry.
    g++ -std=c++20 -ffreestanding -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter -x c++ -I"$include" "$here/every_call.c"
done
echo "microkit.h: clean in C (gcc, clang) and C++ (g++), debug and release"
