// `rtx install -j N` (issue 10 item 4): independent tools install at once,
// the versions of one tool one after another on one worker. Across processes
// the store's install locks (flock: per open file description, so threads of
// one rtx exclude each other too) already keep two installs of one version
// apart; the grouping here keeps a tool's own requests in the order given.
//
//   std::vector<InstallJob> jobs = {{"node", install_node_20}, {"go", install_go}, {"node", install_node_18}};
//   JobRunOptions opts;
//   opts.workers = 4;
//   opts.on_done = [](std::size_t i, const Status& st) { if (!st) fail(st.error()); };
//   auto results = run_install_jobs(jobs, opts);  // results[i] is jobs[i]'s
//
// workers ≤ 1 (or a single group) runs every job on the calling thread in
// the given order, exactly as a plain loop: `-j1` is the old behaviour, output
// order included.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::cli {

struct InstallJob {
  std::string group;  // jobs of one group (a tool) run in order, never at once
  std::function<Status()> run;
};

struct JobResult {
  bool ran = false;  // false: never started, because `stop` said so first
  Status status = ok_status();
};

struct JobRunOptions {
  unsigned workers = 1;
  // Asked before each job starts; true: start nothing more (Ctrl-C). Running
  // jobs are not stopped here: they watch for the signal themselves. Empty:
  // util::interrupted.
  std::function<bool()> stop;
  // Called on the worker's thread as each job returns (errors printed as they
  // happen, not at the end); must be safe to call from several threads.
  std::function<void(std::size_t index, const Status&)> on_done;
};

// Runs `jobs` and returns when every started job has returned (no thread
// outlives the call). A job that throws fails with the exception's text
// instead of ending the process. If threads cannot be made, fewer (or none:
// the calling thread) run the groups.
std::vector<JobResult> run_install_jobs(const std::vector<InstallJob>& jobs, const JobRunOptions& options);

// The default of -j: the number of cores (at least 1).
unsigned default_install_jobs();

// A -j/--jobs or RTX_JOBS value: a whole number from 1 to 256. `source`
// names it in the error ("-j", "RTX_JOBS").
Expected<unsigned> parse_install_jobs(const std::string& text, const std::string& source);

// -j when given, else RTX_JOBS when set and non-empty, else the default.
Expected<unsigned> install_jobs_setting(const std::optional<std::string>& flag, const char* env_value);

}  // namespace rtx::cli
