// The captured machines, loaded once per test.
#pragma once

#include "fake_machine.h"

#include <gtest/gtest.h>

namespace tessera::pci::test {

inline FakeMachine captured(const char* name)
{
    FakeMachine machine;
    std::string why;
    const bool loaded = machine.load(std::string(TESSERA_PCI_TEST_DATA) + "/" + name + ".txt", why);
    EXPECT_TRUE(loaded) << why;
    return machine;
}

} // namespace tessera::pci::test
