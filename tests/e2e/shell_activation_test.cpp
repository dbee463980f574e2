// rtx activate / deactivate / completion (issue 9 items 2 and 3) in the real
// shells: bash, zsh and fish run the generated code, first as scripts (what
// PATH ends up as), then interactively in a tmux terminal, where TAB must
// complete subcommands and installed versions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "terminal.hpp"

using namespace rtx::e2e;

namespace {

struct ShellCase {
  std::string name;         // "bash"
  std::string run;          // how a script file runs in it: "bash --norc"
  std::string eval;         // how a script activates: eval "$(rtx activate bash)"
  std::string deeval;       // and deactivates
  std::string interactive;  // the command tmux starts
  std::string prepare;      // typed first in the terminal (zsh: load its completion system)
};

std::vector<ShellCase> shells() {
  return {
      {"bash", "bash --norc --noprofile", "eval \"$(rtx activate bash)\"", "rtx deactivate",
       "env PS1='$ ' bash --norc --noprofile", ""},
      {"zsh", "zsh -f", "eval \"$(rtx activate zsh)\"", "rtx deactivate", "env PS1='$ ' zsh -f",
       "autoload -U compinit && compinit -u"},
      {"fish", "fish --no-config", "rtx activate fish | source", "rtx deactivate", "fish --no-config", ""},
  };
}

// The PATH a shell sees with rtx's build dir but without the shims, as a user
// who has not activated rtx yet.
std::string plain_path() { return std::string(RTX_BIN_DIR) + ":/usr/local/bin:/usr/bin:/bin"; }

class ShellActivation : public ::testing::Test {
 protected:
  World world;

  // Runs `body` as a script file in `shell`; the PATH it starts with has no shims.
  Output run_script(const ShellCase& shell, const std::string& body) {
    std::string file = world.root() + "/script." + shell.name;
    std::string set_path = shell.name == "fish"
                               ? "set -gx PATH " + std::string(RTX_BIN_DIR) + " /usr/local/bin /usr/bin /bin\n"
                               : "PATH='" + plain_path() + "'\n";
    std::ofstream(file) << set_path << body;
    return world.sh(shell.run + " " + file);
  }

