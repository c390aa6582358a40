#include "cli/report/plot.hpp"

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// A label in the data file (data files are not commands: nothing in them is substituted).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? '_' : c;
  return out + "\"";
}

// A string in the gnuplot script. Single quotes: gnuplot runs `command` in backquotes everywhere
// except inside single-quoted strings, where only '' (a quote) is special. Control characters,
// which would end the command, become spaces.
std::string gp_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "'";
}

// Draws <stem>.png and <stem>.svg from `data` (the data file's text) with `settings`, then `body`
// once per terminal; `body` names the data file by the gnuplot variable `data`. Everything is drawn
// under names of its own (temp_beside), then renamed: two runs drawing the same plot into one
// folder at once each finish whole, and no picture appears unless gnuplot succeeded. The kept
// <stem>.gp draws <stem>.png and <stem>.svg from <stem>.dat when run again (`gnuplot <stem>.gp`):
// the names are variables the run sets with -e.
void run_gnuplot(const std::string& stem, const std::string& data, const std::string& settings, const std::string& body,
                 const fs::path& dir) {
  std::string gp = "# `gnuplot " + stem + ".gp` in this folder draws " + stem + ".png and " + stem + ".svg from " +
                   stem + ".dat\n";
  const std::vector<std::pair<std::string, std::string>> variables = {{"data", "dat"}, {"png", "png"}, {"svg", "svg"}};
  for (const auto& [var, ext] : variables)
    gp += "if (!exists('" + var + "')) " + var + " = " + gp_string(stem + "." + ext) + "\n";
  gp += settings;
  for (const auto& [term, ext] : {std::pair<const char*, const char*>{"pngcairo noenhanced size 1000,700", "png"}, {"svg noenhanced size 1000,700", "svg"}})
    gp += std::string("set terminal ") + term + "\nset output " + ext + "\n" + body + "unset output\n";

  const std::string tmp = temp_beside(stem).string();  // a stem of this run's own
  // Whatever of this run's files is not renamed at the end (gnuplot failed) is removed; an
  // interrupt removes them too.
  struct OwnFiles {
    std::vector<fs::path> paths;
    ~OwnFiles() {
      for (const auto& p : paths) {
        std::error_code ec;
        fs::remove(p, ec);
        unregister_scratch(p);
      }
    }
  } own;
  for (const char* ext : {"dat", "png", "svg", "gp"}) {
    own.paths.push_back(dir / (tmp + "." + ext));
    register_scratch(own.paths.back());
  }
  write_file_atomic(dir / (tmp + ".dat"), data);
  write_file_atomic(dir / (tmp + ".gp"), gp);
  std::string names;
  for (const auto& [var, ext] : variables) names += var + " = " + gp_string(tmp + "." + ext) + "; ";
  const RunResult res = run_program({"gnuplot", "-e", names, tmp + ".gp"}, {.cwd = dir});
  if (!res.ok()) throw UserError("gnuplot failed to draw " + (dir / (stem + ".png")).string() + ": " + res.output.substr(0, 300));
  for (const char* ext : {"dat", "png", "svg", "gp"}) {
    std::error_code ec;
    fs::rename(dir / (tmp + "." + ext), dir / (stem + "." + ext), ec);
    if (ec) throw UserError("cannot write '" + (dir / (stem + "." + ext)).string() + "' (" + ec.message() + ")");
  }
}

}  // namespace

void draw_scatter(const ScatterPlot& plot, const fs::path& dir, bool maximize_y) {
  if (!have_tool("gnuplot"))
    throw UserError("gnuplot is not installed (not on PATH); install it with `apt-get install gnuplot`");
  // Data: all points, then the front sorted by x (drawn as a step line).
  std::ostringstream dat;
  dat << "# x y label front\n";
  for (const auto& p : plot.points) dat << p.x << " " << p.y << " " << quoted(p.label) << " " << p.front << "\n";
  std::vector<ScatterPoint> front;
  for (const auto& p : plot.points)
    if (p.front) front.push_back(p);
  std::sort(front.begin(), front.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
  dat << "\n\n# Pareto front\n";
  for (const auto& p : front) dat << p.x << " " << p.y << "\n";
  std::ostringstream gp;
  const std::string data = "data";  // the data file, a variable of the script (run_gnuplot)
  gp << "set title " << gp_string(plot.title) << "\nset xlabel " << gp_string(plot.xlabel) << "\nset ylabel "
     << gp_string(plot.ylabel) << "\nset grid\nset key top right\n";
  // Room on the right for the labels of the front's points.
  gp << "set offsets graph 0.02, graph 0.25, graph 0.05, graph 0.05\n";
  if (maximize_y) gp << "set key bottom right\n";
  if (plot.log_x) gp << "set logscale x\n";
  const std::string body = "plot " + data + " index 0 using 1:2 with points pt 7 ps 0.8 lc rgb '#4477aa' title 'designs', \\\n  " +
                           data + " index 0 using 1:($4 > 0 ? $2 : 1/0) with points pt 6 ps 1.6 lc rgb '#cc3311' title 'on the front', \\\n  " +
                           data + " index 1 using 1:2 with steps lw 2 lc rgb '#cc3311' title 'Pareto front', \\\n  " +
                           data + " index 0 using 1:($4 > 0 ? $2 : 1/0):3 with labels offset 0.5,0.5 left font ',7' notitle\n";
  run_gnuplot(plot.stem, dat.str(), gp.str(), body, dir);
}

void draw_stacked_bars(const StackedBars& plot, const fs::path& dir) {
  if (!have_tool("gnuplot"))
    throw UserError("gnuplot is not installed (not on PATH); install it with `apt-get install gnuplot`");
  std::ostringstream dat;
  dat << "# label";
  for (const auto& s : plot.segments) dat << " " << quoted(s);
  dat << "\n";
  for (size_t b = 0; b < plot.labels.size(); ++b) {
    dat << quoted(plot.labels[b]);
    for (double v : plot.values.at(b)) dat << " " << v;
    dat << "\n";
  }
  std::ostringstream gp;
  gp << "set title " << gp_string(plot.title) << "\nset ylabel " << gp_string(plot.ylabel)
     << "\nset grid ytics\nset key outside top center horizontal\nset style data histograms\nset style histogram rowstacked\n"
        "set style fill solid 0.8 border -1\nset boxwidth 0.7\nset xtics rotate by -35 font ',8'\nset yrange [0:*]\n";
  const std::string data = "data";  // the data file, a variable of the script (run_gnuplot)
  std::string body = "plot ";
  for (size_t s = 0; s < plot.segments.size(); ++s)
    body += (s ? ", \\\n  " : "") + data + " using " + std::to_string(s + 2) + (s ? "" : ":xtic(1)") + " title " +
            gp_string(plot.segments[s]);
  body += "\n";
  run_gnuplot(plot.stem, dat.str(), gp.str(), body, dir);
}

}  // namespace gm
