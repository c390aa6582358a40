// An SVG file (gnuplot's, written beside each PNG by cli/report/plot.cpp) made fit to sit inside an
// HTML page. These are our own files, but the page must stay inert and self-contained whatever a
// plot's labels hold, and several plots share one document:
//   - everything before <svg and after </svg> goes (the XML prolog, a doctype), and so do comments;
//   - <script>, <style> (it would restyle the whole page), <foreignObject> and embedded
//     documents are removed with their content, and so are on* event attributes;
//   - an href that does not point inside the plot (#id) is removed: nothing is fetched; so are the
//     xmlns declarations, which the HTML parser does not need;
//   - every id, and every #id and url(#id) that refers to one, gets `prefix`, because gnuplot names
//     its markers gpPt0, gpPt1, ... in every file and a page's ids must be unique.
#pragma once

#include <string>
#include <string_view>

namespace gm {

// Throws UserError when the text has no <svg element.
std::string inline_svg(std::string_view svg, const std::string& id_prefix);

}  // namespace gm
