// How many iterations the typed-call benchmark runs: the full run for `make bench`, a short one
// for the smoke test in `make test` (typed_call_size_full.cc, typed_call_size_smoke.cc).
#pragma once

struct TypedCallSize {
    unsigned warmup;
    unsigned measured;
};

inline constexpr unsigned MaxIterations = 10000;

extern const TypedCallSize typed_call_size;
