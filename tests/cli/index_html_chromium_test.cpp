// DIR/index.html of a real characterize run, opened in headless Chromium (Debian's chromium): the
// page loads with no console message at all (it has no script, so any message is an error: a
// blocked load, a parse failure), and a screenshot shows every plot drawn, in the plot colours
// (cli/report/plot.cpp: designs #4477aa, Pareto front #cc3311), which the page's CSS never uses.
// A control page with a console error checks that this Chromium reports such errors where the test
// looks for them. Skips, saying why, when chromium (or the synthesis tools) are missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/png_decode.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

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

// The plots' frames (index_html.cpp draws each inlined SVG in a 1-pixel #d8d0c8 border, a colour
// used for nothing else): the rows with a long run of that colour, adjacent rows taken as one line;
// a frame is a top line and the next (bottom) line. Returns [top, bottom) row ranges.
std::vector<std::pair<int, int>> plot_frames(const test::RgbImage& img) {
  std::vector<int> lines;
  for (int y = 0; y < img.height; ++y) {
    int run = 0, longest = 0;
    for (int x = 0; x < img.width; ++x) {
      run = near(img.at(x, y), {0xd8, 0xd0, 0xc8}, 6) ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    if (longest >= 500 && (lines.empty() || y > lines.back() + 2)) lines.push_back(y);
  }
  std::vector<std::pair<int, int>> frames;
  for (size_t i = 0; i + 1 < lines.size(); i += 2) frames.push_back({lines[i], lines[i + 1]});
  return frames;
}

size_t pixels_of(const test::RgbImage& img, const std::array<int, 3>& colour, int top, int bottom) {
  size_t n = 0;
  for (int y = top; y < bottom; ++y)
    for (int x = 0; x < img.width; ++x) n += near(img.at(x, y), colour, 12);
  return n;
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
  // Three plots (power, area, energy against the error), each with four designs (the two asked and
  // the exact and yosys baselines) and their legend: design points in #4477aa, the Pareto front's
  // staircase and rings in #cc3311. A plot that does not render has an empty frame.
  const auto frames = plot_frames(img);
  ASSERT_EQ(frames.size(), 3u) << "plot frames found; see " << (dir / "index.png");
  for (const auto& [top, bottom] : frames) {
    EXPECT_GE(bottom - top, 300) << "a plot of 1000x700 drawn " << bottom - top << " rows high";
    EXPECT_GE(pixels_of(img, {0x44, 0x77, 0xaa}, top, bottom), 5u * 20) << "design points in rows " << top << ".."
                                                                        << bottom << "; see " << (dir / "index.png");
    EXPECT_GE(pixels_of(img, {0xcc, 0x33, 0x11}, top, bottom), 200u) << "Pareto front in rows " << top << ".." << bottom
                                                                     << "; see " << (dir / "index.png");
  }
  // Outside the frames the page has neither colour.
  const int first = frames.front().first, last = frames.back().second;
  EXPECT_EQ(pixels_of(img, {0x44, 0x77, 0xaa}, 0, first) + pixels_of(img, {0x44, 0x77, 0xaa}, last, img.height), 0u);
}

// greenmac index DIR rebuilds the page; a DIR that is not a folder is one error line and no page.
TEST(IndexCli, RebuildsThePageAndRefusesANonFolder) {
  const fs::path dir = test::temp_dir("gm-index-cli");
  write_file_atomic(dir / "report.md", "# r\n\n| a |\n|---|\n| `x` |\n");
  const auto r = run_cli("index " + dir.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, (dir / "index.html").string() + "\n");
  EXPECT_NE(read_file(dir / "index.html").find("<td><code>x</code></td>"), std::string::npos);
  test::expect_one_line_error(run_cli("index " + (dir / "report.md").string()), "not a directory");
  EXPECT_FALSE(fs::exists(dir / "report.md" / "index.html"));
}

}  // namespace
}  // namespace gm
