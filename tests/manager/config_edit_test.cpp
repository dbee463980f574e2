// The config editor (DESIGN.md §10): each case gives a whole file before and
// the whole file expected after, so any byte changed besides the one value fails.
#include "manager/config/config_edit.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_helpers.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::config {
namespace {

std::string toml_edit(const std::string& before, const std::string& tool, const std::string& spec) {
  auto out = set_in_toml(before, "/p/rtx.toml", tool, spec);
  EXPECT_TRUE(out.ok()) << out.error();
  return out ? *out : std::string{};
}

std::string tv_edit(const std::string& before, const std::string& tool, const std::string& spec) {
  auto out = set_in_tool_versions(before, "/p/.tool-versions", tool, spec);
  EXPECT_TRUE(out.ok()) << out.error();
  return out ? *out : std::string{};
}

const char* const kMiseToml = R"(# project tools — keep this header
min_version = '2024.1.0'

[env]
NODE_ENV = "production"   # used by the build
PATH_ADD = ['./bin']

[tools]
# the runtime
node = "18"  # LTS, see docs
"npm:prettier" = '3.0.0'
python = ["3.11", "3.10"]

[tasks.build]
run = """
npm ci
npm run build
"""
depends = ["lint"]

[settings]
experimental = true
)";

TEST(TomlEdit, ChangesOnlyTheValueInAFileWithCommentsEnvAndTasks) {
  std::string expected = kMiseToml;
  expected.replace(expected.find("node = \"18\""), 11, "node = \"20\"");
  EXPECT_EQ(toml_edit(kMiseToml, "node", "20"), expected);
}

TEST(TomlEdit, KeepsSingleQuotesAndQuotedKeys) {
  std::string expected = kMiseToml;
  expected.replace(expected.find("'3.0.0'"), 7, "'3.1.0'");
  EXPECT_EQ(toml_edit(kMiseToml, "npm:prettier", "3.1.0"), expected);
}

TEST(TomlEdit, ReplacesAWholeArray) {
  std::string expected = kMiseToml;
  expected.replace(expected.find("[\"3.11\", \"3.10\"]"), 16, "\"3.12\"");
  EXPECT_EQ(toml_edit(kMiseToml, "python", "3.12"), expected);
}

TEST(TomlEdit, ReplacesAnArraySpanningLinesWithComments) {
  EXPECT_EQ(toml_edit("[tools]\npython = [\n  '3.11', # newest\n  '3.10',\n]\ngo = \"1\"\n", "python", "3.12"),
            "[tools]\npython = '3.12'\ngo = \"1\"\n");
}

TEST(TomlEdit, ChangesOnlyTheVersionOfAnInlineTable) {
  EXPECT_EQ(toml_edit("[tools]\nnode = { version = \"18\", postinstall = \"npm i -g x\" }\n", "node", "20"),
            "[tools]\nnode = { version = \"20\", postinstall = \"npm i -g x\" }\n");
}

TEST(TomlEdit, ChangesDottedAndSubTableForms) {
  EXPECT_EQ(toml_edit("[tools]\nnode.version = '18' # pinned\n", "node", "20"),
            "[tools]\nnode.version = '20' # pinned\n");
  EXPECT_EQ(toml_edit("[tools.node]\nversion = \"18\"\nos = [\"linux\"]\n", "node", "20"),
            "[tools.node]\nversion = \"20\"\nos = [\"linux\"]\n");
  EXPECT_EQ(toml_edit("tools.node = \"18\"\n[env]\nA = \"1\"\n", "node", "20"),
            "tools.node = \"20\"\n[env]\nA = \"1\"\n");
}

TEST(TomlEdit, ReplacesAMultiLineString) {
  EXPECT_EQ(toml_edit("[tools]\nnode = \"\"\"18\"\"\"\n", "node", "20"), "[tools]\nnode = \"20\"\n");
}

TEST(TomlEdit, AddsANewToolAfterTheLastKeyOfTools) {
  EXPECT_EQ(toml_edit("[tools]\n  node = \"18\" # lts\n\n# next: env\n[env]\nA = 'x'\n", "go", "1.22"),
            "[tools]\n  node = \"18\" # lts\n  go = \"1.22\"\n\n# next: env\n[env]\nA = 'x'\n");
}

TEST(TomlEdit, AddsAQuotedKeyWithDoubleQuotes) {
  EXPECT_EQ(toml_edit("[tools]\nnode = '18'\n", "npm:prettier", "3"),
            "[tools]\nnode = '18'\n\"npm:prettier\" = \"3\"\n");
}

