#include "ioport/issued_ports.h"

namespace tessera::core {

Word IssuedPorts::range_mask(unsigned index, unsigned first, unsigned last)
{
    const unsigned word_first = index * WordBits;
    const unsigned low = first > word_first ? first - word_first : 0;
    const unsigned high = last < word_first + WordBits - 1 ? last - word_first : WordBits - 1;
    return mask(high + 1) & ~mask(low);
}

bool IssuedPorts::is_free(IoPort first, IoPort last) const
{
    for (unsigned i = first.raw() / WordBits; i <= last.raw() / WordBits; i++)
        if ((bits_[i] & range_mask(i, first.raw(), last.raw())) != 0)
            return false;
    return true;
}

void IssuedPorts::mark(IoPort first, IoPort last, Mark m)
{
    for (unsigned i = first.raw() / WordBits; i <= last.raw() / WordBits; i++) {
        const Word bits = range_mask(i, first.raw(), last.raw());
        bits_[i] = m == Mark::Issued ? bits_[i] | bits : bits_[i] & ~bits;
    }
}

void IssuedPorts::claim(IoPort first, IoPort last)
{
    mark(first, last, Mark::Issued);
}

void IssuedPorts::release(IoPort first, IoPort last)
{
    mark(first, last, Mark::Free);
}

} // namespace tessera::core
