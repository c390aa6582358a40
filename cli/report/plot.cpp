#include "cli/report/plot.hpp"

#include <algorithm>
#include <sstream>

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

// Writes <stem>.gp (the settings, then `body` once per terminal) and runs gnuplot in `dir`; the
// pictures appear under their names only when gnuplot succeeded.
void run_gnuplot(const std::string& stem, const std::string& body, std::string gp, const fs::path& dir) {
  for (const auto& [term, ext] : {std::pair<const char*, const char*>{"pngcairo noenhanced size 1000,700", "png"}, {"svg noenhanced size 1000,700", "svg"}}) {
    const std::string tmp = stem + ".tmp." + ext;
    gp += std::string("set terminal ") + term + "\nset output " + gp_string(tmp) + "\n" + body + "unset output\n";
  }
  write_file_atomic(dir / (stem + ".gp"), gp);
  for (const char* ext : {"png", "svg"}) register_scratch(dir / (stem + ".tmp." + ext));  // gone if interrupted
  const RunResult res = run_program({"gnuplot", stem + ".gp"}, {.cwd = dir});
  if (!res.ok()) throw UserError("gnuplot failed on " + (dir / (stem + ".gp")).string() + ": " + res.output.substr(0, 300));
  for (const char* ext : {"png", "svg"}) {
    fs::rename(dir / (stem + ".tmp." + ext), dir / (stem + "." + ext));
    unregister_scratch(dir / (stem + ".tmp." + ext));
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
  write_file_atomic(dir / (plot.stem + ".dat"), dat.str());

  std::ostringstream gp;
  // gnuplot runs in `dir`, so the script names its files without the (user-chosen) directory.
  const std::string data = gp_string(plot.stem + ".dat");
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
  run_gnuplot(plot.stem, body, gp.str(), dir);
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
  write_file_atomic(dir / (plot.stem + ".dat"), dat.str());
  std::ostringstream gp;
  gp << "set title " << gp_string(plot.title) << "\nset ylabel " << gp_string(plot.ylabel)
     << "\nset grid ytics\nset key outside top center horizontal\nset style data histograms\nset style histogram rowstacked\n"
        "set style fill solid 0.8 border -1\nset boxwidth 0.7\nset xtics rotate by -35 font ',8'\nset yrange [0:*]\n";
  const std::string data = gp_string(plot.stem + ".dat");
  std::string body = "plot ";
  for (size_t s = 0; s < plot.segments.size(); ++s)
    body += (s ? ", \\\n  " : "") + data + " using " + std::to_string(s + 2) + (s ? "" : ":xtic(1)") + " title " +
            gp_string(plot.segments[s]);
  body += "\n";
  run_gnuplot(plot.stem, body, gp.str(), dir);
}

}  // namespace gm
