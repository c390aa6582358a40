// Scatter plots with a marked Pareto front, and stacked bars, drawn by gnuplot into PNG and SVG.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gm {

struct ScatterPoint {
  std::string label;
  double x, y;
  bool front;
};

struct ScatterPlot {
  std::string stem;  // file stem: <stem>.png, <stem>.svg
  std::string title, xlabel, ylabel;
  bool log_x = false;
  std::vector<ScatterPoint> points;
};

// Writes <dir>/<stem>.{dat,gp,png,svg}. Throws UserError when gnuplot is missing or fails. The front
// is drawn as a staircase for a y to minimise, or to maximise with maximize_y.
void draw_scatter(const ScatterPlot& plot, const std::filesystem::path& dir, bool maximize_y = false);

// One bar per label, its segments stacked in the order of `segments` (e.g. compute, storage).
struct StackedBars {
  std::string stem, title, ylabel;
  std::vector<std::string> segments;        // legend names, bottom first
  std::vector<std::string> labels;          // one per bar
  std::vector<std::vector<double>> values;  // values[bar][segment]
};
// Writes <dir>/<stem>.{dat,gp,png,svg}; throws UserError like draw_scatter.
void draw_stacked_bars(const StackedBars& plot, const std::filesystem::path& dir);

}  // namespace gm