TEST(TomlEdit, AddsToAnEmptyToolsTableRightAfterItsHeader) {
  EXPECT_EQ(toml_edit("[tools]\n\n[env]\nA = '1'\n", "node", "20"), "[tools]\nnode = \"20\"\n\n[env]\nA = '1'\n");
}

TEST(TomlEdit, AddsATopLevelDottedKeyBesideTheOthers) {
  EXPECT_EQ(toml_edit("tools.node = \"18\"\n\n[env]\nA = '1'\n", "go", "1"),
            "tools.node = \"18\"\ntools.go = \"1\"\n\n[env]\nA = '1'\n");
}

TEST(TomlEdit, AddsAToolsTableAtTheEnd) {
  EXPECT_EQ(toml_edit("[env]\nA = '1'\n", "node", "20"), "[env]\nA = '1'\n\n[tools]\nnode = \"20\"\n");
  EXPECT_EQ(toml_edit("[env]\nA = '1'", "node", "20"), "[env]\nA = '1'\n\n[tools]\nnode = \"20\"\n");
  EXPECT_EQ(toml_edit("[env]\nA = '1'\n\n", "node", "20"), "[env]\nA = '1'\n\n[tools]\nnode = \"20\"\n");
  EXPECT_EQ(toml_edit("", "node", "20"), "[tools]\nnode = \"20\"\n");
  EXPECT_EQ(toml_edit("[tools]\nnode = '18'", "go", "1"), "[tools]\nnode = '18'\ngo = \"1\"\n");
}

TEST(TomlEdit, AddsAToolsTableAfterItsSubTables) {
  EXPECT_EQ(toml_edit("[tools.node]\nversion = '18'\n", "go", "1"),
            "[tools.node]\nversion = '18'\n\n[tools]\ngo = \"1\"\n");
}

TEST(TomlEdit, KeepsCrlfAndABom) {
  EXPECT_EQ(toml_edit("\xEF\xBB\xBF# c\r\n[tools]\r\nnode = \"18\"\r\n\r\n[env]\r\nA = '1'\r\n", "node", "20"),
            "\xEF\xBB\xBF# c\r\n[tools]\r\nnode = \"20\"\r\n\r\n[env]\r\nA = '1'\r\n");
  EXPECT_EQ(toml_edit("[tools]\r\nnode = \"18\"\r\n", "go", "1"), "[tools]\r\nnode = \"18\"\r\ngo = \"1\"\r\n");
}

TEST(TomlEdit, EscapesWhatAStringCannotHoldRaw) {
  EXPECT_EQ(toml_edit("[tools]\nnode = '18'\n", "node", "a'b"), "[tools]\nnode = \"a'b\"\n");
}

// Values the scanner must step over without losing its place.
const char* const kKitchenSink = R"(title = "a # not a comment ] }"
when = 1979-05-27 07:32:00Z
day = 1979-05-27
nums = [ [1, 2], [3.5e2, -inf], ]
pts = [ { x = 1, y = "}" }, { x = 2 } ]
'quoted.key' = 'C:\path'
text = """
line with "quotes" and ''' and \"""
tail""" # trailing
lit = '''raw \ "" '''
  [tools]   # the tools
  node   =   "18"   # spaced out
  "a.b"  = "1"
  python = [
    "3.11",  # first
    "3.10"
  ]
[[plugins]]
name = "x"
[[plugins]]
name = "y"
[tasks."build:all"]
run = ["a", "b"]
)";

TEST(TomlEdit, StepsOverEveryKindOfValue) {
  const std::string sink = kKitchenSink;
  std::string node = sink, python = sink, added = sink, dotted = sink;
  node.replace(node.find("\"18\""), 4, "\"20\"");
  EXPECT_EQ(toml_edit(sink, "node", "20"), node);
  std::size_t array = python.find("[\n    \"3.11\"");
  python.replace(array, python.find("]\n[[plugins]]") + 1 - array, "\"3.12\"");
  EXPECT_EQ(toml_edit(sink, "python", "3.12"), python);
  added.insert(added.find("[[plugins]]"), "  go = \"1\"\n");
  EXPECT_EQ(toml_edit(sink, "go", "1"), added);
  dotted.replace(dotted.find("\"a.b\"  = \"1\""), 12, "\"a.b\"  = \"2\"");
  EXPECT_EQ(toml_edit(sink, "a.b", "2"), dotted);
}

