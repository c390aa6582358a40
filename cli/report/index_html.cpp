#include "cli/report/index_html.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "cli/report/markdown_html.hpp"
#include "cli/report/svg_inline.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/version.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// Files larger than this are linked, never read (a JSON of that size holds no design table).
constexpr uintmax_t kMaxReadBytes = 32u << 20;
constexpr size_t kMaxListedFiles = 400;

// Inline CSS. The plot colours (#4477aa, #cc3311 in plot.cpp) appear nowhere else on the page, and
// the plots' frame colour (#d8d0c8) is used for nothing else: the Chromium test finds each plot by it.
const char* kStyle = R"(body{font:15px/1.45 system-ui,sans-serif;color:#222;background:#fff;margin:1.5em auto;
max-width:1200px;padding:0 1em}h1,h2,h3,h4{line-height:1.2}h1{font-size:1.7em}h2{border-bottom:1px solid #ddd;
padding-bottom:.2em;margin-top:1.6em}code{background:#f3f3f3;padding:0 .25em;border-radius:3px;font-size:.92em}
pre{background:#f3f3f3;padding:.6em;overflow-x:auto}.wide{overflow-x:auto}table{border-collapse:collapse;margin:.6em 0;
font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}th{background:#f0f0f0}
figure{margin:1em 0}figure svg{display:block;width:100%;max-width:1000px;height:auto;border:1px solid #d8d0c8}
figcaption{color:#555;font-size:.9em}a{color:#1a0dab}.missing{color:#a00}.size{color:#777;font-size:.85em}
nav ul{columns:2}
)";

struct Design {
  std::string key, spec;              // key: the design's name (or an evolved circuit's id)
  std::vector<std::string> json;      // files that hold its record, relative to DIR
};

std::string rel(const fs::path& p, const fs::path& dir) { return p.lexically_relative(dir).generic_string(); }

std::string link(const std::string& relative, const std::string& text) {
  return "<a href=\"" + html_escape(url_path(relative)) + "\">" + html_escape(text) + "</a>";
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The regular files directly in `dir` ending in `ext` (all with ""), sorted by name.
std::vector<fs::path> files_in(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && (ext.empty() || it->path().extension() == ext)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> read_small(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec || size > kMaxReadBytes) return std::nullopt;
  try {
    return read_file(p);
  } catch (const UserError&) {
    return std::nullopt;
  }
}

// Every object with a "spec" and a "name" (or "id") string, down to a few levels (report.json's
// designs, manifest.json's, synth.json's array, evolve.json's circuits), and an evolved circuit's
// own ID.json (an "id" and ID.gmnet beside it).
void collect_designs(const nlohmann::json& j, const std::string& file, const fs::path& dir, int depth,
                     std::vector<Design>& designs) {
  if (depth > 3) return;
  if (j.is_object()) {
    std::string key, spec;
    if (j.contains("spec") && j["spec"].is_string()) spec = j["spec"];
    if (j.contains("name") && j["name"].is_string()) key = j["name"];
    else if (j.contains("id") && j["id"].is_string()) key = j["id"];
    const bool evolved_record = depth == 0 && spec.empty() && !key.empty() && is_file(dir / (key + ".gmnet"));
    if (!key.empty() && (!spec.empty() || evolved_record)) {
      auto it = std::find_if(designs.begin(), designs.end(), [&](const Design& d) { return d.key == key; });
      if (it == designs.end()) it = designs.insert(designs.end(), Design{key, "", {}});
      if (it->spec.empty()) it->spec = spec;
      if (std::find(it->json.begin(), it->json.end(), file) == it->json.end()) it->json.push_back(file);
    }
  }
  if (j.is_object() || j.is_array())
    for (const auto& v : j) collect_designs(v, file, dir, depth + 1, designs);
}

std::vector<Design> find_designs(const fs::path& dir) {
  std::vector<fs::path> files = files_in(dir, ".json");
  // report.json first: its order (asked designs, then baselines) is the table's.
  std::stable_partition(files.begin(), files.end(), [](const fs::path& p) { return p.filename() == "report.json"; });
  for (const auto& p : files_in(dir / "rtl", ".json")) files.push_back(p);
  std::vector<Design> designs;
  for (const auto& p : files) {
    const auto text = read_small(p);
    if (!text) continue;
    const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) collect_designs(j, rel(p, dir), dir, 0, designs);
  }
  return designs;
}

std::string designs_section(const std::vector<Design>& designs, const fs::path& dir) {
  std::ostringstream s;
  s << "<h2 id=\"designs\">Designs</h2>\n<div class=\"wide\"><table>\n<thead><tr><th>design</th><th>spec</th>"
       "<th>RTL</th><th>JSON</th><th>synthesis files</th></tr></thead>\n<tbody>\n";
  for (const auto& d : designs) {
    std::string rtl;
    for (const char* sub : {"", "rtl/"})
      for (const char* ext : {".v", ".sv", ".gmnet"})
        if (is_file(dir / (sub + d.key + ext))) rtl += (rtl.empty() ? "" : "<br>") + link(sub + d.key + ext, sub + d.key + ext);
    std::string json;
    for (const auto& f : d.json) json += (json.empty() ? "" : "<br>") + link(f, f);
    std::error_code ec;
    const bool synth_dir = fs::is_directory(dir / d.key, ec);
    s << "<tr><td><code>" << html_escape(d.key) << "</code></td><td><code>" << html_escape(d.spec) << "</code></td><td>"
      << (rtl.empty() ? "<span class=\"missing\">not in this folder</span>" : rtl) << "</td><td>" << json << "</td><td>"
      << (synth_dir ? link(d.key + "/", d.key + "/") : "") << "</td></tr>\n";
  }
  s << "</tbody>\n</table></div>\n";
  return s.str();
}

std::string base64(const std::string& bytes) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? abc[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? abc[v & 63] : '=';
  }
  return out;
}

// A plot inlined: `svg_rel` is the SVG's path relative to DIR; `others` the same picture's other files.
std::string svg_figure(const fs::path& dir, const std::string& svg_rel, const std::string& caption,
                       std::set<std::string>& inlined) {
  const auto text = read_small(dir / svg_rel);
  if (!text) return "<p class=\"missing\">plot " + html_escape(svg_rel) + " could not be read</p>";
  std::string svg;
  try {
    svg = inline_svg(*text, heading_id(svg_rel) + "-");
  } catch (const UserError&) {
    return "<p class=\"missing\">" + html_escape(svg_rel) + " is not an SVG file</p>";
  }
  inlined.insert(svg_rel);
  const std::string png = fs::path(svg_rel).replace_extension(".png").generic_string();
  return "<figure>" + svg + "<figcaption>" + html_escape(caption) + " (" + link(svg_rel, "SVG") +
         (is_file(dir / png) ? ", " + link(png, "PNG") : "") + ")</figcaption></figure>";
}

// `![alt](src)` in a report: the SVG beside src inlined, else a PNG as a data: URI, else a note.
std::string report_image(const fs::path& dir, const std::string& alt, const std::string& src,
                         std::set<std::string>& inlined) {
  const fs::path p = fs::path(src).lexically_normal();
  if (src.empty() || p.is_absolute() || safe_href(src) != src || src.find(':') != std::string::npos ||
      (!p.empty() && *p.begin() == ".."))
    return "<span class=\"missing\">" + html_escape(alt) + " (not a file of this folder: " + html_escape(src) + ")</span>";
  const std::string svg_rel = fs::path(p).replace_extension(".svg").generic_string();
  if (is_file(dir / svg_rel)) return svg_figure(dir, svg_rel, alt, inlined);
  if (p.extension() == ".png" && is_file(dir / p))
    if (const auto bytes = read_small(dir / p))
      return "<img alt=\"" + html_escape(alt) + "\" style=\"max-width:100%\" src=\"data:image/png;base64," +
             base64(*bytes) + "\">";
  return "<span class=\"missing\">missing plot: " + html_escape(alt) + " (" + html_escape(src) + ")</span>";
}

std::string file_size_text(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  if (ec) return "";
  if (n < 10 * 1024) return std::to_string(n) + " B";
  if (n < 10 * 1024 * 1024) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n >> 20) + " MiB";
}

// Every file in DIR and its subfolders (two levels), sorted; scratch files and this page left out.
std::string files_section(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it.depth() >= 2) it.disable_recursion_pending();
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || name.find(".tmp") != std::string::npos || name[0] == '.') continue;
    if (it->path() == dir / "index.html") continue;
    files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::ostringstream s;
  s << "<h2 id=\"files\">Files</h2>\n<ul>\n";
  for (size_t i = 0; i < files.size() && i < kMaxListedFiles; ++i)
    s << "<li>" << link(rel(files[i], dir), rel(files[i], dir)) << " <span class=\"size\">" << file_size_text(files[i])
      << "</span></li>\n";
  s << "</ul>\n";
  if (files.size() > kMaxListedFiles)
    s << "<p>and " << files.size() - kMaxListedFiles << " more files (" << link(".", "the folder") << ")</p>\n";
  return s.str();
}

}  // namespace

