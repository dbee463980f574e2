// Issue 9's "done when": a new user installs rtx into a prefix, adds the line
// the installer prints to the shell's rc file, opens a new shell, `cd`s into
// a project that has only an `.nvmrc`, and `node --version` installs that
// version and runs it. No node shim exists on such a machine: the shell's
// command-not-found hook, set by `rtx activate`, is what installs it
// (docs/decisions.md "Command not found → install"). bash, zsh and fish, each
// in a tmux terminal started with an empty environment but HOME and PATH; a
// fixture node mirror on 127.0.0.1 stands for nodejs.org.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "mirror_fixture.hpp"
#include "terminal.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

struct NewUserShell {
  std::string name;          // "bash"
  std::string rc;            // its rc file, under HOME
  std::string earlier_hook;  // the not-found hook the user had before rtx (as Debian's command-not-found)
  std::string status;        // the last command's status in this shell's syntax
  bool runs_it = true;       // the hook runs the command once installed (fish: "run it again", see activation.cpp)
};

std::vector<NewUserShell> new_user_shells() {
  return {
      {"bash", ".bashrc", "command_not_found_handle() { echo \"earlier hook: $1\" >&2; return 127; }", "$?", true},
      {"zsh", ".zshrc", "command_not_found_handler() { echo \"earlier hook: $1\" >&2; return 127; }", "$?", true},
      {"fish", ".config/fish/config.fish", "function fish_command_not_found; echo \"earlier hook: $argv[1]\" >&2; end",
       "$status", false},
  };
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class NewUser : public ::testing::Test {
 protected:
  void SetUp() override {
    node.add("18.19.1", "Hydrogen");
    node.add("20.10.0", "Iron");
    node.add("20.11.1", "Iron");
    node.add("21.6.2");
    // scripts/install.sh without its build: the same `cmake --install`.
    Output o = world.sh("cmake --install '" RTX_BUILD_DIR "' --prefix " + quoted(prefix()));
    ASSERT_EQ(o.status, 0) << o.out << o.err;
    // A fresh Debian has no node: the system's commands, less any node this
    // test machine has, are the whole PATH (/bin is /usr/bin on Debian 12).
    fs::create_directories(system_bin());
    for (const auto& e : fs::directory_iterator("/usr/bin")) {
      std::string name = e.path().filename().string();
      if (name != "node" && name != "nodejs" && name != "npm" && name != "npx" && name != "corepack")
        fs::create_symlink(e.path(), system_bin() + "/" + name);
    }
  }

  std::string prefix() const { return world.root() + "/prefix"; }
  std::string system_bin() const { return world.root() + "/usr-bin"; }

  // A home as a new user's: .nvmrc read for node (the documented opt-in), a
  // project with only an .nvmrc, and the rc file ending in the line the
  // installed rtx prints for scripts/install.sh.
  std::string new_home(const NewUserShell& shell, const std::string& nvmrc = "lts/iron\n") {
    std::string home = world.root() + "/home-" + shell.name;
    fs::create_directories(home + "/project");
    fs::create_directories(home + "/.config/rtx");
    fs::create_directories(fs::path(home + "/" + shell.rc).parent_path());
    std::ofstream(home + "/.config/rtx/config.toml")
        << "[settings]\nidiomatic_version_file_enable_tools = [\"node\"]\n";
    std::ofstream(home + "/project/.nvmrc") << nvmrc;
    Output line = world.sh(quoted(prefix() + "/bin/rtx") + " __rc-line " + shell.name);
    EXPECT_EQ(line.status, 0) << line.err;
    EXPECT_NE(line.out.find(prefix() + "/bin/rtx"), std::string::npos) << line.out;
    std::ofstream(home + "/" + shell.rc) << shell.earlier_hook << "\n" << line.out;
    return home;
  }

  // `shell` as a fresh login would start it: nothing in the environment but
  // the basics (and the mirror standing in for nodejs.org).
  std::string fresh(const std::string& home, const std::string& shell, const std::string& extra = "") const {
    return "env -i HOME=" + quoted(home) + " PATH=" + quoted(system_bin()) + " TERM=screen LANG=C.UTF-8 SHELL=/bin/" +
           shell + " RTX_NODE_MIRROR=" + quoted(node.url()) + " " + extra + " " + shell;
  }

  // Runs `commands` in an interactive `shell` (its rc file read) without a terminal.
  Output run(const std::string& home, const NewUserShell& shell, const std::string& commands,
             const std::string& extra = "") const {
    return world.sh(fresh(home, shell.name, extra) + " -i -c " + quoted(commands));
  }

  std::size_t node_builds(const std::string& home) const {
    std::string store = home + "/.local/share/rtx/store/node";
    if (!fs::exists(store)) return 0;
    std::size_t builds = 0;  // <version>-<build>, not its .state/.lease/.meta files nor fuzzy links
    for (const auto& e : fs::directory_iterator(store)) {
      std::string n = e.path().filename().string();
      builds += e.is_directory() && !e.is_symlink() && n.find('-') != std::string::npos &&
                n.find('.', n.find('-')) == std::string::npos;
    }
    return builds;
  }

  test::HttpServer server;
  NodeMirror node{server, "/dist"};
  World world;
};

TEST_F(NewUser, NodeFromAnNvmrcInstallsOnFirstUseInANewInteractiveShell) {
  for (const auto& shell : new_user_shells()) {
    SCOPED_TRACE(shell.name);
    std::string home = new_home(shell);
    Terminal term(world, fresh(home, shell.name));
    std::string screen;
    term.type("echo ready-\"\"marker");  // the echo, not the typed line, shows "ready-marker"
    term.press("Enter");
    ASSERT_TRUE(term.shows("ready-marker", &screen)) << screen;

    term.type("cd ~/project && node --version > ~/first.out 2> ~/first.err; echo first-status=" + shell.status);
    term.press("Enter");
    if (shell.runs_it) {
      ASSERT_TRUE(term.shows("first-status=0", &screen, 120)) << screen;
      EXPECT_EQ(world.read(home + "/first.out"), "v20.11.1\n") << "stdout holds node's answer alone";
      EXPECT_NE(world.read(home + "/first.err").find("auto-installing node@lts-iron"), std::string::npos)
          << world.read(home + "/first.err");
    } else {  // fish's hook has no redirections to honour: the progress shows, then what to do
      ASSERT_TRUE(term.shows("rtx: installed what provides node: run it again", &screen, 120)) << screen;
      EXPECT_TRUE(term.shows("auto-installing node@lts-iron", &screen)) << screen;
    }

    term.type("node --version 2> ~/second.err; echo second-status=" + shell.status);
    term.press("Enter");
    EXPECT_TRUE(term.shows("v20.11.1\nsecond-status=0", &screen)) << screen;
    EXPECT_EQ(world.read(home + "/second.err"), "") << "the second run installed again or said something";
    EXPECT_EQ(node_builds(home), 1u);

    term.type("no-such-tool");
    term.press("Enter");
    EXPECT_TRUE(term.shows("earlier hook: no-such-tool", &screen)) << screen;
  }
}

TEST_F(NewUser, WithAutoInstallOffOneLineSaysWhatToRunAndNothingInstalls) {
  for (const auto& shell : new_user_shells()) {
    SCOPED_TRACE(shell.name);
    std::string home = new_home(shell);
    Output o = run(home, shell, "cd ~/project && node --version", "RTX_AUTO_INSTALL=0");
    EXPECT_NE(o.status, 0);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("rtx: node lts-iron (" + home + "/project/.nvmrc) provides 'node' but is not installed"),
              std::string::npos)
        << o.err;
    EXPECT_NE(o.err.find("run 'rtx install'"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("earlier hook"), std::string::npos) << "rtx already said why: " << o.err;
    EXPECT_EQ(node_builds(home), 0u);
  }
}

TEST_F(NewUser, WhereNodeIsNotConfiguredTheEarlierHookAnswers) {
  for (const auto& shell : new_user_shells()) {
    SCOPED_TRACE(shell.name);
    std::string home = new_home(shell);
    Output o = run(home, shell, "cd ~ && node --version");
    EXPECT_NE(o.status, 0);
    EXPECT_NE(o.err.find("earlier hook: node"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("rtx:"), std::string::npos) << o.err;
    EXPECT_EQ(node_builds(home), 0u);
  }
}

TEST_F(NewUser, DeactivateBringsBackTheEarlierHook) {
  for (const auto& shell : new_user_shells()) {
    SCOPED_TRACE(shell.name);
    std::string home = new_home(shell);
    Output o = run(home, shell, "rtx deactivate; cd ~/project && node --version");
    EXPECT_NE(o.status, 0);
    EXPECT_NE(o.err.find("earlier hook: node"), std::string::npos) << o.err;
    EXPECT_EQ(node_builds(home), 0u);
  }
}

TEST_F(NewUser, AVersionTheMirrorLacksIsOneLineAndRunsNothing) {
  for (const auto& shell : new_user_shells()) {
    SCOPED_TRACE(shell.name);
    std::string home = new_home(shell, "v99\n");
    Output o = run(home, shell, "cd ~/project && node --version");
    EXPECT_NE(o.status, 0);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("no version of node matches '99'"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("earlier hook"), std::string::npos) << o.err;
    EXPECT_EQ(node_builds(home), 0u);
  }
}

// corepack is node's, so typing it installs node; this fixture's node has no
// corepack, so the shell then says "not found" as it would have.
TEST_F(NewUser, ACompanionCommandInstallsItsToolAndOneItLacksIsStillNotFound) {
  const NewUserShell bash = new_user_shells().front();
  std::string home = new_home(bash);
  Output o = run(home, bash, "cd ~/project && corepack --version");
  EXPECT_EQ(o.status, 127);
  EXPECT_NE(o.err.find("installed node, which has no 'corepack' command"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("earlier hook: corepack"), std::string::npos) << o.err;
  EXPECT_EQ(node_builds(home), 1u);
  Output node_now = run(home, bash, "cd ~/project && node --version");
  EXPECT_EQ(node_now.out, "v20.11.1\n") << node_now.err;
}

}  // namespace
}  // namespace rtx::e2e
