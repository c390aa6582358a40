// The one rule for names that reach Yosys, OpenSTA and generated Verilog, and for paths.
#include "models/tool_names.hpp"

#include <gtest/gtest.h>

namespace {

TEST(ToolNames, PlainIdentifiers) {
  for (const char* ok : {"a", "_", "mymul", "mul8s_1KV8", "A_b_9", "_x0"}) EXPECT_TRUE(gm::is_plain_identifier(ok)) << ok;
  for (const char* bad : {"", "9a", "a b", "a;b", "a'b", "a\"b", "a$b", "a[0]", "a{b}", "a\\b", "a\nb", "a-b", "a.b",
                          "\\escaped ", "caf\xc3\xa9"})
    EXPECT_FALSE(gm::is_plain_identifier(bad)) << bad;
}

TEST(ToolNames, ProblemNamesTheFieldTheValueAndTheFix) {
  EXPECT_EQ(gm::identifier_problem("top", "mymul"), "");
  const std::string p = gm::identifier_problem("top", "mymul';touch owned;'");
  EXPECT_NE(p.find("top='mymul';touch owned;''"), std::string::npos) << p;
  EXPECT_NE(p.find("rename"), std::string::npos) << p;
  // A control character is shown escaped, so the message stays on one line.
  const std::string q = gm::identifier_problem("a", "x\ny");
  EXPECT_EQ(q.find('\n'), std::string::npos) << q;
  EXPECT_NE(q.find("x\\x0ay"), std::string::npos) << q;
}

TEST(ToolNames, PathsRefuseOnlyControlCharacters) {
  for (const char* ok : {"/tmp/a b/c'd;e$(f)`g`.v", "/x/[y]{z}\\w.v", "rel/p\xc3\xa9.v"}) EXPECT_EQ(gm::path_problem("path", ok), "") << ok;
  for (const char* bad : {"/tmp/a\nb.v", "/tmp/a\tb.v", "/tmp/a\rb.v", "/tmp/a\x7f.v"}) {
    const std::string p = gm::path_problem("path", bad);
    EXPECT_NE(p.find("path="), std::string::npos) << p;
    EXPECT_EQ(p.find('\n'), std::string::npos) << p;
  }
}

}  // namespace
