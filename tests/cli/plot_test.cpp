// The plots (cli/report/plot.cpp): runs that draw the same plot into one folder at once each finish
// whole (two characterize runs with the same -o once failed with an internal error, as both drew
// through the same temporary names), nothing half-drawn is left behind, and the kept script
// redraws the pictures from the kept data.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/report/plot.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

gm::ScatterPlot small_plot() {
  gm::ScatterPlot p;
  p.stem = "power_mred";
  p.title = "a title with 'quotes'";
  p.xlabel = "MRED (%)";
  p.ylabel = "power (uW)";
  p.points = {{"exact", 0.0, 100.0, true}, {"drum:k=4", 1.5, 60.0, true}, {"trunc:t=2", 2.0, 80.0, false}};
  return p;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST(Plot, DrawingsOfOnePlotIntoOneFolderAtOnceEachFinishWhole) {
  if (!gm::have_tool("gnuplot")) GTEST_SKIP() << "gnuplot not installed";
  const fs::path dir = gm::test::temp_dir("gm-plot");
  const gm::ScatterPlot plot = small_plot();
  constexpr int kWriters = 6;
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i)
    writers.emplace_back([&, i] {
      try {
        gm::draw_scatter(plot, dir);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : writers) t.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(errors[i], "") << "writer " << i;
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"power_mred.dat", "power_mred.gp", "power_mred.png", "power_mred.svg"}))
      << "only the finished files, no temporaries";
  EXPECT_GT(fs::file_size(dir / "power_mred.png"), 1000u);
  EXPECT_NE(gm::read_file(dir / "power_mred.svg").find("</svg>"), std::string::npos) << "a whole SVG";
  fs::remove_all(dir);
}

TEST(Plot, TheKeptScriptRedrawsThePicturesFromTheKeptData) {
  if (!gm::have_tool("gnuplot")) GTEST_SKIP() << "gnuplot not installed";
  const fs::path dir = gm::test::temp_dir("gm-plot");
  gm::draw_scatter(small_plot(), dir);
  fs::remove(dir / "power_mred.png");
  fs::remove(dir / "power_mred.svg");
  const gm::RunResult r = gm::run_program({"gnuplot", "power_mred.gp"}, {.cwd = dir});
  ASSERT_TRUE(r.ok()) << r.output;
  EXPECT_GT(fs::file_size(dir / "power_mred.png"), 1000u);
  EXPECT_NE(gm::read_file(dir / "power_mred.svg").find("drum:k=4"), std::string::npos) << "the data's labels";
  EXPECT_EQ(names_in(dir).size(), 4u) << "the script writes under the kept names";
  fs::remove_all(dir);
}

TEST(Plot, AFailedDrawingLeavesNoPictureAndNoTemporary) {
  if (!gm::have_tool("gnuplot")) GTEST_SKIP() << "gnuplot not installed";
  const fs::path dir = gm::test::temp_dir("gm-plot");
  gm::ScatterPlot plot = small_plot();
  plot.log_x = true;
  plot.points = {{"zero", 0.0, 1.0, true}, {"negative", -1.0, 2.0, false}};  // no point gnuplot can place on a log axis
  EXPECT_THROW(gm::draw_scatter(plot, dir), gm::UserError);
  const auto left = names_in(dir);
  EXPECT_TRUE(left.empty()) << *left.begin();
  fs::remove_all(dir);
}
