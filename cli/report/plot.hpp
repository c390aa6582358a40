// Scatter plots with a marked Pareto front, drawn by gnuplot into PNG and SVG.
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

}  // namespace gm
