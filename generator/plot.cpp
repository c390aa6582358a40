#include "generator/plot.hpp"

#include <algorithm>
#include <sstream>

#include "generator/command.hpp"
#include "generator/fsutil.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? '_' : c;
  return out + "\"";
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
  const std::string data = quoted((dir / (plot.stem + ".dat")).string());
  gp << "set title " << quoted(plot.title) << "\nset xlabel " << quoted(plot.xlabel) << "\nset ylabel "
     << quoted(plot.ylabel) << "\nset grid\nset key top right\n";
  // Room on the right for the labels of the front's points.
  gp << "set offsets graph 0.02, graph 0.25, graph 0.05, graph 0.05\n";
  if (maximize_y) gp << "set key bottom right\n";
  if (plot.log_x) gp << "set logscale x\n";
  const std::string body = "plot " + data + " index 0 using 1:2 with points pt 7 ps 0.8 lc rgb '#4477aa' title 'designs', \\\n  " +
                           data + " index 0 using 1:($4 > 0 ? $2 : 1/0) with points pt 6 ps 1.6 lc rgb '#cc3311' title 'on the front', \\\n  " +
                           data + " index 1 using 1:2 with steps lw 2 lc rgb '#cc3311' title 'Pareto front', \\\n  " +
                           data + " index 0 using 1:($4 > 0 ? $2 : 1/0):3 with labels offset 0.5,0.5 left font ',7' notitle\n";
  for (const auto& [term, ext] : {std::pair<const char*, const char*>{"pngcairo noenhanced size 1000,700", "png"}, {"svg noenhanced size 1000,700", "svg"}}) {
    const fs::path out = dir / (plot.stem + "." + ext);
    const fs::path tmp = dir / (plot.stem + ".tmp." + ext);
    gp << "set terminal " << term << "\nset output " << quoted(tmp.string()) << "\n" << body << "unset output\n";
  }
  write_file_atomic(dir / (plot.stem + ".gp"), gp.str());
  std::string log;
  if (run_command("gnuplot " + (dir / (plot.stem + ".gp")).string(), &log) != 0)
    throw UserError("gnuplot failed on " + (dir / (plot.stem + ".gp")).string() + ": " + log.substr(0, 300));
  for (const char* ext : {"png", "svg"}) fs::rename(dir / (plot.stem + ".tmp." + ext), dir / (plot.stem + "." + ext));
}

}  // namespace gm
