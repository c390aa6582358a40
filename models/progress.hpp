// Progress a person can follow, on stderr, for commands that run longer than a few seconds
// (issue 15): items done out of the total, the current step, the time elapsed and an estimate of
// the time left.
//
// On a terminal one line is redrawn in place (\r), at most every tty_interval_s, and cleared at
// the end. Anywhere else (a CI log, `make demo | tee`) a plain line at most every line_interval_s
// and one at the end, so a log shows life without being flooded. --quiet or GREENMAC_PROGRESS=0
// silences it. stdout is never touched: reports and --json stay as they were.
//
// The reporter lives in models/ so that every layer can report (synth's workers, the DNN's image
// loop); a lower layer takes a `Progress*` that may be null. It is thread-safe: designs run on
// --jobs threads, each calling begin/end for its own item.
//
// The estimate: the stage's elapsed time over the items finished, times the items left. Items run
// in parallel finish faster than one at a time, and this wall-clock mean sees that.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gm {

struct ProgressOutput {
  bool enabled = true;           // false: --quiet or GREENMAC_PROGRESS=0
  bool tty = false;              // one line redrawn in place, else plain lines
  double tty_interval_s = 0.1;   // at most ~10 redraws a second
  double line_interval_s = 10;   // plain lines at most this often (and one at the end)
  int width = 80;                // terminal columns: a longer line would wrap and break the redraw
  bool ticker = true;            // a thread that refreshes the elapsed time while a long item runs
  std::function<double()> clock;                  // seconds; default: a monotonic clock
  std::function<void(const std::string&)> write;  // default: stderr, flushed
};

// This process's setting: stderr a terminal or not, silenced by set_progress_quiet (--quiet) or
// GREENMAC_PROGRESS=0.
ProgressOutput stderr_progress_output();
void set_progress_quiet(bool quiet);

// "1:05", "12:00:03": minutes and seconds, hours when there are any.
std::string format_duration(double seconds);

class Progress {
 public:
  // `task` names the command in every line ("characterize").
  explicit Progress(std::string task, ProgressOutput out = stderr_progress_output());
  // Without finish() (an error is on its way): a terminal line is cleared and nothing else printed,
  // so the error stays the only line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // A new stage ("synth", "dnn", "array") of `total` items counted in `unit`: counts and the
  // estimate start again. total 0: open-ended (a search that stops on time): a count, no estimate.
  void stage(const std::string& name, size_t total, const std::string& unit = "designs");
  void begin(const std::string& item);  // `item` started: it is the current step
  void end(const std::string& item, size_t items = 1);  // `item` finished: `items` more done
  // A note on the current step of a long item ("image 3/32"), without counting anything.
  void note(const std::string& item, const std::string& text);
  // A message of its own line (a search's decisions): printed at once, not throttled, the terminal
  // line redrawn below it; silenced with the progress.
  void log(const std::string& text);
  // The last line: every stage's count and the total time (plain), or the terminal line cleared.
  void finish();

  // The line as it would be printed now (no prefix control characters); for tests and the ticker.
  std::string line() const;

 private:
  struct Active {
    std::string item, note;
  };
  struct StageCount {
    std::string name, unit;
    size_t done = 0, total = 0;
  };
  std::string line_locked(double now) const;
  void show_locked(double now);  // when the interval has passed
  void emit_locked(const std::string& text, bool final_line);
  void tick();

  std::string task_;
  ProgressOutput out_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  double start_ = 0, stage_start_ = 0, last_shown_ = -1e300;
  std::vector<StageCount> stages_;
  std::vector<Active> active_;  // items begun and not ended, oldest first
  bool drawn_ = false;          // a terminal line is on screen
  bool finished_ = false;
  std::thread ticker_;
};

// Calls p->method(...) when p is set: lower layers take a Progress* that may be null.
inline void progress_stage(Progress* p, const std::string& name, size_t total, const std::string& unit = "designs") {
  if (p) p->stage(name, total, unit);
}
inline void progress_begin(Progress* p, const std::string& item) {
  if (p) p->begin(item);
}
inline void progress_end(Progress* p, const std::string& item, size_t items = 1) {
  if (p) p->end(item, items);
}

}  // namespace gm
