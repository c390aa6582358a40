// The progress reporter (models/progress.hpp) on a fake clock and a captured output: the estimate
// of the time left, the throttling of plain lines and terminal redraws, the last line, --quiet.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/progress.hpp"

namespace {

// A clock the test moves by hand and every write kept, one string per write.
struct FakeStderr {
  double now = 100;
  std::vector<std::string> writes;
  gm::ProgressOutput output(bool tty) {
    gm::ProgressOutput o;
    o.tty = tty;
    o.ticker = false;  // no thread: every line comes from an event the test makes
    o.clock = [this] { return now; };
    o.write = [this](const std::string& s) { writes.push_back(s); };
    return o;
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(ProgressReporter, DurationsReadAsMinutesAndHours) {
  EXPECT_EQ(gm::format_duration(0), "0:00");
  EXPECT_EQ(gm::format_duration(65), "1:05");
  EXPECT_EQ(gm::format_duration(43203), "12:00:03");
  EXPECT_EQ(gm::format_duration(-3), "0:00");
}

TEST(ProgressReporter, TheEstimateIsTheMeanTimePerFinishedItemTimesTheItemsLeft) {
  FakeStderr f;
  gm::Progress p("characterize", f.output(false));
  p.stage("synth", 5);
  EXPECT_TRUE(contains(p.line(), "synth 0/5 designs")) << p.line();
  EXPECT_TRUE(contains(p.line(), "estimating the time left")) << p.line();
  p.begin("a");
  f.now += 20;
  p.end("a");
  p.begin("b");
  f.now += 10;
  p.end("b");
  // 30 s for 2 designs: 15 s each, 3 left.
  EXPECT_TRUE(contains(p.line(), "synth 2/5 designs")) << p.line();
  EXPECT_TRUE(contains(p.line(), "0:30 elapsed")) << p.line();
  EXPECT_TRUE(contains(p.line(), "about 0:45 left")) << p.line();
}

TEST(ProgressReporter, ANewStageRestartsTheCountAndTheEstimate) {
  FakeStderr f;
  gm::Progress p("characterize", f.output(false));
  p.stage("dnn", 1);
  f.now += 100;
  p.end("x");
  p.stage("synth", 4, "designs");
  f.now += 8;
  p.end("y");
  // The stage's 8 s for one design, not the 108 s since the start: 3 x 8 s left.
  EXPECT_TRUE(contains(p.line(), "synth 1/4 designs")) << p.line();
  EXPECT_TRUE(contains(p.line(), "1:48 elapsed")) << p.line();
  EXPECT_TRUE(contains(p.line(), "about 0:24 left")) << p.line();
}

TEST(ProgressReporter, TheCurrentStepIsTheLastItemStartedAndNotFinished) {
  FakeStderr f;
  gm::Progress p("synth", f.output(false));
  p.stage("synth", 3);
  p.begin("drum_k4");
  p.begin("trunc_k2");
  EXPECT_TRUE(contains(p.line(), "now trunc_k2 (+1 more)")) << p.line();
  p.note("trunc_k2", "image 3/32");
  EXPECT_TRUE(contains(p.line(), "now trunc_k2 (image 3/32) (+1 more)")) << p.line();
  p.end("trunc_k2");
  EXPECT_TRUE(p.line().ends_with("; now drum_k4")) << p.line();
  EXPECT_FALSE(contains(p.line(), "more")) << p.line();
}

TEST(ProgressReporter, PlainLinesComeAtMostOncePerIntervalAndOnceAtTheEnd) {
  FakeStderr f;
  gm::Progress p("verify", f.output(false));
  p.stage("verify", 100);
  for (int k = 0; k < 100; ++k) {  // one design a second for 100 s
    p.begin("d" + std::to_string(k));
    f.now += 1;
    p.end("d" + std::to_string(k));
  }
  // Lines at 10, 20, ..., 100 s: none at the start, so a quick command prints only its last line.
  EXPECT_EQ(f.writes.size(), 10u);
  for (const auto& w : f.writes) {
    EXPECT_EQ(w.back(), '\n') << w;
    EXPECT_FALSE(contains(w, "\r")) << w;
  }
  EXPECT_TRUE(contains(f.writes[0], "verify 10/100 designs")) << f.writes[0];
  p.finish();
  ASSERT_EQ(f.writes.size(), 11u);
  EXPECT_EQ(f.writes.back(), "greenmac: verify: done in 1:40: verify 100/100 designs\n");
  p.finish();  // a second finish prints nothing more
  EXPECT_EQ(f.writes.size(), 11u);
}

TEST(ProgressReporter, AQuickRunPrintsOnlyItsLastLine) {
  FakeStderr f;
  {
    gm::Progress p("characterize", f.output(false));
    p.stage("synth", 2);
    p.end("a");
    p.end("b");
    p.stage("array", 1, "arrays");
    p.end("c");
    p.finish();
  }
  ASSERT_EQ(f.writes.size(), 1u);
  EXPECT_EQ(f.writes[0], "greenmac: characterize: done in 0:00: synth 2/2 designs, array 1/1 arrays\n");
}

TEST(ProgressReporter, ATerminalLineIsRedrawnAtMostTenTimesASecondAndClearedAtTheEnd) {
  FakeStderr f;
  gm::ProgressOutput o = f.output(true);
  o.width = 40;
  gm::Progress p("synth", o);
  p.stage("synth", 1000);
  for (int k = 0; k < 1000; ++k) {  // 1000 designs in one second
    p.end("d");
    f.now += 0.001;
  }
  // One redraw per 0.1 s (the first at once), each from column 0 and cut to the terminal width.
  EXPECT_GE(f.writes.size(), 10u);
  EXPECT_LE(f.writes.size(), 11u);
  for (const auto& w : f.writes) {
    EXPECT_EQ(w.rfind("\r\033[K", 0), 0u) << w;
    EXPECT_EQ(w.find('\n'), std::string::npos) << w;
    EXPECT_LE(w.size(), 4u + 39u) << w;
  }
  p.finish();
  EXPECT_EQ(f.writes.back(), "\r\033[K");  // cleared, nothing left on the screen
}

TEST(ProgressReporter, AnErrorLeavesNoPlainLineAndClearsTheTerminal) {
  FakeStderr plain, tty;
  {
    gm::Progress p("characterize", plain.output(false));
    p.stage("synth", 2);
    p.end("a");
  }  // destroyed without finish(): an error is about to be the only line
  EXPECT_TRUE(plain.writes.empty());
  {
    gm::Progress p("characterize", tty.output(true));
    p.stage("synth", 2);
  }
  ASSERT_FALSE(tty.writes.empty());
  EXPECT_EQ(tty.writes.back(), "\r\033[K");
}

TEST(ProgressReporter, QuietPrintsNothing) {
  FakeStderr f;
  gm::ProgressOutput o = f.output(false);
  o.enabled = false;
  gm::Progress p("characterize", o);
  p.stage("synth", 2);
  f.now += 50;
  p.end("a");
  p.end("b");
  p.finish();
  EXPECT_TRUE(f.writes.empty());
}

TEST(ProgressReporter, AnOpenEndedStageCountsWithoutAnEstimate) {
  FakeStderr f;
  gm::Progress p("explore", f.output(false));
  p.stage("explore", 0, "points");
  f.now += 30;
  p.end("prune 0.3");
  EXPECT_TRUE(contains(p.line(), "explore 1 points; 0:30 elapsed")) << p.line();
  EXPECT_FALSE(contains(p.line(), "left")) << p.line();
  p.finish();
  EXPECT_EQ(f.writes.back(), "greenmac: explore: done in 0:30: explore 1 points\n");
}

TEST(ProgressReporter, ALogLineIsPrintedAtOnceAndTheTerminalLineRedrawnBelowIt) {
  FakeStderr plain, tty;
  gm::Progress p("explore", plain.output(false));
  p.log("explore [   3 s]: kept prune 0.3");
  ASSERT_EQ(plain.writes.size(), 1u);
  EXPECT_EQ(plain.writes[0], "explore [   3 s]: kept prune 0.3\n");
  gm::Progress t("explore", tty.output(true));
  t.stage("explore", 0, "points");  // drawn
  t.log("kept prune 0.3");
  ASSERT_EQ(tty.writes.size(), 3u);
  EXPECT_EQ(tty.writes[1], "\r\033[Kkept prune 0.3\n");
  EXPECT_EQ(tty.writes[2].rfind("\r\033[Kgreenmac: explore: explore 0 points", 0), 0u) << tty.writes[2];
}

}  // namespace
