#include "tb/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/scratch.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// What an interrupt must stop: the live children's process groups (the scratch paths are in
// models/scratch.cpp).
struct Registry {
  std::mutex mu;
  std::set<pid_t> groups;
  bool stopping = false;  // set by the interrupt thread; no child is started after it
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: the interrupt thread may outlive main's statics
  return *r;
}

sigset_t interrupt_signals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGHUP);
  return s;
}

[[noreturn]] void stop_everything(int sig) {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  r.stopping = true;
  for (pid_t g : r.groups) kill(-g, SIGTERM);
  // Give compilers a moment to exit on SIGTERM, then make sure.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (pid_t g : r.groups) kill(-g, SIGKILL);
  // A killed process may still finish the system call it is in (creating one last file), so the
  // scratch paths are removed once its group is gone (bounded: a zombie leader counts as alive
  // until the thread that runs it reaps it, which it does without this lock).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (pid_t g : r.groups)
    while (kill(-g, 0) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  remove_all_scratch_before_exit();
  std::fprintf(stderr, "greenmac: interrupted (%s); child processes stopped, temporary files removed\n",
               strsignal(sig));
  std::fflush(stderr);
  _exit(128 + sig);
}

// Reads the whole of an open file from its start.
std::string slurp_fd(int fd) {
  std::string out;
  if (lseek(fd, 0, SEEK_SET) < 0) return out;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// waitpid with an optional deadline; kills the child's group when the deadline passes.
int wait_child(pid_t pid, int timeout_s, bool& timed_out) {
  int status = 0;
  if (timeout_s <= 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  auto nap = std::chrono::microseconds(200);
  for (;;) {
    const pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) return status;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return status;
    }
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(50'000));
  }
}

}  // namespace

std::optional<fs::path> find_on_path(const std::string& tool) {
  if (tool.empty()) return std::nullopt;
  if (tool.find('/') != std::string::npos)
    return access(tool.c_str(), X_OK) == 0 ? std::optional<fs::path>(tool) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path dir = end > start ? fs::path(dirs.substr(start, end - start)) : fs::path(".");
    const fs::path candidate = dir / tool;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

RunResult run_program(const std::vector<std::string>& argv, const RunOptions& opt) {
  RunResult res;
  if (argv.empty()) throw std::logic_error("run_program: empty argument vector");
  const auto exe = find_on_path(argv[0]);
  if (!exe) {
    res.exit_code = 127;
    res.output = argv[0] + ": not found on PATH";
    return res;
  }
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const std::string exe_path = exe->string();
  // The child's environment: ours, with RunOptions::env set over it (built here, not after fork).
  std::vector<std::string> env_text;
  std::vector<char*> envp;
  if (!opt.env.empty()) {
    auto name_of = [](const std::string& kv) { return kv.substr(0, kv.find('=')); };
    for (char** e = environ; *e; ++e) {
      bool replaced = false;
      for (const auto& kv : opt.env) replaced = replaced || name_of(kv) == name_of(*e);
      if (!replaced) env_text.emplace_back(*e);
    }
    env_text.insert(env_text.end(), opt.env.begin(), opt.env.end());
    for (auto& kv : env_text) envp.push_back(kv.data());
    envp.push_back(nullptr);
  }
  const std::string cwd = opt.cwd.string();

  FILE* capture = std::tmpfile();
  if (!capture)
    throw UserError("cannot create a temporary file to capture " + argv[0] + "'s output (" + std::strerror(errno) +
                    "); set TMPDIR to a writable directory with free space");
  const int cap_fd = fileno(capture);
  // Not inherited by the children of other threads' run_program calls (dup2 in our child clears it).
  fcntl(cap_fd, F_SETFD, FD_CLOEXEC);
  int out_fd = -1;
  if (!opt.stdout_file.empty()) {
    out_fd = open(opt.stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      std::fclose(capture);
      throw UserError("cannot write '" + opt.stdout_file.string() + "' (" + std::strerror(errno) + ")");
    }
  }
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

  Registry& r = registry();
  pid_t pid;
  {
    // Fork under the lock so that an interrupt sees every child that exists.
    std::lock_guard lock(r.mu);
    if (r.stopping) {
      std::fclose(capture);
      if (null_fd >= 0) close(null_fd);
      if (out_fd >= 0) close(out_fd);
      throw std::runtime_error("interrupted");
    }
    pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      if (null_fd >= 0) dup2(null_fd, 0);
      dup2(out_fd >= 0 ? out_fd : cap_fd, 1);
      dup2(cap_fd, 2);
      // Only async-signal-safe calls here: the messages are fixed strings written with write().
      static const char kNoDir[] = "greenmac: cannot enter the working directory for this program\n";
      static const char kNoExec[] = "greenmac: cannot execute this program\n";
      if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
        (void)!write(2, kNoDir, sizeof kNoDir - 1);
        _exit(126);
      }
      if (envp.empty())
        execv(exe_path.c_str(), cargv.data());
      else
        execve(exe_path.c_str(), cargv.data(), envp.data());
      (void)!write(2, kNoExec, sizeof kNoExec - 1);
      _exit(127);
    }
    if (pid > 0) {
      setpgid(pid, pid);  // also in the parent, so that the group exists before anyone signals it
      r.groups.insert(pid);
    }
  }
  if (null_fd >= 0) close(null_fd);
  if (out_fd >= 0) close(out_fd);
  if (pid < 0) {
    std::fclose(capture);
    throw std::runtime_error("cannot start " + argv[0] + " (" + std::strerror(errno) + ")");
  }
  const int status = wait_child(pid, opt.timeout_s, res.timed_out);
  {
    std::lock_guard lock(r.mu);
    r.groups.erase(pid);
  }
  res.output = slurp_fd(cap_fd);
  std::fclose(capture);
  if (WIFEXITED(status))
    res.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    res.exit_code = 128 + WTERMSIG(status);
  if (!opt.log_file.empty()) write_file_atomic(opt.log_file, res.output);
  return res;
}

void install_interrupt_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t s = interrupt_signals();
    pthread_sigmask(SIG_BLOCK, &s, nullptr);  // inherited by every thread started after this
    std::thread([s] {
      int sig = 0;
      while (sigwait(&s, &sig) != 0) {
      }
      stop_everything(sig);
    }).detach();
  });
}

}  // namespace gm
