// DIR/index.html built from a hand-made report folder (cli/report/index_html.hpp): the designs with
// their specs and links, the rendered report with its plot inlined, the other files, and nothing that
// would load from elsewhere. The page in a browser: index_html_chromium_test.cpp.
#include "cli/report/index_html.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "tests/support/png_decode.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A folder as characterize leaves it (report.md, report.json, a plot as PNG and SVG, results.csv),
// with the RTL of one design in rtl/ as gen writes it.
fs::path report_folder() {
  const fs::path dir = test::temp_dir("gm-index-html");
  write_file_atomic(dir / "report.md",
                    "# greenmac characterization\n\n**check failed:** x < y\n\n| design | MRED |\n|---|---|\n"
                    "| `gm_trunc_u4_t3` | 0.1 |\n\n![power vs MRED](power_mred.png)\n\n![gone](missing.png)\n");
  write_file_atomic(dir / "report.json",
                    R"({"designs": [{"spec": "trunc:t=3,w=4", "name": "gm_trunc_u4_t3", "metrics": {}},
                                    {"spec": "exact:w=4", "name": "gm_exact_u4", "reference": true}]})");
  write_file_atomic(dir / "power_mred.svg",
                    "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 10 10\"><defs><circle id='gpPt5' r='1'/></defs>"
                    "<use xlink:href='#gpPt5' color='rgb( 68, 119, 170)'/><script>alert(1)</script></svg>\n");
  write_file_atomic(dir / "power_mred.png", "not really a png");
  write_file_atomic(dir / "area_mred.svg", "<svg viewBox=\"0 0 10 10\"><rect id='r' width='1' height='1'/></svg>\n");
  write_file_atomic(dir / "results.csv", "spec,name\n");
  fs::create_directory(dir / "rtl");
  write_file_atomic(dir / "rtl" / "gm_trunc_u4_t3.v", "module gm_trunc_u4_t3; endmodule\n");
  write_file_atomic(dir / "rtl" / "manifest.json", R"({"designs": [{"spec": "trunc:t=3,w=4", "name": "gm_trunc_u4_t3"}]})");
  return dir;
}

TEST(IndexHtml, DesignsWithSpecsRtlAndJsonLinks) {
  const std::string page = index_html(report_folder());
  EXPECT_TRUE(has(page, "<code>gm_trunc_u4_t3</code></td><td><code>trunc:t=3,w=4</code>")) << page;
  EXPECT_TRUE(has(page, "<a href=\"rtl/gm_trunc_u4_t3.v\">")) << page;
  EXPECT_TRUE(has(page, "<a href=\"report.json\">report.json</a><br><a href=\"rtl/manifest.json\">")) << page;
  // The baseline has a record but no RTL in the folder.
  EXPECT_TRUE(has(page, "<code>gm_exact_u4</code></td><td><code>exact:w=4</code></td><td><span class=\"missing\">"))
      << page;
}

TEST(IndexHtml, ReportRenderedWithItsPlotInlinedAndSanitized) {
  const std::string page = index_html(report_folder());
  EXPECT_TRUE(has(page, "<h2 id=\"greenmac-characterization\">greenmac characterization</h2>")) << page;
  EXPECT_TRUE(has(page, "<strong>check failed:</strong> x &lt; y")) << page;
  EXPECT_TRUE(has(page, "<td><code>gm_trunc_u4_t3</code></td>")) << page;
  // The PNG reference became the SVG beside it, inline, ids prefixed, script gone.
  EXPECT_TRUE(has(page, "<figure><svg viewBox=\"0 0 10 10\">")) << page;
  EXPECT_TRUE(has(page, "id='power-mred-svg-gpPt5'")) << page;
  EXPECT_TRUE(has(page, "xlink:href='#power-mred-svg-gpPt5'")) << page;
  EXPECT_FALSE(has(page, "<script")) << page;
  EXPECT_FALSE(has(page, "alert(1)")) << page;
  EXPECT_FALSE(has(page, "<img src=\"power_mred.png\"")) << page;
  EXPECT_TRUE(has(page, "missing plot: gone (missing.png)")) << page;
  // The plot no report shows is under Plots, once; the shown one is not repeated.
  EXPECT_TRUE(has(page, "<h2 id=\"plots\">Plots</h2>")) << page;
  EXPECT_EQ(count(page, "id='area-mred-svg-r'"), 1u) << page;
  EXPECT_EQ(count(page, "<svg"), 2u) << page;
}

TEST(IndexHtml, ListsEveryFileAndLoadsNothingFromElsewhere) {
  const std::string page = index_html(report_folder());
  for (const char* f : {"results.csv", "power_mred.png", "rtl/gm_trunc_u4_t3.v", "report.md"})
    EXPECT_TRUE(has(page, std::string("<a href=\"") + f + "\">" + f + "</a>")) << f;
  EXPECT_FALSE(has(page, "index.html\">index.html")) << "the page does not list itself";
  for (const char* remote : {"http:", "https:", "src=\"//", "@import"}) EXPECT_FALSE(has(page, remote)) << remote;
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(has(page, "<style>")) << "inline CSS";
}

TEST(IndexHtml, WrittenIntoTheFolderAndRefusedForAFile) {
  const fs::path dir = report_folder();
  EXPECT_EQ(write_index_html(dir), dir / "index.html");
  EXPECT_EQ(read_file(dir / "index.html"), index_html(dir));
  EXPECT_THROW(index_html(dir / "results.csv"), UserError);
  EXPECT_THROW(index_html(dir / "no-such-folder"), UserError);
}

// The screenshot decoder of the Chromium test, on a 2x2 PNG built here: row 0 Sub-filtered, row 1
// Up-filtered (PNG spec, 9.2), the deltas worked out by hand.
TEST(PngDecode, UndoesSubAndUpFilters) {
  auto be32 = [](uint32_t v) { return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; };
  auto chunk = [&](const std::string& type, const std::string& data) { return be32(data.size()) + type + data + be32(0); };
  const std::string ihdr = be32(2) + be32(2) + std::string{8, 2, 0, 0, 0};  // 8-bit RGB, not interlaced
  // Pixels: (10,20,30) (15,25,35) / (11,21,31) (15,25,35).
  const std::string raw = {1, 10, 20, 30, 5, 5, 5, 2, 1, 1, 1, 0, 0, 0};
  std::string z(compressBound(raw.size()), '\0');
  uLongf zn = z.size();
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(z.data()), &zn, reinterpret_cast<const Bytef*>(raw.data()), raw.size()), Z_OK);
  z.resize(zn);
  const std::string png = std::string("\x89PNG\r\n\x1a\n") + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
  const test::RgbImage img = test::decode_png(png);
  ASSERT_EQ(img.width, 2);
  ASSERT_EQ(img.height, 2);
  EXPECT_EQ(img.at(0, 0), (std::array<int, 3>{10, 20, 30}));
  EXPECT_EQ(img.at(1, 0), (std::array<int, 3>{15, 25, 35}));
  EXPECT_EQ(img.at(0, 1), (std::array<int, 3>{11, 21, 31}));
  EXPECT_EQ(img.at(1, 1), (std::array<int, 3>{15, 25, 35}));
  EXPECT_THROW(test::decode_png("GIF89a"), std::runtime_error);
}

}  // namespace
}  // namespace gm
