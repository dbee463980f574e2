// `rtx install -j N` (issue 10 item 4): six tools, each with a real download
// from fixture mirrors on 127.0.0.1, installed one at a time (-j1) in one
// world and four at once (-j4) in another: the same trees, the same shims,
// one whole summary line per download on a non-terminal stderr. Timing is
// bench/parallel_install_bench's business, not a test's.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include "harness.hpp"
#include "six_tools_fixture.hpp"
#include "terminal.hpp"

namespace rtx::e2e {
namespace {

std::vector<std::string> parallel_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

int parallel_count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

class ParallelInstall : public ::testing::Test {
 protected:
  // The server and its six tools are made once for the suite (packing the
  // tarballs is most of the set-up).
  static void SetUpTestSuite() {
    scratch_ = new World;
    server_ = new test::HttpServer;
    six_ = new SixTools(*server_, scratch_->root());
    // A little latency per response, so that installs do overlap under -j4.
    server_->set_delay(std::chrono::milliseconds(20));
  }
  static void TearDownTestSuite() {
    delete six_;
    delete server_;
    delete scratch_;
  }

  ParallelInstall() {
    // Whatever the developer's shell says, the registry is ours.
    for (const char* v :
         {"NPM_CONFIG_REGISTRY", "npm_config_registry", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig"})
      ::unsetenv(v);
    for (World* w : {&serial, &parallel})
      for (const auto& [k, v] : six.env()) w->set_env(k, v);
  }

  // Every download said once, as a whole line; no line holds two messages.
  void expect_one_summary_line_each(const Output& o) {
    std::vector<std::string> lines = parallel_lines(o.err);
    int summaries = 0;
    for (const auto& line : lines) {
      EXPECT_EQ(line.find("rtx: ", 1), std::string::npos) << "two messages on one line: " << line;
      auto at = line.find("downloaded http");
      EXPECT_TRUE(at == 0 || at == std::string::npos) << "a summary mid-line: " << line;
      summaries += at == 0;
      EXPECT_EQ(line.find('\r'), std::string::npos) << "a progress row on a non-terminal: " << line;
    }
    EXPECT_EQ(summaries, 6) << o.err;
    for (const auto& t : six.tools()) {
      int n = 0;
      for (const auto& line : lines) n += line.rfind("downloaded " + server.url(t.artifact_path) + ": ", 0) == 0;
      EXPECT_EQ(n, 1) << t.name << ":\n" << o.err;
    }
  }

  // The installed prefixes of the six: every path with its type and mode,
  // and each file's content with the prefix's own path replaced (rust's
  // install.sh records its --prefix). One shell for all six: fast.
  std::string trees(const World& w) {
    std::string script = "set -e\n";
    for (const auto& t : six.tools())
      script += "echo '== " + t.name + "'; cd -P '" + w.data() + "/installs/" + t.name + "/" + t.version +
                "'; p=$(pwd -P); find . -printf '%y %m %p %l\\n' | LC_ALL=C sort; "
                "find . -type f | LC_ALL=C sort | while read -r f; do printf '%s ' \"$f\"; "
                "sed \"s#$p#PREFIX#g\" \"$f\" | sha256sum; done\n";
    Output o = w.sh(script);
    EXPECT_EQ(o.status, 0) << o.err;
    return o.out;
  }

  // What each tool's command prints through its shim, in one shell.
  std::string shim_outputs(const World& w) {
    std::string script;
    for (const auto& t : six.tools()) script += "echo \"== " + t.command + " $(" + t.command + ")\"\n";
    Output o = w.sh(script, w.make_project("p", "rtx.toml", six.rtx_toml()));
    EXPECT_EQ(o.err, "");
    return o.out;
  }

  static inline World* scratch_ = nullptr;
  static inline test::HttpServer* server_ = nullptr;
  static inline SixTools* six_ = nullptr;
  test::HttpServer& server = *server_;
  const SixTools& six = *six_;
  World serial, parallel;
};

TEST_F(ParallelInstall, FourAtOnceInstallsWhatOneAtATimeDoes) {
  std::vector<int> before;
  for (const auto& t : six.tools()) before.push_back(server.request_count(t.artifact_path));
  Output one = serial.rtx(six.install_args({"-j1"}));
  ASSERT_EQ(one.status, 0) << one.err;
  Output four = parallel.rtx(six.install_args({"-j", "4"}));
  ASSERT_EQ(four.status, 0) << four.err;

  for (const Output* o : {&one, &four}) expect_one_summary_line_each(*o);
  // -j1 keeps the old order: the tools one after another, as given.
  std::size_t last = 0;
  for (const auto& t : six.tools()) {
    std::size_t at = one.err.find("installed " + t.name + " " + t.version + " in ");
    ASSERT_NE(at, std::string::npos) << one.err;
    EXPECT_GT(at, last) << t.name << " out of order:\n" << one.err;
    last = at;
    EXPECT_NE(four.err.find("installed " + t.name + " " + t.version + " in "), std::string::npos) << four.err;
  }

  std::string expected;
  for (std::size_t i = 0; i < six.tools().size(); ++i) {
    const SixToolsTool& t = six.tools()[i];
    expected += "== " + t.command + " " + t.prints + "\n";
    EXPECT_EQ(server.request_count(t.artifact_path) - before[i], 2) << t.name;  // one download per world
  }
  std::string tree = trees(serial);
  for (const auto& t : six.tools())  // the listing itself lists something
    EXPECT_NE(tree.find("== " + t.name + "\n"), std::string::npos) << tree;
  EXPECT_EQ(parallel_count(tree, "\nf 755 ./bin/"), 6) << tree;
  EXPECT_EQ(tree, trees(parallel));
  EXPECT_EQ(shim_outputs(serial), expected);
  EXPECT_EQ(shim_outputs(parallel), expected);
  // Every tool's commands made it into the one index (reshim serialised).
  EXPECT_EQ(serial.read(serial.shims() + "/.index"), parallel.read(parallel.shims() + "/.index"));
}

// On a terminal (tmux) each download has its own row while it runs; what
// stays on the screen is one summary line each, whole, and no row.
TEST_F(ParallelInstall, OnATerminalEachDownloadEndsAsOneWholeLine) {
  std::string command = "env -i TERM=screen LANG=C.UTF-8";
  for (const auto& kv : parallel.environment()) {
    std::string key = kv.substr(0, kv.find('='));
    if (key.rfind("RTX_", 0) == 0 || key == "HOME" || key == "PATH" || key == "NPM_CONFIG_REGISTRY")
      command += " '" + kv + "'";
  }
  Terminal term(parallel, command + " sh");
  std::string install = "rtx";
  for (const auto& arg : six.install_args({"-j", "4"})) install += " " + arg;
  term.type(install + "; echo \"exit-\"$?");
  term.press("Enter");
  std::string screen;
  ASSERT_TRUE(term.shows("exit-0", &screen)) << screen;
  screen = term.screen();
  std::vector<std::string> lines = parallel_lines(screen);
  for (const auto& t : six.tools()) {
    int n = 0;
    for (const auto& line : lines) n += line.rfind("downloaded " + server.url(t.artifact_path) + ": ", 0) == 0;
    EXPECT_EQ(n, 1) << t.name << ":\n" << screen;
  }
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("rtx: ", 1), std::string::npos) << "two messages on one line:\n" << screen;
    EXPECT_EQ(line.find("ETA"), std::string::npos) << "a progress row left behind:\n" << screen;
  }
}

TEST_F(ParallelInstall, OneToolFailingLeavesTheOthersInstalled) {
  Output o = parallel.rtx({"install", "--jobs", "3", "node@20.11.1", "nosuchtool@1.0.0", "go@1.22.1"});
  EXPECT_EQ(o.status, 1) << o.err;
  int errors = 0;
  for (const auto& line : parallel_lines(o.err)) errors += line.find("nosuchtool") != std::string::npos;
  EXPECT_EQ(errors, 1) << o.err;
  EXPECT_NE(o.err.find("unknown tool 'nosuchtool'"), std::string::npos) << o.err;
  std::string project = parallel.make_project("p", "rtx.toml", six.rtx_toml());
  EXPECT_EQ(parallel.shim("node", {}, project).out, "v20.11.1\n");
  EXPECT_EQ(parallel.shim("go", {}, project).out.rfind("go version go1.22.1 ", 0), 0u);
}

TEST_F(ParallelInstall, ABadJobCountIsOneLineAndInstallsNothing) {
  int node_requests = server.request_count(six.tools()[0].artifact_path);
  for (const auto& bad :
       std::vector<std::vector<std::string>>{{"-j", "0"}, {"-j", "four"}, {"--jobs=-2"}, {"-j", "9999"}}) {
    std::vector<std::string> args = bad;
    args.insert(args.begin(), "install");
    args.push_back("node@20.11.1");
    Output o = parallel.rtx(args);
    EXPECT_EQ(o.status, 2) << bad[0];
    EXPECT_EQ(parallel_lines(o.err).size(), 1u) << o.err;
    EXPECT_NE(o.err.find("is not a number of parallel installs"), std::string::npos) << o.err;
  }
  parallel.set_env("RTX_JOBS", "lots");
  Output env = parallel.rtx({"install", "node@20.11.1"});
  EXPECT_EQ(env.status, 2);
  EXPECT_EQ(env.err,
            "rtx: RTX_JOBS 'lots' is not a number of parallel installs: use a whole number from 1 to 256 "
            "(e.g. -j 4; the default is the number of cores, " +
                std::to_string(std::max(1u, std::thread::hardware_concurrency())) + ")\n");
  EXPECT_EQ(server.request_count(six.tools()[0].artifact_path), node_requests);
  EXPECT_TRUE(parallel.store_names("node").empty());
}

}  // namespace
}  // namespace rtx::e2e
