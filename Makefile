# Tessera: the two commands of the quick start are `make run` and `make test`.
# CMake and Ninja do the building; this file only names the entry points.

BUILD     ?= build
CMAKE_ARGS ?=
ROOT_TASK ?=
LAUNCH    := python3 scripts/launch.py

.PHONY: all deps build run test bench debug clean fuzz-kernel

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_ARGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

# The default system: the loader starts a client and a server that talk over a channel and
# shared memory (examples/client_server, docs/systems.md); QEMU ends when both wait.
DEFAULT_SYSTEM := examples/client_server/client_server.system

run: build
ifeq ($(ROOT_TASK),)
	$(BUILD)/tools/tessera/tessera run $(DEFAULT_SYSTEM) --search-path $(BUILD)/examples/client_server --exit-on-idle
else
	$(LAUNCH) --build $(BUILD) --root-task $(ROOT_TASK) --interactive
endif

debug: build
	$(LAUNCH) --build $(BUILD) $(if $(ROOT_TASK),--root-task $(ROOT_TASK)) --gdb

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 600

# The in-system kernel fuzzer for longer than `make test` runs it (tests/fuzz/kernel, docs/testing.md):
# make fuzz-kernel SEEDS=N [START=seed] [INVOCATIONS=per seed]
SEEDS       ?= 10
START       ?= 1
INVOCATIONS ?= 100000

fuzz-kernel: build
	python3 tests/fuzz/kernel/fuzz_kernel.py --build $(BUILD) --seeds $(SEEDS) --start $(START) --invocations $(INVOCATIONS)

bench: build
	cmake --build $(BUILD) --target bench

clean:
	rm -rf $(BUILD)
