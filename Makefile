# Tessera: the two commands of the quick start are `make run` and `make test`.
# CMake and Ninja do the building; this file only names the entry points.

BUILD     ?= build
CMAKE_ARGS ?=
ROOT_TASK ?=
# The kernel to boot: tessera (the default, the debug kernel), tessera-release, sel4-debug,
# sel4-release (seL4's reference kernels in ../shared/sel4, docs/booting.md) or a path to a
# 32-bit Multiboot kernel.
KERNEL    ?=
# Guest memory for `make run ROOT_TASK=...`: 3 GiB, what seL4's own simulate gives sel4test (its
# FRAMEEXPORTS0001 maps a 1 GiB frame, so 512 MiB fails it on seL4 too; docs/booting.md).
MEMORY    ?= 3G
# Seconds after which `make run` stops the guest (exit status 124); none by default. seL4's kernel
# has no idle exit, so off a terminal `make run KERNEL=sel4-...` ends only on the system's exit or
# at TIMEOUT.
TIMEOUT   ?=
LAUNCH    := python3 scripts/launch.py

.PHONY: all deps build run run-build run-linux test bench fuzz debug clean fuzz-kernel sdk

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_ARGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

# The default system: the shell on the ext2 service, the block and serial virtualisers and their
# drivers (systems/shell.system, docs/shell.md), on the disk DISK. On a terminal it offers the
# prompt; off one it runs its input as a script, and the end of input halts it (status 0).
DEFAULT_SYSTEM := systems/shell.system
# The disk `make run` boots: an ext2 image of yours (written in place), or by default a fresh copy
# of the volume the build makes from systems/shell/disk by `mke2fs -d`, in the build tree.
DISK ?=
RUN_DISK := $(if $(DISK),$(DISK),$(BUILD)/systems/shell/run_disk.img)

# make run IMAGE=build/loader.img: boot an image the Microkit tool built (docs/microkit.md).
IMAGE ?=

# `make run` builds only what it boots: the kernel, the loader, the tool and the default system's
# programs (a few hundred files of the tree's thousands); `make` and `make test` build the rest.
# An IMAGE is already built: it needs the tool (and the kernel, when none is beside it).
RUN_TARGETS := $(if $(IMAGE),kernel tessera_tool,kernel loader tessera_tool system_$(basename $(notdir $(DEFAULT_SYSTEM)))_programs)

run-build: deps $(BUILD)/build.ninja
	@echo "make run: building $(if $(IMAGE),the kernel and the tessera tool to boot $(IMAGE),the kernel, the loader, the tessera tool and the programs of $(DEFAULT_SYSTEM))"
	cmake --build $(BUILD) --target $(RUN_TARGETS)

run: run-build
ifneq ($(IMAGE),)
	$(BUILD)/tools/tessera/tessera boot $(IMAGE) $(if $(KERNEL),--kernel $(KERNEL)) $(if $(TIMEOUT),--timeout $(TIMEOUT))
else ifeq ($(ROOT_TASK),)
	$(if $(DISK),,cp $(BUILD)/systems/shell/shell_volume.img $(RUN_DISK))
	$(BUILD)/tools/tessera/tessera run $(DEFAULT_SYSTEM) --disk $(RUN_DISK) --exit-on-idle $(if $(KERNEL),--kernel $(KERNEL)) $(if $(TIMEOUT),--timeout $(TIMEOUT))
else
	$(LAUNCH) --build $(BUILD) --root-task $(ROOT_TASK) --memory $(MEMORY) --interactive $(if $(KERNEL),--kernel $(KERNEL)) $(if $(TIMEOUT),--timeout $(TIMEOUT))
endif

# make run-linux CMD='sh -c "echo hi"': one Linux command on the POSIX personality
# (`tessera linux`, docs/posix.md); its exit status is the command's.
CMD ?= sh
run-linux: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) --target kernel posix_server tessera_tool >/dev/null
	$(BUILD)/tools/tessera/tessera linux $(if $(TIMEOUT),--timeout $(TIMEOUT)) -- $(CMD)

debug: build
	$(LAUNCH) --build $(BUILD) $(if $(ROOT_TASK),--root-task $(ROOT_TASK)) $(if $(KERNEL),--kernel $(KERNEL)) --gdb

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 600

# The in-system kernel fuzzer for longer than `make test` runs it (tests/fuzz/kernel, docs/testing.md):
# make fuzz-kernel SEEDS=N [START=seed] [INVOCATIONS=per seed]
SEEDS       ?= 10
START       ?= 1
INVOCATIONS ?= 100000

fuzz-kernel: build
	python3 tests/fuzz/kernel/fuzz_kernel.py --build $(BUILD) --seeds $(SEEDS) --start $(START) --invocations $(INVOCATIONS)

# The Microkit SDK in $(BUILD)/sdk (docs/microkit.md).
sdk: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) --target sdk

bench: build
	cmake --build $(BUILD) --target bench

# The description fuzzer for FUZZ_SECONDS (default 600); `make test` runs a short fixed run.
fuzz: build
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),600) cmake --build $(BUILD) --target fuzz

clean:
	rm -rf $(BUILD)