TEST(TomlEdit, RefusesMalformedTomlNamingTheLine) {
  auto out = set_in_toml("[tools]\nnode = \"18\"\nbroken = \n", "/p/rtx.toml", "node", "20");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("/p/rtx.toml:3:"), std::string::npos) << out.error();
  EXPECT_NE(out.error().find("unchanged"), std::string::npos) << out.error();
}

TEST(TomlEdit, RefusesAToolsTableDefinedTwice) {
  auto out = set_in_toml("[tools]\nnode = '1'\n[tools]\ngo = '1'\n", "/p/rtx.toml", "node", "20");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("/p/rtx.toml"), std::string::npos) << out.error();
}

TEST(TomlEdit, RefusesWhatItCannotAddSafely) {
  // [tools] as an inline table: neither a new key line nor a new [tools] can extend it.
  const std::string before = "tools = { node = \"18\" }\n";
  auto out = set_in_toml(before, "/p/rtx.toml", "go", "1");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("cannot edit /p/rtx.toml safely"), std::string::npos) << out.error();
  EXPECT_NE(out.error().find("by hand"), std::string::npos) << out.error();
}

TEST(TomlEdit, RefusesAFileRtxCannotRead) {
  auto out = set_in_toml("[tools]\ngo = '1'\n[tools.node]\nos = ['linux']\n", "/p/rtx.toml", "node", "20");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("/p/rtx.toml:3:"), std::string::npos) << out.error();
}

TEST(ToolVersionsEdit, ReplacesTheVersionsKeepingTheRestOfTheLine) {
  EXPECT_EQ(tv_edit("# tools\n  node\t18.1 16   # lts\npython 3.11\n", "node", "20"),
            "# tools\n  node\t20   # lts\npython 3.11\n");
  EXPECT_EQ(tv_edit("node 18\npython 3.11 3.10\n", "python", "3.12"), "node 18\npython 3.12\n");
}

TEST(ToolVersionsEdit, KeepsCrlfAndABom) {
  EXPECT_EQ(tv_edit("\xEF\xBB\xBFnode 18\r\npython 3.11\r\n", "node", "20"), "\xEF\xBB\xBFnode 20\r\npython 3.11\r\n");
  EXPECT_EQ(tv_edit("\xEF\xBB\xBFnode 18\r\n", "go", "1.22"), "\xEF\xBB\xBFnode 18\r\ngo 1.22\r\n");
}

TEST(ToolVersionsEdit, AppendsANewTool) {
  EXPECT_EQ(tv_edit("node 18\n# end\n", "go", "1.22"), "node 18\n# end\ngo 1.22\n");
  EXPECT_EQ(tv_edit("node 18", "go", "1.22"), "node 18\ngo 1.22\n");
  EXPECT_EQ(tv_edit("", "go", "1.22"), "go 1.22\n");
}

TEST(ToolVersionsEdit, EditsTheFirstLineNamingTheTool) {
  EXPECT_EQ(tv_edit("node 18\nnode 16\n", "node", "20"), "node 20\nnode 16\n");
}

TEST(ToolVersionsEdit, RefusesAMalformedFileAndAVersionItCannotHold) {
  auto bad = set_in_tool_versions("node\n", "/p/.tool-versions", "node", "20");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("/p/.tool-versions:1:"), std::string::npos) << bad.error();
  EXPECT_FALSE(set_in_tool_versions("node 18\n", "/p/.tool-versions", "node", "20 #x").ok());
}

class EditInPlace : public ::testing::Test {
 protected:
  test::ScopedTempDir dir;
  std::string at(const std::string& rel) const { return dir / rel; }
  static mode_t mode_of(const std::string& p) {
    struct stat st;
    return ::lstat(p.c_str(), &st) == 0 ? st.st_mode : 0;
  }
};

TEST_F(EditInPlace, ASymlinkedConfigIsEditedAtItsTarget) {
  test::write_text(at("shared/rtx.toml"), "# shared\n[tools]\nnode = '18'\n");
  test::make_dirs(at("proj"));
  ASSERT_EQ(::symlink("../shared/rtx.toml", at("proj/rtx.toml").c_str()), 0);
  ASSERT_TRUE(set_tool_spec(at("proj/rtx.toml"), "node", "20").ok());
  EXPECT_TRUE(S_ISLNK(mode_of(at("proj/rtx.toml"))));
  EXPECT_EQ(test::read_text(at("shared/rtx.toml")), "# shared\n[tools]\nnode = '20'\n");
}

