# Tessera: the two commands of the quick start are `make run` and `make test`.
# CMake and Ninja do the building; this file only names the entry points.

BUILD     ?= build
CMAKE_ARGS ?=
ROOT_TASK ?=
LAUNCH    := python3 scripts/launch.py

.PHONY: all deps build run test bench debug clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_ARGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

run: build
	$(LAUNCH) --build $(BUILD) $(if $(ROOT_TASK),--root-task $(ROOT_TASK)) --interactive

debug: build
	$(LAUNCH) --build $(BUILD) $(if $(ROOT_TASK),--root-task $(ROOT_TASK)) --gdb

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 600

bench: build
	cmake --build $(BUILD) --target bench

clean:
	rm -rf $(BUILD)
