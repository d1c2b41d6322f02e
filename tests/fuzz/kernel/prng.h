// The fuzzer's only source of randomness. Every decision is a function of the seed and of where
// it is made (world building, control operation i, worker w's turn t), never of what happened
// before, so that a run replays exactly and the shrinker can drop operations without shifting
// the ones after them.
#pragma once

#include <sel4/sel4.h>

namespace fuzz {

// splitmix64: a full-period 64-bit generator, good enough to drive a fuzzer and trivial to seed.
class Prng {
public:
    explicit Prng(seL4_Word seed) : state_(seed) {}
    // A stream for one place in the run: `seed` mixed with up to three coordinates.
    static Prng at(seL4_Word seed, seL4_Word a, seL4_Word b = 0, seL4_Word c = 0)
    {
        Prng mix(seed ^ 0x6a09e667f3bcc909ull);
        mix.state_ ^= mix.next() + a * 0x9e3779b97f4a7c15ull;
        mix.state_ ^= mix.next() + b * 0xbf58476d1ce4e5b9ull;
        mix.state_ ^= mix.next() + c * 0x94d049bb133111ebull;
        return Prng(mix.next());
    }

    seL4_Word next()
    {
        seL4_Word z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound); bound > 0. The modulo bias is irrelevant at these sizes.
    seL4_Word below(seL4_Word bound) { return next() % bound; }
    // True with probability percent/100.
    bool chance(unsigned percent) { return below(100) < percent; }
    seL4_Word between(seL4_Word low, seL4_Word high) { return low + below(high - low + 1); }

private:
    seL4_Word state_;
};

} // namespace fuzz
