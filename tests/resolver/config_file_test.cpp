// Parsing one config file: .tool-versions and the TOML forms (DESIGN.md §4),
// and the "<path>:<line>: " prefix of every error (§9).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resolver/config_file.hpp"

namespace rtx::resolver {
namespace {

using Specs = std::vector<std::string>;

const char* const kToolVersions = "/proj/.tool-versions";
const char* const kToml = "/proj/.rtx.toml";

ConfigFile parse_ok(std::string_view text, ConfigFormat format) {
  const char* path = format == ConfigFormat::ToolVersions ? kToolVersions : kToml;
  auto f = parse_config(path, text, format);
  if (!f) {
    ADD_FAILURE() << f.error();
    return {};
  }
  EXPECT_EQ(f->path, path);
  return *f;
}

ConfigFile tv(std::string_view text) { return parse_ok(text, ConfigFormat::ToolVersions); }
ConfigFile toml(std::string_view text) { return parse_ok(text, ConfigFormat::Toml); }

// The error for text, which must be refused and start with "<path>:<line>: ".
std::string expect_error_at(std::string_view text, ConfigFormat format, int line) {
  const char* path = format == ConfigFormat::ToolVersions ? kToolVersions : kToml;
  auto f = parse_config(path, text, format);
  if (f.ok()) {
    ADD_FAILURE() << "accepted:\n" << text;
    return {};
  }
  std::string prefix = std::string(path) + ":" + std::to_string(line) + ": ";
  EXPECT_EQ(f.error().rfind(prefix, 0), 0u) << "want prefix '" << prefix << "', got: " << f.error();
  EXPECT_GT(f.error().size(), prefix.size() + 10) << "no explanation: " << f.error();
  return f.error();
}

void expect_tool(const ConfigFile& f, const char* tool, const Specs& specs, int line) {
  const ToolEntry* e = f.find(tool);
  ASSERT_NE(e, nullptr) << tool << " missing";
  EXPECT_EQ(e->tool, tool);
  EXPECT_EQ(e->specs, specs) << tool;
  EXPECT_EQ(e->line, line) << tool;
}

TEST(ConfigFile, FormatOfFileName) {
  EXPECT_EQ(format_of("/a/b/.tool-versions"), ConfigFormat::ToolVersions);
  EXPECT_EQ(format_of(".tool-versions"), ConfigFormat::ToolVersions);
  EXPECT_EQ(format_of("/a/.rtx.toml"), ConfigFormat::Toml);
  EXPECT_EQ(format_of("/a/mise.toml"), ConfigFormat::Toml);
  EXPECT_EQ(format_of("/home/u/.config/rtx/config.toml"), ConfigFormat::Toml);
  EXPECT_EQ(format_of("/a/.tool-versions/x.toml"), ConfigFormat::Toml);
}

// ---- .tool-versions

TEST(ConfigFile, ToolVersionsBasic) {
  ConfigFile f = tv("node 20.11.1\npython 3.11 3.10 system\n");
  ASSERT_EQ(f.tools.size(), 2u);
  EXPECT_EQ(f.tools[0].tool, "node");  // file order kept
  expect_tool(f, "node", {"20.11.1"}, 1);
  expect_tool(f, "python", {"3.11", "3.10", "system"}, 2);
  EXPECT_EQ(f.find("ruby"), nullptr);
}

TEST(ConfigFile, ToolVersionsBom) {
  ConfigFile f = tv("\xEF\xBB\xBFnode 20\nruby 3.3\n");
  ASSERT_EQ(f.tools.size(), 2u);
  expect_tool(f, "node", {"20"}, 1);
  expect_tool(f, "ruby", {"3.3"}, 2);
}

TEST(ConfigFile, ToolVersionsCrlf) {
  ConfigFile f = tv("node 20\r\npython 3.11 3.10\r\n\r\nruby 3.3\r\n");
  expect_tool(f, "node", {"20"}, 1);
  expect_tool(f, "python", {"3.11", "3.10"}, 2);
  expect_tool(f, "ruby", {"3.3"}, 4);
}

TEST(ConfigFile, ToolVersionsBlankLinesAndComments) {
  ConfigFile f =
      tv("# pinned for CI\n"
         "\n"
         "   \n"
         "node 20 18 # comment after the versions\n"
         "\t\n"
         "#python 3.11\n"
         "ruby 3.3#no space before it\n"
         "  go   1.22  \n");
  ASSERT_EQ(f.tools.size(), 3u);
  expect_tool(f, "node", {"20", "18"}, 4);
  expect_tool(f, "ruby", {"3.3"}, 7);
  expect_tool(f, "go", {"1.22"}, 8);
  EXPECT_EQ(f.find("python"), nullptr);
}

TEST(ConfigFile, ToolVersionsTabsAndNoFinalNewline) {
  ConfigFile f = tv("node\t20\t18");
  expect_tool(f, "node", {"20", "18"}, 1);
}

TEST(ConfigFile, ToolVersionsFirstLineNamingAToolWins) {
  ConfigFile f = tv("node 20\npython 3.11\nnode 18\n");
  ASSERT_EQ(f.tools.size(), 2u);
  expect_tool(f, "node", {"20"}, 1);
}

TEST(ConfigFile, ToolVersionsEmpty) {
  EXPECT_TRUE(tv("").tools.empty());
  EXPECT_TRUE(tv("\xEF\xBB\xBF").tools.empty());
  EXPECT_TRUE(tv("# nothing\n\n").tools.empty());
}

TEST(ConfigFile, ToolVersionsScopedToolNames) {
  ConfigFile f = tv("npm:@scope/pkg 1.0.0\nnpm:prettier 3\n");
  expect_tool(f, "npm:@scope/pkg", {"1.0.0"}, 1);
  expect_tool(f, "npm:prettier", {"3"}, 2);
}

TEST(ConfigFile, ToolVersionsToolWithoutVersion) {
  std::string err = expect_error_at("node 20\npython\n", ConfigFormat::ToolVersions, 2);
  EXPECT_NE(err.find("python"), std::string::npos) << err;
  expect_error_at("node 20\npython # 3.11\n", ConfigFormat::ToolVersions, 2);
}

TEST(ConfigFile, ToolVersionsBadVersion) {
  expect_error_at("# header\n\nnode ../x\n", ConfigFormat::ToolVersions, 3);
  expect_error_at("\xEF\xBB\xBFnode 20\r\npython 3.11 a/b\r\n", ConfigFormat::ToolVersions, 2);
  expect_error_at("node 20 ..\n", ConfigFormat::ToolVersions, 1);
}

TEST(ConfigFile, ToolVersionsBadToolName) {
  expect_error_at("node 20\n../evil 1.0\n", ConfigFormat::ToolVersions, 2);
  expect_error_at("-x 1.0\n", ConfigFormat::ToolVersions, 1);
  expect_error_at("node 20\n\nno*de 1\n", ConfigFormat::ToolVersions, 3);
}

// ---- TOML

TEST(ConfigFile, TomlString) {
  ConfigFile f = toml("[tools]\nnode = \"20\"\n");
  ASSERT_EQ(f.tools.size(), 1u);
  expect_tool(f, "node", {"20"}, 2);
}

TEST(ConfigFile, TomlArrayOfFallbacks) {
  ConfigFile f = toml("[tools]\n\npython = [\"3.11\", \"3.10\", \"system\"]\n");
  expect_tool(f, "python", {"3.11", "3.10", "system"}, 3);
}

TEST(ConfigFile, TomlInlineTableWithVersion) {
  ConfigFile f = toml("[tools]\ngo = { version = \"1.22\", os = \"linux\" }\n");
  expect_tool(f, "go", {"1.22"}, 2);
}

TEST(ConfigFile, TomlTableHeaderWithVersion) {
  ConfigFile f = toml("[tools]\nnode = \"20\"\n\n[tools.go]\nversion = \"1.22\"\n");
  expect_tool(f, "node", {"20"}, 2);
  ASSERT_NE(f.find("go"), nullptr);
  EXPECT_EQ(f.find("go")->specs, Specs{"1.22"});
}

TEST(ConfigFile, TomlAllThreeFormsTogether) {
  ConfigFile f = toml(
      "[tools]\n"
      "node = \"20\"\n"
      "python = [\"3.11\", \"3.10\"]\n"
      "go = { version = \"1.22\" }\n"
      "\"npm:prettier\" = \"latest\"\n");
  ASSERT_EQ(f.tools.size(), 4u);
  expect_tool(f, "node", {"20"}, 2);
  expect_tool(f, "python", {"3.11", "3.10"}, 3);
  expect_tool(f, "go", {"1.22"}, 4);
  expect_tool(f, "npm:prettier", {"latest"}, 5);
}

TEST(ConfigFile, TomlOtherTablesIgnored) {
  ConfigFile f = toml(
      "[settings]\n"
      "experimental = true\n"
      "[env]\n"
      "node = \"not a tool\"\n"
      "[tools]\n"
      "node = \"20\"\n"
      "[tasks.build]\n"
      "run = \"make\"\n"
      "version = 3\n");
  ASSERT_EQ(f.tools.size(), 1u);
  expect_tool(f, "node", {"20"}, 6);
}

TEST(ConfigFile, TomlWithoutTools) {
  EXPECT_TRUE(toml("").tools.empty());
  EXPECT_TRUE(toml("[settings]\nfoo = 1\n").tools.empty());
  EXPECT_TRUE(toml("[tools]\n").tools.empty());
}

TEST(ConfigFile, TomlBadSyntax) {
  expect_error_at("[tools]\nnode = \"20\"\npython = \n", ConfigFormat::Toml, 3);
  expect_error_at("[tools]\nnode = \"20\n", ConfigFormat::Toml, 2);
  expect_error_at("[tools\nnode = \"20\"\n", ConfigFormat::Toml, 1);
  expect_error_at("[tools]\nnode = \"20\"\nnode = \"18\"\n", ConfigFormat::Toml, 3);  // duplicate key
}

// A table header whose key starts with a character no key can start with:
// toml++ asserted here in builds with asserts (fuzz/config_toml), where the
// parse must end in this error line like any other.
TEST(ConfigFile, TomlTableHeaderWithABadFirstCharacter) {
  expect_error_at("[~ools]\nnode = \"20\"\n", ConfigFormat::Toml, 1);
  expect_error_at("[tools]\nnode = \"20\"\n[[ ~x]]\n", ConfigFormat::Toml, 3);
}

TEST(ConfigFile, TomlNumberInsteadOfString) {
  std::string err = expect_error_at("[tools]\n\nnode = 20\n", ConfigFormat::Toml, 3);
  EXPECT_NE(err.find("node"), std::string::npos) << err;
  expect_error_at("[tools]\npython = [\n  \"3.11\",\n  3,\n]\n", ConfigFormat::Toml, 4);
  expect_error_at("[tools]\ngo = { version = 1.22 }\n", ConfigFormat::Toml, 2);
  expect_error_at("[tools]\nnode = true\n", ConfigFormat::Toml, 2);
}

TEST(ConfigFile, TomlTableWithoutVersion) {
  std::string err = expect_error_at("[tools]\nnode = \"20\"\ngo = { ver = \"1.22\" }\n", ConfigFormat::Toml, 3);
  EXPECT_NE(err.find("go"), std::string::npos) << err;
  EXPECT_NE(err.find("version"), std::string::npos) << err;
}

TEST(ConfigFile, TomlBadVersion) {
  expect_error_at("[tools]\nnode = \"../x\"\n", ConfigFormat::Toml, 2);
  expect_error_at("[tools]\npython = [\"3.11\",\n  \"a/b\"]\n", ConfigFormat::Toml, 3);
  expect_error_at("[tools]\n\n\ngo = { version = \"1..2\" }\n", ConfigFormat::Toml, 4);
  expect_error_at("[tools]\nnode = \"\"\n", ConfigFormat::Toml, 2);
}

TEST(ConfigFile, TomlBadToolName) {
  expect_error_at("[tools]\nnode = \"20\"\n\"../evil\" = \"1.0\"\n", ConfigFormat::Toml, 3);
  expect_error_at("[tools]\n\"my tool\" = \"1.0\"\n", ConfigFormat::Toml, 2);
}

TEST(ConfigFile, TomlToolsNotATableOrEmptyList) {
  expect_error_at("tools = \"node\"\n", ConfigFormat::Toml, 1);
  expect_error_at("[tools]\nnode = []\n", ConfigFormat::Toml, 2);
}

TEST(ConfigFile, ValidateToolName) {
  for (const char* ok : {"node", "npm:prettier", "npm:@scope/pkg", "my-tool", "python_3", "core:go", "a.b"})
    EXPECT_TRUE(validate_tool_name(ok).ok()) << ok;
  for (const std::string& bad :
       {std::string(), std::string("../x"), std::string(".x"), std::string("-x"), std::string("/x"), std::string("a b"),
        std::string("a..b"), std::string("a\tb"), std::string("a*"), std::string(129, 'a')})
    EXPECT_FALSE(validate_tool_name(bad).ok()) << "accepted '" << bad << "'";
  EXPECT_TRUE(validate_tool_name(std::string(128, 'a')).ok());
}

}  // namespace
}  // namespace rtx::resolver
