// Finding the request for a tool (DESIGN.md §4): environment, nearest directory,
// file precedence within a directory, per-tool skipping, global config, errors.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fs_helpers.hpp"
#include "resolver/request.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

using test::write_file;

std::vector<std::string> spec_texts(const Request& r) {
  std::vector<std::string> out;
  for (const auto& s : r.specs) out.push_back(s.text);
  return out;
}

// A home and a project tree that do not nest:
//   <tmp>/home/.tool-versions, <tmp>/home/.config/rtx/config.toml  (global)
//   <tmp>/work/proj/sub                                           (cwd)
class RequestTest : public ::testing::Test {
 protected:
  RequestTest() {
    roots_.home = tmp_ / "home";
    roots_.config = tmp_ / "home/.config/rtx";
    roots_.data = tmp_ / "data";
    roots_.cache = tmp_ / "cache";
    roots_.state = tmp_ / "state";
    test::make_dirs(cwd());
    test::make_dirs(roots_.home);
  }

  std::string work() const { return tmp_ / "work"; }
  std::string proj() const { return tmp_ / "work/proj"; }
  std::string cwd() const { return tmp_ / "work/proj/sub"; }
  std::string global_toml() const { return roots_.config + "/config.toml"; }
  std::string home_tv() const { return roots_.home + "/.tool-versions"; }

  RequestFinder finder() const { return RequestFinder(roots_, cwd()); }

  // The request for tool, which must be found in `source` with these specs.
  void expect_request(const char* tool, const std::vector<std::string>& specs, const std::string& source) {
    auto r = finder().find(tool);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->tool, tool);
    EXPECT_EQ(spec_texts(*r), specs) << tool;
    EXPECT_EQ(r->source, source) << tool;
  }

  test::ScopedTempDir tmp_;
  Roots roots_;
  // No stray variables from the environment running the tests.
  test::ScopedEnv no_node_{"RTX_NODE_VERSION", std::nullopt};
  test::ScopedEnv no_python_{"RTX_PYTHON_VERSION", std::nullopt};
  test::ScopedEnv no_ruby_{"RTX_RUBY_VERSION", std::nullopt};
  test::ScopedEnv no_my_tool_{"RTX_MY_TOOL_VERSION", std::nullopt};
};

TEST_F(RequestTest, VersionEnvVarMangling) {
  EXPECT_EQ(version_env_var("node"), "RTX_NODE_VERSION");
  EXPECT_EQ(version_env_var("my-tool"), "RTX_MY_TOOL_VERSION");
  EXPECT_EQ(version_env_var("npm:prettier"), "RTX_NPM_PRETTIER_VERSION");
  EXPECT_EQ(version_env_var("npm:@scope/pkg"), "RTX_NPM__SCOPE_PKG_VERSION");
  EXPECT_EQ(version_env_var("python3"), "RTX_PYTHON3_VERSION");
}

TEST_F(RequestTest, EnvVarWinsOverEveryFile) {
  write_file(cwd() + "/.rtx.toml", "[tools]\nnode = \"18\"\n");
  write_file(global_toml(), "[tools]\nnode = \"16\"\n");
  test::ScopedEnv env("RTX_NODE_VERSION", "20.1");
  expect_request("node", {"20.1"}, "RTX_NODE_VERSION");
}

TEST_F(RequestTest, EnvVarForManglededToolName) {
  write_file(cwd() + "/.tool-versions", "my-tool 1.0\n");
  test::ScopedEnv env("RTX_MY_TOOL_VERSION", "2.0 1.9");
  expect_request("my-tool", {"2.0", "1.9"}, "RTX_MY_TOOL_VERSION");
}

TEST_F(RequestTest, EmptyEnvVarIsIgnored) {
  write_file(cwd() + "/.tool-versions", "node 18\n");
  test::ScopedEnv env("RTX_NODE_VERSION", "");
  expect_request("node", {"18"}, cwd() + "/.tool-versions");
}

TEST_F(RequestTest, BadEnvVarIsAnErrorNamingIt) {
  test::ScopedEnv env("RTX_NODE_VERSION", "../x");
  auto r = finder().find("node");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("RTX_NODE_VERSION"), std::string::npos) << r.error();
}

TEST_F(RequestTest, NearestDirectoryWins) {
  write_file(work() + "/.tool-versions", "node 16\n");
  write_file(proj() + "/.tool-versions", "node 18\n");
  write_file(cwd() + "/.tool-versions", "# pinned\nnode 20 19\n");
  auto r = finder().find("node");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(spec_texts(*r), (std::vector<std::string>{"20", "19"}));
  EXPECT_EQ(r->source, cwd() + "/.tool-versions");
  EXPECT_EQ(r->line, 2);
  EXPECT_EQ(r->joined(), "20 19");
}

TEST_F(RequestTest, AncestorDirectorySuppliesWhenCwdHasNone) {
  write_file(work() + "/.tool-versions", "node 16\n");
  write_file(proj() + "/mise.toml", "[tools]\nnode = \"18\"\n");
  expect_request("node", {"18"}, proj() + "/mise.toml");
}

