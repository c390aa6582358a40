#include "models/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gm {

namespace {

std::atomic<bool> g_quiet{false};

double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void write_stderr(const std::string& text) {
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
}

constexpr const char* kClearLine = "\r\033[K";  // back to column 0, erase to the end of the line

}  // namespace

void set_progress_quiet(bool quiet) { g_quiet = quiet; }

ProgressOutput stderr_progress_output() {
  ProgressOutput out;
  const char* env = std::getenv("GREENMAC_PROGRESS");
  out.enabled = !g_quiet && !(env && std::strcmp(env, "0") == 0);
  out.tty = isatty(STDERR_FILENO) == 1;
  winsize ws{};
  if (out.tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) out.width = ws.ws_col;
  return out;
}

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

Progress::Progress(std::string task, ProgressOutput out) : task_(std::move(task)), out_(std::move(out)) {
  if (!out_.clock) out_.clock = monotonic_seconds;
  if (!out_.write) out_.write = write_stderr;
  start_ = stage_start_ = out_.clock();
  // Plain lines: the first one after a whole interval, so a quick command prints only its last line.
  if (!out_.tty) last_shown_ = start_;
  if (out_.enabled && out_.ticker) ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mu_);
    if (!finished_ && drawn_) out_.write(kClearLine);
    finished_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

// Refreshes the elapsed time while one long item (a whole synthesis, an inference) gives no event.
void Progress::tick() {
  std::unique_lock lock(mu_);
  while (!finished_) {
    wake_.wait_for(lock, std::chrono::seconds(1));
    if (!finished_) show_locked(out_.clock());
  }
}

void Progress::stage(const std::string& name, size_t total, const std::string& unit) {
  std::lock_guard lock(mu_);
  stages_.push_back({name, unit, 0, total});
  active_.clear();
  stage_start_ = out_.clock();
  show_locked(stage_start_);
}

void Progress::begin(const std::string& item) {
  std::lock_guard lock(mu_);
  active_.push_back({item, ""});
  show_locked(out_.clock());
}

void Progress::end(const std::string& item, size_t items) {
  std::lock_guard lock(mu_);
  for (auto it = active_.begin(); it != active_.end(); ++it)
    if (it->item == item) {
      active_.erase(it);
      break;
    }
  if (!stages_.empty()) stages_.back().done += items;
  show_locked(out_.clock());
}

void Progress::note(const std::string& item, const std::string& text) {
  std::lock_guard lock(mu_);
  for (auto& a : active_)
    if (a.item == item) a.note = text;
  show_locked(out_.clock());
}

std::string Progress::line() const {
  std::lock_guard lock(mu_);
  return line_locked(out_.clock());
}

// "greenmac: characterize: synth 1/3 designs; 0:12 elapsed, about 0:24 left; now drum_k4 (+1 more)": the
// figures first, so that a terminal cuts off the step's name rather than the estimate.
std::string Progress::line_locked(double now) const {
  std::string s = "greenmac: " + task_ + ": ";
  if (stages_.empty()) return s + "starting; " + format_duration(now - start_) + " elapsed";
  const StageCount& st = stages_.back();
  s += st.name + " " + std::to_string(st.done) + (st.total ? "/" + std::to_string(st.total) : "") + " " + st.unit;
  s += "; " + format_duration(now - start_) + " elapsed";
  if (st.total > 0 && st.done < st.total) {
    if (st.done == 0) {
      s += ", estimating the time left";
    } else {
      const double per_item = (now - stage_start_) / static_cast<double>(st.done);
      s += ", about " + format_duration(per_item * static_cast<double>(st.total - st.done)) + " left";
    }
  }
  if (!active_.empty()) {
    const Active& a = active_.back();  // the step started last
    s += "; now " + a.item;
    if (!a.note.empty()) s += " (" + a.note + ")";
    if (active_.size() > 1) s += " (+" + std::to_string(active_.size() - 1) + " more)";
  }
  return s;
}

void Progress::show_locked(double now) {
  if (!out_.enabled || finished_) return;
  const double interval = out_.tty ? out_.tty_interval_s : out_.line_interval_s;
  if (now - last_shown_ < interval) return;
  last_shown_ = now;
  emit_locked(line_locked(now), false);
}

void Progress::emit_locked(const std::string& text, bool final_line) {
  if (!out_.tty) {
    out_.write(text + "\n");
    return;
  }
  if (final_line) {
    if (drawn_) out_.write(kClearLine);
    drawn_ = false;
    return;
  }
  const size_t width = out_.width > 1 ? static_cast<size_t>(out_.width - 1) : 79;
  out_.write(kClearLine + (text.size() > width ? text.substr(0, width) : text));
  drawn_ = true;
}

void Progress::log(const std::string& text) {
  std::lock_guard lock(mu_);
  if (!out_.enabled || finished_) return;
  if (!out_.tty) {
    out_.write(text + "\n");
    return;
  }
  out_.write(std::string(drawn_ ? kClearLine : "") + text + "\n");
  drawn_ = false;
  last_shown_ = out_.clock();
  emit_locked(line_locked(last_shown_), false);
}

void Progress::finish() {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    if (out_.enabled) {
      std::string s = "greenmac: " + task_ + ": done in " + format_duration(out_.clock() - start_);
      for (size_t k = 0; k < stages_.size(); ++k)
        s += (k ? ", " : ": ") + stages_[k].name + " " + std::to_string(stages_[k].done) +
             (stages_[k].total ? "/" + std::to_string(stages_[k].total) : "") + " " + stages_[k].unit;
      emit_locked(s, true);
    }
    finished_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

}  // namespace gm