  // PATH as one line with ':' between entries, whatever the shell.
  static std::string print_path(const ShellCase& shell) {
    return shell.name == "fish" ? "string join : $PATH\n" : "printf '%s\\n' \"$PATH\"\n";
  }
};

TEST_F(ShellActivation, ShimsComeFirstOnceEvenWhenSourcedTwice) {
  for (const auto& shell : shells()) {
    Output o = run_script(shell, shell.eval + "\n" + shell.eval + "\n" + print_path(shell));
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_EQ(o.out, world.shims() + ":" + plain_path() + "\n") << shell.name;
  }
}

TEST_F(ShellActivation, ActivatingAgainAfterALaterPrependMovesTheShimsBackToTheFront) {
  for (const auto& shell : shells()) {
    std::string prepend = shell.name == "fish" ? "set -gx PATH /opt/x $PATH\n" : "PATH=\"/opt/x:$PATH\"\n";
    Output o =
        run_script(shell, shell.eval + "\n" + prepend + print_path(shell) + shell.eval + "\n" + print_path(shell));
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_EQ(o.out,
              "/opt/x:" + world.shims() + ":" + plain_path() + "\n" + world.shims() + ":/opt/x:" + plain_path() + "\n")
        << shell.name;
  }
}

TEST_F(ShellActivation, AnActivatedShellRunsTheConfiguredVersionThroughItsShim) {
  world.link_sample_plugin();
  ASSERT_EQ(world.rtx({"install", "hello@1.1.0"}).status, 0);
  std::string project = world.make_project("proj", ".tool-versions", "hello 1.1.0\n");
  for (const auto& shell : shells()) {
    Output o = run_script(shell, shell.eval + "\ncd " + project + "\nhello\n");
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_NE(o.out.find("1.1.0"), std::string::npos) << shell.name << ": " << o.out;
  }
}

TEST_F(ShellActivation, DeactivateRemovesEveryShimsEntryAndTheFunction) {
  for (const auto& shell : shells()) {
    std::string check_function = shell.name == "fish"
                                     ? "functions -q rtx; and echo function-left\n"
                                     : "type rtx 2>/dev/null | grep -q function && echo function-left\n";
    Output o =
        run_script(shell, shell.eval + "\n" + shell.deeval + "\n" + print_path(shell) + check_function + "true\n");
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_EQ(o.out, plain_path() + "\n") << shell.name;
  }
}

TEST_F(ShellActivation, APathWithQuotesAndGlobCharactersIsTakenLiterally) {
  std::string odd = world.root() + "/it's [a] *dir*";
  world.set_env("RTX_DATA_DIR", odd);
  for (const auto& shell : shells()) {
    std::string other = shell.name == "fish" ? "set -gx PATH /x/itXs/ $PATH\n" : "PATH=\"/x/itXs/:$PATH\"\n";
    Output o = run_script(shell, other + shell.eval + "\n" + shell.eval + "\n" + print_path(shell));
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_EQ(o.out, odd + "/shims:/x/itXs/:" + plain_path() + "\n") << shell.name;
  }
}

// Activated from an absolute path (scripts/install.sh prints one): the rtx
// function and completion run that rtx, so PATH need not hold it.
TEST_F(ShellActivation, TheRtxFunctionRunsTheRtxThatActivatedIt) {
  for (const auto& shell : shells()) {
    std::string activate = shell.name == "fish"
                               ? std::string(RTX_BIN_DIR) + "/rtx activate fish | source\n"
                               : "eval \"$('" + std::string(RTX_BIN_DIR) + "/rtx' activate " + shell.name + ")\"\n";
    std::string narrow =
        shell.name == "fish" ? "set -gx PATH $PATH[1] /usr/bin /bin\n" : "PATH=\"${PATH%%:*}:/usr/bin:/bin\"\n";
    Output o = run_script(shell, activate + narrow + "rtx --version\n" + shell.deeval + "\n" + print_path(shell));
    ASSERT_EQ(o.status, 0) << shell.name << ": " << o.err;
    EXPECT_EQ(o.out, "rtx 0.1.0\n/usr/bin:/bin\n") << shell.name;
  }
}

TEST_F(ShellActivation, AnUnknownShellIsOneErrorLine) {
  Output o = world.rtx({"activate", "tcsh"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "rtx: unknown shell 'tcsh': rtx supports bash, zsh and fish\n");
}

TEST_F(ShellActivation, TabCompletesSubcommandsAndInstalledVersionsInARealTerminal) {
  world.link_sample_plugin();
  ASSERT_EQ(world.rtx({"install", "hello@1.1.0"}).status, 0);
  world.set_env("PATH", plain_path());
  for (const auto& shell : shells()) {
    SCOPED_TRACE(shell.name);
    Terminal term(world, shell.interactive);
    std::string screen;
    term.type("echo ready-\"\"marker");  // the echo, not the typed line, shows "ready-marker"
    term.press("Enter");
    ASSERT_TRUE(term.shows("ready-marker", &screen)) << screen;
    if (!shell.prepare.empty()) {
      term.type(shell.prepare);
      term.press("Enter");
    }
    term.type(shell.eval);
    term.press("Enter");
    term.type("echo activated-$PATH");
    term.press("Enter");
    ASSERT_TRUE(term.shows("activated-" + world.shims(), &screen)) << screen;

    term.type("rtx uninst");
    term.press("Tab");
    EXPECT_TRUE(term.shows("rtx uninstall\n", &screen)) << screen;
    term.type("hel");
    term.press("Tab");
    EXPECT_TRUE(term.shows("rtx uninstall hello@1.1.0", &screen)) << screen;
    term.press("C-u");
    term.type("rtx plugins rem");
    term.press("Tab");
    EXPECT_TRUE(term.shows("rtx plugins remove\n", &screen)) << screen;
    term.press("C-u");
  }
}

// Remote versions keep rtx's order in bash (newest first, `compopt -o
// nosort`), where bash alone would sort 1.0.0 first, and complete after the
// '@' bash splits words at; the sample plugin's list-all stands in for the
// network.
TEST_F(ShellActivation, TabOffersRemoteVersionsNewestFirstInBash) {
  world.link_sample_plugin();
  world.set_env("PATH", plain_path());
  const ShellCase bash = shells().front();
  Terminal term(world, bash.interactive);
  std::string screen;
  term.type("echo ready-\"\"marker");
  term.press("Enter");
  ASSERT_TRUE(term.shows("ready-marker", &screen)) << screen;
  term.type(bash.eval);
  term.press("Enter");
  term.type("rtx install hello@1.");
  term.press("Tab");
  term.press("Tab");
  // bash lists the word from its '@' (a COMP_WORDBREAKS character) on.
  EXPECT_TRUE(term.shows("\n@1.1.0  @1.0.0", &screen)) << screen;
  term.type("0");
  term.press("Tab");
  EXPECT_TRUE(term.shows("rtx install hello@1.0.0\n", &screen)) << screen;
}

}  // namespace