std::string index_html(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UserError("cannot write an index.html for " + dir.string() + ": it is not a directory; give a report directory");
  const std::string title = "greenmac report: " + fs::absolute(dir).lexically_normal().filename().string();
  std::vector<std::pair<std::string, std::string>> toc;  // id, title
  std::ostringstream body;

  const auto designs = find_designs(dir);
  if (!designs.empty()) {
    body << designs_section(designs, dir);
    toc.push_back({"designs", "Designs"});
  }

  std::set<std::string> inlined;
  std::vector<fs::path> reports = files_in(dir, ".md");
  std::stable_partition(reports.begin(), reports.end(), [](const fs::path& p) { return p.filename() == "report.md"; });
  for (const auto& md_path : reports) {
    const auto md = read_small(md_path);
    if (!md) continue;
    const std::string name = md_path.filename().string();
    const std::string id = "report-" + heading_id(name);
    MarkdownOptions opt;
    opt.heading_offset = 1;  // the report's # becomes an <h2> under the page's <h1>
    opt.image = [&](const std::string& alt, const std::string& src) { return report_image(dir, alt, src, inlined); };
    body << "<section id=\"" << id << "\"><p class=\"size\">" << link(name, name) << "</p>\n<div class=\"wide\">"
         << markdown_to_html(*md, opt) << "</div></section>\n";
    toc.push_back({id, name});
  }

  std::string more;
  for (const auto& svg : files_in(dir, ".svg"))
    if (!inlined.count(rel(svg, dir))) more += svg_figure(dir, rel(svg, dir), svg.stem().string(), inlined) + "\n";
  if (!more.empty()) {
    body << "<h2 id=\"plots\">Plots</h2>\n" << more;
    toc.push_back({"plots", "Plots"});
  }

  std::string sub;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    const std::string name = it->path().filename().string();
    if (is_file(it->path() / "index.html")) sub += "<li>" + link(name + "/index.html", name + "/") + "</li>\n";
    else if (is_file(it->path() / "report.md")) sub += "<li>" + link(name + "/report.md", name + "/report.md") + "</li>\n";
  }
  if (!sub.empty()) {
    body << "<h2 id=\"other-reports\">Other reports</h2>\n<ul>\n" << sub << "</ul>\n";
    toc.push_back({"other-reports", "Other reports"});
  }

  body << files_section(dir);
  toc.push_back({"files", "Files"});

  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << html_escape(title)
       << "</title>\n<style>\n" << kStyle << "</style>\n</head>\n<body>\n<h1>" << html_escape(title) << "</h1>\n"
       << "<p>Written by greenmac " << kVersion << " from the files in this folder; every link is relative to it.</p>\n"
       << "<nav><ul>\n";
  for (const auto& [id, text] : toc) page << "<li><a href=\"#" << id << "\">" << html_escape(text) << "</a></li>\n";
  page << "</ul></nav>\n" << body.str() << "</body>\n</html>\n";
  return page.str();
}

fs::path write_index_html(const fs::path& dir) {
  const std::string html = index_html(dir);
  write_file_atomic(dir / "index.html", html);
  return dir / "index.html";
}

}  // namespace gm