TEST_F(RequestTest, NearerDirectoryBeatsAStrongerFileKindFurtherOut) {
  write_file(proj() + "/.rtx.toml", "[tools]\nnode = \"18\"\n");
  write_file(cwd() + "/.tool-versions", "node 20\n");
  expect_request("node", {"20"}, cwd() + "/.tool-versions");
}

TEST_F(RequestTest, FileKindsInOneDirectoryInPrecedenceOrder) {
  // Each file names node with its own version; removing the winner each time
  // reveals the next one: .rtx.toml > rtx.toml > .mise.toml > mise.toml > .tool-versions.
  write_file(cwd() + "/.rtx.toml", "[tools]\nnode = \"1.0.1\"\n");
  write_file(cwd() + "/rtx.toml", "[tools]\nnode = \"1.0.2\"\n");
  write_file(cwd() + "/.mise.toml", "[tools]\nnode = \"1.0.3\"\n");
  write_file(cwd() + "/mise.toml", "[tools]\nnode = \"1.0.4\"\n");
  write_file(cwd() + "/.tool-versions", "node 1.0.5\n");
  const char* order[] = {".rtx.toml", "rtx.toml", ".mise.toml", "mise.toml", ".tool-versions"};
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(order[i]);
    expect_request("node", {"1.0." + std::to_string(i + 1)}, cwd() + "/" + order[i]);
    test::remove_file(cwd() + "/" + order[i]);
  }
  auto r = finder().find("node");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->tool.empty());
}

TEST_F(RequestTest, AFileThatDoesNotNameTheToolIsSkippedInTheSameDirectory) {
  write_file(cwd() + "/.rtx.toml", "[tools]\npython = \"3.11\"\n");
  write_file(cwd() + "/.tool-versions", "node 20\n");
  write_file(proj() + "/.rtx.toml", "[tools]\nnode = \"18\"\n");
  expect_request("node", {"20"}, cwd() + "/.tool-versions");
  expect_request("python", {"3.11"}, cwd() + "/.rtx.toml");
}

TEST_F(RequestTest, AFileThatDoesNotNameTheToolDefersToAnOuterDirectory) {
  write_file(cwd() + "/.rtx.toml", "[tools]\npython = \"3.11\"\n");
  write_file(work() + "/.tool-versions", "node 18\n");
  expect_request("node", {"18"}, work() + "/.tool-versions");
}

TEST_F(RequestTest, GlobalConfigSuppliesWhatNoDirectoryNames) {
  write_file(cwd() + "/.tool-versions", "python 3.11\n");
  write_file(global_toml(), "[tools]\nnode = \"19\"\n");
  write_file(home_tv(), "node 17\nruby 3.3\n");
  expect_request("node", {"19"}, global_toml());  // config.toml before ~/.tool-versions
  expect_request("ruby", {"3.3"}, home_tv());
  expect_request("python", {"3.11"}, cwd() + "/.tool-versions");
}

TEST_F(RequestTest, HomeToolVersionsAlone) {
  write_file(home_tv(), "node 17\n");
  expect_request("node", {"17"}, home_tv());
}

TEST_F(RequestTest, NoHomeMeansNoHomeToolVersions) {
  write_file(home_tv(), "node 17\n");
  roots_.home.clear();
  auto r = finder().find("node");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->tool.empty());
}

TEST_F(RequestTest, NotConfiguredGivesAnEmptyTool) {
  write_file(cwd() + "/.rtx.toml", "[tools]\npython = \"3.11\"\n");
  write_file(global_toml(), "[tools]\nruby = \"3.3\"\n");
  auto r = finder().find("node");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->tool.empty());
  EXPECT_TRUE(r->specs.empty());
}

TEST_F(RequestTest, ADirectoryNamedLikeAConfigIsNotAConfig) {
  test::make_dirs(cwd() + "/.tool-versions");
  write_file(proj() + "/.tool-versions", "node 18\n");
  expect_request("node", {"18"}, proj() + "/.tool-versions");
}

TEST_F(RequestTest, MalformedFileOnTheWayIsAnErrorWithPathAndLine) {
  write_file(cwd() + "/.mise.toml", "[tools]\n\npython = 3\n");
  write_file(proj() + "/.tool-versions", "node 18\n");
  auto r = finder().find("node");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind(cwd() + "/.mise.toml:3: ", 0), 0u) << r.error();
}

TEST_F(RequestTest, MalformedOuterFileIsAnErrorWhenReached) {
  write_file(cwd() + "/.rtx.toml", "[tools]\npython = \"3.11\"\n");
  write_file(work() + "/.tool-versions", "ruby 3.3\nnode\n");
  auto r = finder().find("node");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind(work() + "/.tool-versions:2: ", 0), 0u) << r.error();
}

TEST_F(RequestTest, MalformedGlobalConfigIsAnErrorWhenReached) {
  write_file(global_toml(), "[tools]\nnode = \"18\"\nbroken = \n");
  auto r = finder().find("node");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind(global_toml() + ":3: ", 0), 0u) << r.error();
}

