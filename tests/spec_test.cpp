#include <gtest/gtest.h>
#include "models/spec.hpp"
TEST(Spec, Placeholder) { EXPECT_TRUE(gm::find_family("exact") != nullptr); }
