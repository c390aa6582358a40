// DIR/index.html: the page a person opens first after a run that wrote a report into DIR.
//
// It is built from what the run left in DIR, so every command that writes an -o DIR report (and
// `greenmac merge`, through the same report writers) gets one by calling write_index_html(DIR) last,
// and `greenmac index DIR` rebuilds it (the demo does, once explore has added out/explore/):
//   - the designs: every JSON record in DIR/*.json and DIR/rtl/*.json with a "spec" and a "name"
//     (or "id") string, with links to its RTL (DIR[/rtl]/NAME.v or .sv, an evolved NAME.gmnet), its
//     synthesis folder DIR/NAME/ and the JSON files that hold it;
//   - each Markdown report (report.md first, then the other *.md) rendered (markdown_html.hpp), with
//     every `![alt](X.png)` shown as the inlined, sanitized X.svg beside it (svg_inline.hpp);
//   - the SVG plots no report shows, the reports in subfolders (DIR/*/index.html), and every file.
// The page is self-contained: inline CSS, the plots inline, no script and no external address.
#pragma once

#include <filesystem>
#include <string>

namespace gm {

// The page's HTML; throws UserError when DIR is not a directory.
std::string index_html(const std::filesystem::path& dir);

// Writes DIR/index.html atomically and returns its path.
std::filesystem::path write_index_html(const std::filesystem::path& dir);

}  // namespace gm
