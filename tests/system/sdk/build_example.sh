#!/bin/sh
# Builds a Microkit program out of the tree, as a Microkit user would, then boots it.
#   build_example.sh SDK EXAMPLE_DIR CONFIG -- RUN_SUITE_ARGS...   the example's own Makefile
#   build_example.sh SDK plain CONFIG -- RUN_SUITE_ARGS...          plain gcc and ld, then bin/microkit
# The example is copied to a fresh directory outside the source and build trees; everything is
# built there, the kernel lands beside the image (as Microkit's tool writes it), and
# tests/system/run_suite.py boots it with RUN_SUITE_ARGS, in which @IMAGE@ and @KERNEL@ stand
# for the built files. The directory is removed afterwards.
set -eu
sdk=$(cd "$1" && pwd); example=$2; config=$3
shift 3
[ "$1" = "--" ] && shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-sdk-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM HUP
board=x86_64_generic

if [ "$example" = plain ]; then
    # The commands of docs/microkit.md, "Without a Makefile", on Microkit's smallest program.
    board_dir=$sdk/board/$board/$config
    cat > "$work/hello.c" <<'PROGRAM'
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world, from ");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch) {}
PROGRAM
    cat > "$work/hello.system" <<'SYSTEM'
<system>
    <protection_domain name="hello">
        <program_image path="hello.elf" />
    </protection_domain>
</system>
SYSTEM
    (cd "$work" &&
        gcc -c -nostdlib -ffreestanding -g -O2 -Wall -Werror -I"$board_dir/include" hello.c &&
        ld -L"$board_dir/lib" hello.o -lmicrokit -Tmicrokit.ld -o hello.elf &&
        "$sdk/bin/microkit" hello.system --search-path . --board $board --config "$config" \
            -o loader.img -r report.txt)
    image=$work/loader.img
else
    cp -r "$example" "$work/source"
    make -C "$work/source" --no-print-directory BUILD_DIR="$work/build" MICROKIT_SDK="$sdk" \
        MICROKIT_BOARD=$board MICROKIT_CONFIG="$config"
    image=$work/build/loader.img
fi
kernel=$(dirname "$image")/sel4_32.elf
test -f "$kernel" || { echo "build_example.sh: the tool wrote no sel4_32.elf beside $image"; exit 1; }

# The run's arguments with the built files filled in.
for argument in "$@"; do
    case $argument in
        *@IMAGE@*|*@KERNEL@*)
            argument=$(printf '%s' "$argument" | sed "s|@IMAGE@|$image|g; s|@KERNEL@|$kernel|g") ;;
    esac
    set -- "$@" "$argument"
    shift
done
python3 "$here/../run_suite.py" "$@"
