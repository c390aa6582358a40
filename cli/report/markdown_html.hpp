// The Markdown subset greenmac's reports use (report.md, evolve.md), rendered to HTML for index.html:
// ATX headings, pipe tables (with :--: alignment), bullet and numbered lists nested by indentation,
// fenced code blocks, horizontal rules and paragraphs; inline code spans, links, images, **bold**
// and *italic*, backslash escapes. Everything else is text and is HTML-escaped, so a report's text
// (a spec string, a file name, a failed check's message) can never become markup.
//
//   markdown_to_html("| a | b |\n|---|--:|\n| `x<y` | 2 |\n")
//     -> <table><thead><tr><th>a</th><th style="text-align:right">b</th></tr></thead>
//        <tbody><tr><td><code>x&lt;y</code></td><td style="text-align:right">2</td></tr></tbody></table>
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace gm {

// & < > " ' as entities: safe in element text and in quoted attribute values.
std::string html_escape(std::string_view text);

// A link target kept only when following it cannot run anything: a relative path, a #fragment, or
// an http(s) address. Returns "" for anything else (javascript:, data:, file:, ...).
std::string safe_href(std::string_view url);

// A relative file path as a URL path: every byte outside [A-Za-z0-9-._~/] percent-encoded.
std::string url_path(std::string_view path);

// The id a heading gets: lower-case letters and digits, runs of anything else as one '-'.
std::string heading_id(std::string_view text);

struct MarkdownOptions {
  // Renders `![alt](src)` (the page decides: inline the SVG beside a PNG, ...). Unset: an <img>
  // for a relative src, the alt text alone for any other (no network).
  std::function<std::string(const std::string& alt, const std::string& src)> image;
  int heading_offset = 0;  // added to every heading level (capped at 6): a report under the page's <h1>
};

std::string markdown_to_html(std::string_view markdown, const MarkdownOptions& opt = {});

// One line's inline markup (code spans, links, images, emphasis), the rest escaped.
std::string markdown_inline(std::string_view text, const MarkdownOptions& opt = {});

}  // namespace gm
