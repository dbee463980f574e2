// cli::run_install_jobs (rtx install -j N): every job once, results in the
// given order, a tool's jobs in order and never at once, tools at once, no
// new job after Ctrl-C, an exception a failed result. Runs under TSan
// (scripts/tsan.sh runs manager_tests).
#include "manager/cli/install_jobs.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rtx::cli {
namespace {

using namespace std::chrono_literals;

// Jobs named by their index; odd ones fail with their index as the message.
std::vector<InstallJob> install_jobs_numbered(const std::vector<std::string>& groups, std::vector<std::string>& log,
                                              std::mutex& mu) {
  std::vector<InstallJob> jobs;
  for (std::size_t i = 0; i < groups.size(); ++i)
    jobs.push_back({groups[i], [i, &log, &mu]() -> Status {
                      std::lock_guard<std::mutex> lock(mu);
                      log.push_back(std::to_string(i));
                      return i % 2 ? Status(make_error(std::to_string(i))) : ok_status();
                    }});
  return jobs;
}

JobRunOptions install_jobs_options(
    unsigned workers, std::function<bool()> stop = [] { return false; }) {
  JobRunOptions o;
  o.workers = workers;
  o.stop = std::move(stop);
  return o;
}

TEST(InstallJobs, OneWorkerRunsEveryJobInTheGivenOrderOnTheCallingThread) {
  std::mutex mu;
  std::vector<std::string> log;
  auto jobs = install_jobs_numbered({"node", "go", "node", "python"}, log, mu);
  std::vector<std::thread::id> threads;
  JobRunOptions o = install_jobs_options(1);
  o.on_done = [&](std::size_t, const Status&) { threads.push_back(std::this_thread::get_id()); };
  auto results = run_install_jobs(jobs, o);
  EXPECT_EQ(log, (std::vector<std::string>{"0", "1", "2", "3"}));  // not grouped: node, go, node, python
  ASSERT_EQ(results.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(results[i].ran);
    EXPECT_EQ(results[i].status.ok(), i % 2 == 0);
    if (i % 2) {
      EXPECT_EQ(results[i].status.error(), std::to_string(i));
    }
  }
  for (auto id : threads) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST(InstallJobs, ManyWorkersRunEveryJobOnceWithResultsInTheGivenOrder) {
  std::mutex mu;
  std::vector<std::string> log;
  std::vector<std::string> groups;
  for (int i = 0; i < 40; ++i) groups.push_back("tool" + std::to_string(i % 7));
  auto jobs = install_jobs_numbered(groups, log, mu);
  std::vector<std::atomic<int>> done(groups.size());
  JobRunOptions o = install_jobs_options(4);
  o.on_done = [&](std::size_t i, const Status& st) {
    EXPECT_EQ(st.ok(), i % 2 == 0);
    done[i].fetch_add(1);
  };
  auto results = run_install_jobs(jobs, o);
  ASSERT_EQ(results.size(), groups.size());
  EXPECT_EQ(log.size(), groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    EXPECT_TRUE(results[i].ran) << i;
    EXPECT_EQ(done[i].load(), 1) << i;
    EXPECT_EQ(results[i].status.ok(), i % 2 == 0) << i;
    if (i % 2) {
      EXPECT_EQ(results[i].status.error(), std::to_string(i));
    }
  }
}

TEST(InstallJobs, AToolsJobsRunInOrderNeverAtOnceWhileToolsOverlap) {
  // Two tools, three versions each. Each tool's first job waits (bounded)
  // until the other tool is running too: that can only end well if tools run
  // at once. Within a tool, a job that finds its tool busy is a failure.
  std::mutex mu;
  std::condition_variable cv;
  int tools_inside = 0;
  bool overlapped = false;
  std::atomic<bool> busy[2] = {false, false};
  std::vector<int> order[2];
  std::vector<InstallJob> jobs;
  for (int v = 0; v < 3; ++v)
    for (int t = 0; t < 2; ++t)
      jobs.push_back({t ? "go" : "node", [&, t, v]() -> Status {
                        if (busy[t].exchange(true)) return make_error("two jobs of one tool at once");
                        {
                          std::unique_lock<std::mutex> lock(mu);
                          order[t].push_back(v);
                          if (v == 0) {
                            ++tools_inside;
                            cv.notify_all();
                            overlapped = cv.wait_for(lock, 10s, [&] { return tools_inside == 2; }) || overlapped;
                          }
                        }
                        busy[t] = false;
                        return ok_status();
                      }});
  auto results = run_install_jobs(jobs, install_jobs_options(4));
  for (const auto& r : results) EXPECT_TRUE(r.ran && r.status.ok()) << r.status.error();
  EXPECT_TRUE(overlapped) << "the two tools never ran at the same time";
  EXPECT_EQ(order[0], (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(order[1], (std::vector<int>{0, 1, 2}));
}

TEST(InstallJobs, NoJobStartsOnceStopSaysSo) {
  // Three tools with two versions each. The first job is "Ctrl-C"; the other
  // tools' first jobs wait for it, so they may run (a worker had started
  // them) but no second version of any tool may start after it.
  for (unsigned workers : {1u, 3u}) {
    std::mutex mu;
    std::condition_variable cv;
    bool interrupted = false;
    std::vector<InstallJob> jobs;
    for (int i = 0; i < 6; ++i)
      jobs.push_back({"tool" + std::to_string(i % 3), [&, i]() -> Status {
                        std::unique_lock<std::mutex> lock(mu);
                        if (i == 0) {
                          interrupted = true;
                          cv.notify_all();
                        } else {
                          cv.wait_for(lock, 10s, [&] { return interrupted; });
                        }
                        return ok_status();
                      }});
    auto stop = [&] {
      std::lock_guard<std::mutex> lock(mu);
      return interrupted;
    };
    auto results = run_install_jobs(jobs, install_jobs_options(workers, stop));
    EXPECT_TRUE(results[0].ran);
    for (std::size_t i = 3; i < 6; ++i) EXPECT_FALSE(results[i].ran) << "job " << i << ", " << workers << " workers";
    if (workers == 1) {
      EXPECT_FALSE(results[1].ran || results[2].ran);
    }
  }
}

TEST(InstallJobs, AnExceptionFailsItsJobNotTheProcess) {
  std::vector<InstallJob> jobs = {
      {"node", []() -> Status { throw std::runtime_error("boom"); }},
      {"go", []() -> Status { throw 42; }},
      {"node", []() -> Status { return ok_status(); }},
  };
  for (unsigned workers : {1u, 2u}) {
    std::vector<std::string> printed(jobs.size());
    JobRunOptions o = install_jobs_options(workers);
    o.on_done = [&](std::size_t i, const Status& st) { printed[i] = st.ok() ? "ok" : st.error(); };
    auto results = run_install_jobs(jobs, o);
    ASSERT_FALSE(results[0].status.ok());
    EXPECT_NE(results[0].status.error().find("internal error while installing node: boom"), std::string::npos);
    ASSERT_FALSE(results[1].status.ok());
    EXPECT_NE(results[1].status.error().find("installing go: an unknown exception"), std::string::npos);
    EXPECT_TRUE(results[2].status.ok());  // the same tool's next version still runs
    EXPECT_EQ(printed[0], results[0].status.error());
    EXPECT_EQ(printed[2], "ok");
  }
}

TEST(InstallJobs, NoJobsNoThreads) { EXPECT_TRUE(run_install_jobs({}, install_jobs_options(8)).empty()); }

TEST(InstallJobsSetting, ValuesAndOneLineErrors) {
  EXPECT_EQ(*parse_install_jobs("1", "-j"), 1u);
  EXPECT_EQ(*parse_install_jobs("16", "-j"), 16u);
  EXPECT_EQ(*parse_install_jobs("256", "-j"), 256u);
  for (const char* bad : {"0", "-1", "", "x", "4x", " 4", "257", "99999", "1e3", "4\n"}) {
    auto r = parse_install_jobs(bad, "-j");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
    EXPECT_EQ(r.error().rfind("-j '", 0), 0u) << r.error();
    EXPECT_NE(r.error().find("whole number from 1 to 256"), std::string::npos) << r.error();
  }
  EXPECT_GE(default_install_jobs(), 1u);
  EXPECT_EQ(*install_jobs_setting(std::nullopt, nullptr), default_install_jobs());
  EXPECT_EQ(*install_jobs_setting(std::nullopt, ""), default_install_jobs());
  EXPECT_EQ(*install_jobs_setting(std::nullopt, "3"), 3u);
  EXPECT_EQ(*install_jobs_setting(std::string("2"), "3"), 2u);  // the flag wins
  auto bad_env = install_jobs_setting(std::nullopt, "lots");
  ASSERT_FALSE(bad_env.ok());
  EXPECT_EQ(bad_env.error().rfind("RTX_JOBS 'lots'", 0), 0u) << bad_env.error();
}

}  // namespace
}  // namespace rtx::cli
