// The cost of each gate op in OSU018, against the cell areas read by hand from
// /usr/share/qflow/tech/osu018/osu018_stdcells.lib: INVX1 16, NAND2X1 and NOR2X1 24, AND2X1/X2 and
// OR2X1/X2 32, XOR2X1 and XNOR2X1 56. OSU018 has no cell for x & ~y or x | ~y: the cheapest is an
// inverter before a NOR2 (~(~x | y) = x & ~y) or a NAND2 (~(~x & y) = x | ~y), 16 + 24 = 40.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "synth/evo_cell_costs.hpp"
#include "synth/mult_synth.hpp"
#include "tests/support/temp_dir.hpp"

using gm::evo::GateOp;

TEST(EvoCellCosts, Osu018AreasOfEveryOp) {
  if (!std::filesystem::exists(gm::kOsu018Lib)) GTEST_SKIP() << "the osu018 library is missing";
  const gm::evo::GateCosts c = gm::evo_gate_costs(gm::kOsu018Lib);
  const auto area = [&](GateOp op) { return c.area[static_cast<size_t>(op)]; };
  EXPECT_EQ(area(GateOp::kNot), 16);
  EXPECT_EQ(area(GateOp::kNand), 24);
  EXPECT_EQ(area(GateOp::kNor), 24);
  EXPECT_EQ(area(GateOp::kAnd), 32);
  EXPECT_EQ(area(GateOp::kOr), 32);
  EXPECT_EQ(area(GateOp::kXor), 56);
  EXPECT_EQ(area(GateOp::kXnor), 56);
  EXPECT_EQ(area(GateOp::kAndNot), 40);
  EXPECT_EQ(area(GateOp::kOrNot), 40);
  EXPECT_EQ(area(GateOp::kBuf), 0);
}

TEST(EvoCellCosts, ALibraryWithoutAnInverterIsRefused) {
  const auto dir = gm::test::temp_dir("gm-test-evo-costs");
  const auto lib = dir / "noinv.lib";
  gm::write_file_atomic(lib, R"lib(library (tiny) {
  cell (NAND2) { area : 4; pin (A) { direction : input; } pin (B) { direction : input; }
    pin (Y) { direction : output; function : "!(A&B)"; } }
})lib");
  EXPECT_THROW(gm::evo_gate_costs(lib), gm::UserError);
  std::filesystem::remove_all(dir);
}
