// The Markdown subset of index.html (cli/report/markdown_html.hpp) and the SVG inliner
// (cli/report/svg_inline.hpp). Expected HTML is written by hand from the Markdown rules.
#include "cli/report/markdown_html.hpp"

#include <gtest/gtest.h>

#include "cli/report/svg_inline.hpp"
#include "models/errors.hpp"

namespace gm {
namespace {

bool has_part(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(MarkdownHtml, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(markdown_to_html("x < y && <script>alert(1)</script>"),
            "<p>x &lt; y &amp;&amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
}

TEST(MarkdownHtml, HeadingsGetLevelsIdsAndTheOffset) {
  EXPECT_EQ(markdown_to_html("# greenmac characterization"),
            "<h1 id=\"greenmac-characterization\">greenmac characterization</h1>\n");
  MarkdownOptions opt;
  opt.heading_offset = 1;
  EXPECT_EQ(markdown_to_html("## DNN: accuracy (cnn)", opt), "<h3 id=\"dnn-accuracy-cnn\">DNN: accuracy (cnn)</h3>\n");
  EXPECT_EQ(markdown_to_html("###### six", opt), "<h6 id=\"six\">six</h6>\n");  // capped at h6
  // The same heading twice gets two ids.
  const std::string two = markdown_to_html("# A\n\n# A\n");
  EXPECT_TRUE(has_part(two, "id=\"a\"")) << two;
  EXPECT_TRUE(has_part(two, "id=\"a-2\"")) << two;
  EXPECT_EQ(markdown_to_html("#hashtag"), "<p>#hashtag</p>\n");  // no space: not a heading
}

TEST(MarkdownHtml, PipeTableWithAlignmentEscapedPipesAndShortRows) {
  const std::string html = markdown_to_html(
      "| design | MRED | note |\n|---|--:|:-:|\n| `gm_a<1>` | 0.5 | a \\| b |\n| short |\n\nafter\n");
  EXPECT_EQ(html,
            "<table>\n<thead><tr><th>design</th><th style=\"text-align:right\">MRED</th>"
            "<th style=\"text-align:center\">note</th></tr>\n</thead>\n<tbody>\n"
            "<tr><td><code>gm_a&lt;1&gt;</code></td><td style=\"text-align:right\">0.5</td>"
            "<td style=\"text-align:center\">a | b</td></tr>\n"
            "<tr><td>short</td><td style=\"text-align:right\"></td><td style=\"text-align:center\"></td></tr>\n"
            "</tbody>\n</table>\n<p>after</p>\n");
  // A pipe line without the separator line under it is a paragraph.
  EXPECT_EQ(markdown_to_html("| not | a table |"), "<p>| not | a table |</p>\n");
}

TEST(MarkdownHtml, NestedAndOrderedLists) {
  EXPECT_EQ(markdown_to_html("- one\n- two\n  - two.a\n- three\n"),
            "<ul>\n<li>one</li>\n<li>two<ul>\n<li>two.a</li>\n</ul>\n</li>\n<li>three</li>\n</ul>\n");
  EXPECT_EQ(markdown_to_html("1. first\n2. second\n\ntext"), "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<p>text</p>\n");
  // A continuation line belongs to its item.
  EXPECT_EQ(markdown_to_html("- a long\n  item\n"), "<ul>\n<li>a long item</li>\n</ul>\n");
}

TEST(MarkdownHtml, ParagraphsCodeBlocksAndRules) {
  EXPECT_EQ(markdown_to_html("one\ntwo\n\nthree\n"), "<p>one\ntwo</p>\n<p>three</p>\n");
  EXPECT_EQ(markdown_to_html("```sh\nmake <demo> & x\n```\n"),
            "<pre><code class=\"language-sh\">make &lt;demo&gt; &amp; x\n</code></pre>\n");
  EXPECT_EQ(markdown_to_html("---\n"), "<hr>\n");
}

TEST(MarkdownHtml, InlineCodeBoldItalicAndEscapes) {
  EXPECT_EQ(markdown_inline("`a*b` and **check failed:** *x* \\*y\\*"),
            "<code>a*b</code> and <strong>check failed:</strong> <em>x</em> *y*");
  EXPECT_EQ(markdown_inline("``a ` b``"), "<code>a ` b</code>");
  EXPECT_EQ(markdown_inline("2 * 3 * 4"), "2 * 3 * 4");  // stars apart from text are not emphasis
  EXPECT_EQ(markdown_inline("gm_drum_s8_k4"), "gm_drum_s8_k4");  // underscores are never emphasis
  EXPECT_EQ(markdown_inline("`unclosed"), "`unclosed");
}

TEST(MarkdownHtml, LinksKeepOnlySafeTargets) {
  EXPECT_EQ(markdown_inline("[the RTL](rtl/gm_x.v)"), "<a href=\"rtl/gm_x.v\">the RTL</a>");
  EXPECT_EQ(markdown_inline("[doc](https://example.org/a?b=1&c=2)"),
            "<a href=\"https://example.org/a?b=1&amp;c=2\">doc</a>");
  EXPECT_EQ(markdown_inline("[x](javascript:alert(1))"), "x");
  EXPECT_EQ(markdown_inline("[x](JavaScript:alert(1))"), "x");
  EXPECT_EQ(markdown_inline("[x](data:text/html,hi)"), "x");
  EXPECT_EQ(markdown_inline("[x](//evil.example/a)"), "x");
  EXPECT_EQ(markdown_inline("[x](\"onmouseover=\"a)"), "<a href=\"&quot;onmouseover=&quot;a\">x</a>");
  EXPECT_EQ(safe_href("#designs"), "#designs");
  EXPECT_EQ(safe_href("a/b:c"), "a/b:c");  // a colon after the first slash is not a scheme
}

TEST(MarkdownHtml, ImagesGoThroughTheHookOrStayLocal) {
  EXPECT_EQ(markdown_inline("![power vs MRED](power_mred.png)"), "<img src=\"power_mred.png\" alt=\"power vs MRED\">");
  EXPECT_EQ(markdown_inline("![remote](https://example.org/x.png)"), "remote");  // no network load
  MarkdownOptions opt;
  std::string seen;
  opt.image = [&](const std::string& alt, const std::string& src) {
    seen = alt + "|" + src;
    return std::string("[figure]");
  };
  EXPECT_EQ(markdown_to_html("![area vs MRED](area_mred.png)", opt), "<p>[figure]</p>\n");
  EXPECT_EQ(seen, "area vs MRED|area_mred.png");
}

TEST(MarkdownHtml, UrlPathsAndHeadingIds) {
  EXPECT_EQ(url_path("rtl/gm_a b#1.v"), "rtl/gm_a%20b%231.v");
  EXPECT_EQ(heading_id("Per-layer configuration `x=y`"), "per-layer-configuration-x-y");
  EXPECT_EQ(heading_id("***"), "section");
}

const char* kGnuplotLike =
    "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
    "<svg width=\"1000\" height=\"700\" viewBox=\"0 0 1000 700\" onload=\"evil()\">\n"
    "<!-- a comment -->\n"
    "<defs><circle id='gpPt5' r='1'/><use xlink:href='#gpPt5' id='gpPt6' fill='currentColor'/></defs>\n"
    "<script type=\"text/javascript\"><![CDATA[ alert(1) ]]></script>\n"
    "<style>body { display: none }</style>\n"
    "<g clip-path=\"url(#gpClip)\"><use xlink:href='#gpPt6' color='rgb( 68, 119, 170)'/></g>\n"
    "<image href=\"http://example.org/x.png\" width=\"1\"/>\n"
    "<a xlink:href=\"javascript:alert(2)\"><text ONCLICK=\"x()\">gm_a &amp; b</text></a>\n"
    "</svg>\ntrailing";

TEST(SvgInline, DropsPrologScriptsStylesHandlersAndOutsideLinks) {
  const std::string s = inline_svg(kGnuplotLike, "p1-");
  EXPECT_EQ(s.rfind("<svg", 0), 0u) << s;
  EXPECT_EQ(s.substr(s.size() - 6), "</svg>") << s;
  for (const char* gone : {"<?xml", "DOCTYPE", "comment", "<script", "alert", "<style", "display: none", "onload",
                           "ONCLICK", "evil", "example.org", "javascript"})
    EXPECT_FALSE(has_part(s, gone)) << gone << " in " << s;
  EXPECT_TRUE(has_part(s, "gm_a &amp; b")) << s;       // text kept as it was
  EXPECT_TRUE(has_part(s, "color='rgb( 68, 119, 170)'")) << s;  // drawing attributes kept
}

TEST(SvgInline, PrefixesIdsAndTheirReferences) {
  const std::string s = inline_svg(kGnuplotLike, "p1-");
  EXPECT_TRUE(has_part(s, "id='p1-gpPt5'")) << s;
  EXPECT_TRUE(has_part(s, "xlink:href='#p1-gpPt5'")) << s;
  EXPECT_TRUE(has_part(s, "xlink:href='#p1-gpPt6'")) << s;
  EXPECT_TRUE(has_part(s, "url(#p1-gpClip)")) << s;
  EXPECT_FALSE(has_part(s, "'#gpPt")) << s;
  // Two plots inlined with their own prefixes share no id.
  const std::string t = inline_svg(kGnuplotLike, "p2-");
  EXPECT_TRUE(has_part(t, "id='p2-gpPt5'")) << t;
}

TEST(SvgInline, RejectsTextWithoutAnSvgElement) {
  EXPECT_THROW(inline_svg("<html><body>no plot</body></html>", "x-"), UserError);
}

}  // namespace
}  // namespace gm