TEST_F(EditInPlace, KeepsTheMode) {
  test::write_text(at("config.toml"), "[tools]\nnode = '18'\n", 0600);
  ASSERT_TRUE(set_tool_spec(at("config.toml"), "node", "20").ok());
  EXPECT_EQ(mode_of(at("config.toml")) & 07777, 0600u);
  EXPECT_EQ(test::read_text(at("config.toml")), "[tools]\nnode = '20'\n");
}

TEST_F(EditInPlace, KeepsTheOwnerAndGroup) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another owner";
  test::write_text(at("rtx.toml"), "[tools]\nnode = '18'\n", 0640);
  ASSERT_EQ(::chown(at("rtx.toml").c_str(), 4321, 4322), 0);
  ASSERT_TRUE(set_tool_spec(at("rtx.toml"), "node", "20").ok());
  struct stat st;
  ASSERT_EQ(::stat(at("rtx.toml").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_EQ(st.st_gid, 4322u);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(EditInPlace, AFileChangedSinceItWasReadIsNotOverwritten) {
  test::write_text(at("rtx.toml"), "[tools]\nnode = '18'\n");
  auto edit = plan_tool_spec(at("rtx.toml"), "node", "20");
  ASSERT_TRUE(edit.ok()) << edit.error();
  test::write_text(at("rtx.toml"), "[tools]\nnode = '16'  # edited by hand meanwhile\n");
  auto st = commit(*edit);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("changed while rtx was editing it"), std::string::npos) << st.error();
  EXPECT_EQ(test::read_text(at("rtx.toml")), "[tools]\nnode = '16'  # edited by hand meanwhile\n");
}

TEST_F(EditInPlace, RefusesAReadOnlyFileEvenForRoot) {
  test::write_text(at("rtx.toml"), "[tools]\nnode = '18'\n", 0444);
  auto st = set_tool_spec(at("rtx.toml"), "node", "20");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("read-only (mode 0444)"), std::string::npos) << st.error();
  EXPECT_EQ(test::read_text(at("rtx.toml")), "[tools]\nnode = '18'\n");
  EXPECT_EQ(mode_of(at("rtx.toml")) & 07777, 0444u);
}

TEST_F(EditInPlace, RefusesAFifoWithoutHanging) {
  ASSERT_EQ(::mkfifo(at("rtx.toml").c_str(), 0644), 0);
  auto st = set_tool_spec(at("rtx.toml"), "node", "20");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("not a regular file"), std::string::npos) << st.error();
}

TEST_F(EditInPlace, CreatesAMissingFileAndLeavesNoTemporaryFiles) {
  ASSERT_TRUE(set_tool_spec(at("new/rtx.toml"), "node", "20").ok());
  EXPECT_EQ(test::read_text(at("new/rtx.toml")), "[tools]\nnode = \"20\"\n");
  ASSERT_TRUE(set_tool_spec(at("new/rtx.toml"), "go", "1").ok());
  EXPECT_EQ(test::list_dir(at("new")), std::vector<std::string>{"rtx.toml"});
}

TEST_F(EditInPlace, ChoosesTheFileThatNamesTheTool) {
  test::write_text(at("p/rtx.toml"), "[tools]\ngo = '1'\n");
  test::write_text(at("p/mise.toml"), "[tools]\nnode = '18'\n");
  test::write_text(at("p/.tool-versions"), "python 3.11\nnode 16\n");
  std::vector<std::string> order{at("p/.rtx.toml"), at("p/rtx.toml"), at("p/.mise.toml"), at("p/mise.toml"),
                                 at("p/.tool-versions")};
  EXPECT_EQ(file_to_edit(order, at("p/rtx.toml"), "node"), at("p/mise.toml"));
  EXPECT_EQ(file_to_edit(order, at("p/rtx.toml"), "python"), at("p/.tool-versions"));
  EXPECT_EQ(file_to_edit(order, at("p/rtx.toml"), "ruby"), at("p/rtx.toml"));
  test::write_text(at("p/rtx.toml"), "[tools\n");  // malformed: it is the target, and the edit refuses it
  EXPECT_EQ(file_to_edit(order, at("p/rtx.toml"), "node"), at("p/rtx.toml"));
}

}  // namespace
}  // namespace rtx::config
