#include "manager/cli/install_jobs.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <system_error>
#include <thread>

#include "manager/util/process_runner.hpp"
#include "resolver/printable.hpp"

namespace rtx::cli {
namespace {

constexpr unsigned kMaxInstallJobs = 256;

// One job, never throwing: whatever escapes it becomes its failure.
void install_jobs_run_one(const InstallJob& job, std::size_t index, JobResult& out, const JobRunOptions& options) {
  out.ran = true;
  try {
    out.status = job.run();
  } catch (const std::exception& e) {
    out.status = make_error(std::string("internal error while installing ") + job.group + ": " + e.what() +
                            ": please report it with the command you ran");
  } catch (...) {
    out.status = make_error("internal error while installing " + job.group +
                            ": an unknown exception: please report it with the command you ran");
  }
  if (!options.on_done) return;
  try {
    options.on_done(index, out.status);
  } catch (...) {
    // Printing a line failed (out of memory): the result is still recorded.
  }
}

}  // namespace

std::vector<JobResult> run_install_jobs(const std::vector<InstallJob>& jobs, const JobRunOptions& options) {
  std::vector<JobResult> results(jobs.size());
  auto stop = [&options] { return options.stop ? options.stop() : util::interrupted(); };

  // The groups, in order of first appearance, each with its jobs in order.
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> group_of;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto [it, fresh] = group_of.try_emplace(jobs[i].group, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }

  std::size_t workers = std::min<std::size_t>(std::max(options.workers, 1u), groups.size());
  if (workers <= 1) {
    // -j1: the given order, on this thread, as the loop before -j existed.
    for (std::size_t i = 0; i < jobs.size() && !stop(); ++i) install_jobs_run_one(jobs[i], i, results[i], options);
    return results;
  }

  // Each worker takes the next group not yet taken; each slot of `results`
  // is written by the one worker running its job and read after the joins.
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t g; (g = next.fetch_add(1)) < groups.size();)
      for (std::size_t i : groups[g]) {
        if (stop()) return;
        install_jobs_run_one(jobs[i], i, results[i], options);
      }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t t = 0; t < workers; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones made (or this one) do the rest
    }
  }
  if (threads.empty()) work();
  for (auto& t : threads) t.join();
  return results;
}

unsigned default_install_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

Expected<unsigned> parse_install_jobs(const std::string& text, const std::string& source) {
  unsigned long value = 0;
  bool digits = !text.empty() && text.size() <= 4 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) value = std::stoul(text);
  if (!digits || value < 1 || value > kMaxInstallJobs)
    return make_error(source + " '" + resolver::printable(text, 40) +
                      "' is not a number of parallel installs: use a whole number from 1 to " +
                      std::to_string(kMaxInstallJobs) + " (e.g. -j 4; the default is the number of cores, " +
                      std::to_string(default_install_jobs()) + ")");
  return unsigned(value);
}

Expected<unsigned> install_jobs_setting(const std::optional<std::string>& flag, const char* env_value) {
  if (flag) return parse_install_jobs(*flag, "-j");
  if (env_value && *env_value) return parse_install_jobs(env_value, "RTX_JOBS");
  return default_install_jobs();
}

}  // namespace rtx::cli