TEST_F(RequestTest, AllReturnsEveryToolInScopeWithTheWinningRequest) {
  write_file(cwd() + "/.rtx.toml", "[tools]\nnode = \"20\"\npython = [\"3.11\", \"3.10\"]\n");
  write_file(proj() + "/.tool-versions", "node 18\nruby 3.3\n");
  write_file(global_toml(), "[tools]\ngo = { version = \"1.22\" }\nnode = \"16\"\n");
  write_file(home_tv(), "deno 1.40\nruby 2.7\n");
  test::ScopedEnv env("RTX_RUBY_VERSION", "3.2");

  auto all = finder().all();
  ASSERT_TRUE(all.ok()) << all.error();
  struct Want {
    const char* tool;
    std::vector<std::string> specs;
    std::string source;
  };
  const Want want[] = {
      {"node", {"20"}, cwd() + "/.rtx.toml"}, {"python", {"3.11", "3.10"}, cwd() + "/.rtx.toml"},
      {"ruby", {"3.2"}, "RTX_RUBY_VERSION"},  {"go", {"1.22"}, global_toml()},
      {"deno", {"1.40"}, home_tv()},
  };
  EXPECT_EQ(all->size(), std::size(want));
  for (const auto& w : want) {
    int count = 0;
    for (const auto& r : *all) {
      if (r.tool != w.tool) continue;
      ++count;
      EXPECT_EQ(spec_texts(r), w.specs) << w.tool;
      EXPECT_EQ(r.source, w.source) << w.tool;
    }
    EXPECT_EQ(count, 1) << w.tool;
  }
}

TEST_F(RequestTest, AllAgreesWithFindForEachTool) {
  write_file(cwd() + "/.tool-versions", "node 20\n");
  write_file(proj() + "/.rtx.toml", "[tools]\nnode = \"18\"\npython = \"3.11\"\n");
  write_file(home_tv(), "python 3.9\nruby 3.3\n");
  auto all = finder().all();
  ASSERT_TRUE(all.ok()) << all.error();
  ASSERT_EQ(all->size(), 3u);
  for (const auto& r : *all) {
    auto one = finder().find(r.tool);
    ASSERT_TRUE(one.ok()) << one.error();
    EXPECT_EQ(one->source, r.source) << r.tool;
    EXPECT_EQ(one->joined(), r.joined()) << r.tool;
  }
}

TEST_F(RequestTest, AllReportsAMalformedFile) {
  write_file(cwd() + "/.tool-versions", "node 20\n");
  write_file(work() + "/rtx.toml", "[tools]\nnode = { ver = \"1\" }\n");
  auto all = finder().all();
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().rfind(work() + "/rtx.toml:2: ", 0), 0u) << all.error();
}

TEST_F(RequestTest, OnConfigReadSeesEachFileReadInOrder) {
  write_file(cwd() + "/.rtx.toml", "[tools]\npython = \"3.11\"\n");
  write_file(proj() + "/.tool-versions", "node 18\n");
  write_file(work() + "/.tool-versions", "node 16\n");  // past the winner: not read
  std::vector<std::string> seen;
  RequestFinder f = finder();
  f.on_config_read([&](const std::string& path) { seen.push_back(path); });
  auto r = f.find("node");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(seen, (std::vector<std::string>{cwd() + "/.rtx.toml", proj() + "/.tool-versions"}));
}

TEST_F(RequestTest, OnConfigReadSeesGlobalFilesDuringAll) {
  write_file(cwd() + "/mise.toml", "[tools]\npython = \"3.11\"\n");
  write_file(global_toml(), "[tools]\ngo = \"1.22\"\n");
  write_file(home_tv(), "node 17\n");
  std::vector<std::string> seen;
  RequestFinder f = finder();
  f.on_config_read([&](const std::string& path) { seen.push_back(path); });
  ASSERT_TRUE(f.all().ok());
  EXPECT_EQ(seen, (std::vector<std::string>{cwd() + "/mise.toml", global_toml(), home_tv()}));
}

// Runs fn in a child process; true when it exits within the deadline (a hang is
// killed rather than left to stall the test run).
bool finishes_within(std::chrono::milliseconds deadline, void (*fn)(const Roots&), const Roots& roots) {
  pid_t pid = ::fork();
  if (pid == 0) {
    fn(roots);
    ::_exit(0);
  }
  auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

TEST_F(RequestTest, RelativeWorkingDirectoryDoesNotHang) {
  // Whatever the answer (not configured, or an error), the shim must get one.
  auto relative = [](const Roots& r) { (void)RequestFinder(r, "relative/dir").find("node"); };
  auto dot = [](const Roots& r) { (void)RequestFinder(r, ".").find("node"); };
  EXPECT_TRUE(finishes_within(std::chrono::seconds(5), relative, roots_));
  EXPECT_TRUE(finishes_within(std::chrono::seconds(5), dot, roots_));
}

}  // namespace
}  // namespace rtx::resolver
