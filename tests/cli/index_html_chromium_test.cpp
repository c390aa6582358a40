// DIR/index.html of a real characterize run, opened in headless Chromium (Debian's chromium): the
// page loads with no console message at all (it has no script, so any message is an error: a
// blocked load, a parse failure), and a screenshot shows every plot drawn, in the plot colours
// (cli/report/plot.cpp: designs #4477aa, Pareto front #cc3311), which the page's CSS never uses.
// A control page with a console error checks that this Chromium reports such errors where the test
// looks for them. Skips, saying why, when chromium (or the synthesis tools) are missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "models/files.hpp"
#include "support/cli_util.hpp"
#include "support/png_decode.hpp"
#include "support/temp_dir.hpp"
#include "support/tools.hpp"

namespace gm {
namespace {

namespace fs = std::filesystem;
using test::run_cli;

constexpr int kWidth = 1280, kHeight = 4200;  // tall enough for the whole page of two designs

struct Shot {
  RunResult run;
  std::vector<std::string> console;  // Chromium's CONSOLE log lines
};

// Loads `page` in headless Chromium (its own profile, so runs do not share state) and screenshots it.
Shot screenshot(const fs::path& page, const fs::path& png) {
  const fs::path profile = test::temp_dir("gm-chromium-profile");
  const std::vector<std::string> argv = {"chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                                         "--enable-logging=stderr", "--v=0", "--no-first-run",
                                         "--user-data-dir=" + profile.string(), "--screenshot=" + png.string(),
                                         "--window-size=" + std::to_string(kWidth) + "," + std::to_string(kHeight),
                                         "--hide-scrollbars", "file://" + fs::absolute(page).string()};
  Shot s;
  s.run = run_program(argv, {.timeout_s = 180});
  std::istringstream lines(s.run.output);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) s.console.push_back(line);
  std::error_code ec;
  fs::remove_all(profile, ec);
  return s;
}

bool near(const std::array<int, 3>& p, const std::array<int, 3>& c, int tol) {
  return std::abs(p[0] - c[0]) <= tol && std::abs(p[1] - c[1]) <= tol && std::abs(p[2] - c[2]) <= tol;
}

// The screenshot's rows that hold a pixel of `colour`, grouped into bands separated by more than
// `gap` rows without one: one band per plot that drew in that colour. Returns the pixel count.
size_t colour_bands(const test::RgbImage& img, const std::array<int, 3>& colour, int gap, int* bands) {
  size_t pixels = 0;
  int last_row = -1000000;
  *bands = 0;
  for (int y = 0; y < img.height; ++y) {
    size_t in_row = 0;
    for (int x = 0; x < img.width; ++x) in_row += near(img.at(x, y), colour, 12);
    if (!in_row) continue;
    if (y - last_row > gap) ++*bands;
    last_row = y;
    pixels += in_row;
  }
  return pixels;
}

TEST(IndexHtmlChromium, CharacterizePageLoadsCleanAndDrawsEveryPlot) {
  if (!test::tools_present({"chromium"})) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  if (!test::synth_tools_present() || !test::tools_present({"gnuplot"}))
    GTEST_SKIP() << "yosys, sta, the osu018 library or gnuplot missing";
  const fs::path dir = test::temp_dir("gm-index-chromium");
  const auto r = run_cli("characterize 'trunc:w=4,t=3' 'drum:w=4,k=2' -o " + (dir / "rep").string());
  ASSERT_EQ(r.rc, 0) << r.err;
  const fs::path page = dir / "rep" / "index.html";
  ASSERT_TRUE(fs::is_regular_file(page));
  const std::string html = read_file(page);
  for (const char* plot : {"power-mred-svg-", "area-mred-svg-", "energy-nmed-svg-"})
    EXPECT_NE(html.find(plot), std::string::npos) << plot << " not inlined";
  for (const char* remote : {"http:", "https:", "<script", "<link"}) EXPECT_EQ(html.find(remote), std::string::npos) << remote;

  // The control: a console error where this Chromium logs it.
  write_file_atomic(dir / "control.html", "<!DOCTYPE html><p>x</p><script>console.error('gm-control'); nosuchfn();</script>");
  const Shot control = screenshot(dir / "control.html", dir / "control.png");
  ASSERT_TRUE(control.run.ok()) << control.run.output;
  ASSERT_EQ(control.console.size(), 2u) << "the control's console error was not seen; Chromium's log:\n"
                                        << control.run.output;

  const Shot shot = screenshot(page, dir / "index.png");
  ASSERT_TRUE(shot.run.ok()) << shot.run.output;
  EXPECT_TRUE(shot.console.empty()) << "console messages:\n" << shot.console.front();

  const test::RgbImage img = test::decode_png(read_file(dir / "index.png"));
  ASSERT_EQ(img.width, kWidth);
  ASSERT_EQ(img.height, kHeight);
  // Three plots (power, area, energy against the error), four designs each (the two asked and the
  // exact and yosys baselines): each plot is a band of design points and a band of front marks.
  int design_bands = 0, front_bands = 0;
  const size_t design_px = colour_bands(img, {0x44, 0x77, 0xaa}, 150, &design_bands);
  const size_t front_px = colour_bands(img, {0xcc, 0x33, 0x11}, 150, &front_bands);
  EXPECT_EQ(design_bands, 3) << design_px << " design-point pixels; see " << (dir / "index.png");
  EXPECT_EQ(front_bands, 3) << front_px << " front pixels; see " << (dir / "index.png");
  EXPECT_GE(design_px, 3u * 40) << "see " << (dir / "index.png");
  EXPECT_GE(front_px, 3u * 100) << "see " << (dir / "index.png");
}

}  // namespace
}  // namespace gm
