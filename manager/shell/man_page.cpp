#include "manager/shell/man_page.hpp"

namespace rtx::shell {
namespace {

// Text as roff: backslashes and hyphens escaped, no line starting with a
// control character ('.' or '\'').
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string synopsis(const CliCommand& cmd, const std::string& path) {
  std::string out = "\\fB" + roff(path) + "\\fR";
  if (!cmd.options.empty()) out += " [\\fIoptions\\fR]";
  for (const auto& p : cmd.positionals) {
    std::string word = "\\fI" + roff(p.name) + "\\fR" + (p.many ? "..." : "");
    out += " " + (p.required ? word : "[" + word + "]");
  }
  if (!cmd.subcommands.empty()) out += " \\fIcommand\\fR";
  return out;
}

void describe(const CliCommand& cmd, const std::string& path, std::string& out) {
  out += ".TP\n" + synopsis(cmd, path) + "\n" + roff(cmd.help) + "\n";
  for (const auto& o : cmd.options) {
    if (o.names.empty() || o.names.back() == "--help") continue;
    std::string names;
    for (const auto& n : o.names) names += (names.empty() ? "" : ", ") + ("\\fB" + roff(n) + "\\fR");
    out += ".RS\n.TP\n" + names + (o.takes_value ? " \\fIvalue\\fR" : "") + "\n" + roff(o.help) + "\n.RE\n";
  }
  for (const auto& sub : cmd.subcommands) describe(sub, path + " " + sub.name, out);
}

}  // namespace

std::string man_page(const CliCommand& root, const std::string& version) {
  std::string out = ".TH RTX 1 \"\" \"" + roff(version) +
                    "\" \"User Commands\"\n"
                    ".SH NAME\n"
                    "rtx \\- toolchain versions that never break what is running\n"
                    ".SH SYNOPSIS\n" +
                    synopsis(root, "rtx") +
                    "\n"
                    ".SH DESCRIPTION\n"
                    "rtx installs versions of tools (node, python, go, rust, npm packages, any asdf plugin)\n"
                    "side by side and runs the one a project asks for through shims. A shim pins the build\n"
                    "it runs with a file lease every child inherits, so an upgrade, rollback or uninstall\n"
                    "never removes or changes a build a running process uses.\n"
                    ".PP\n"
                    "Projects ask in \\fI.rtx.toml\\fR, \\fIrtx.toml\\fR, \\fI.mise.toml\\fR, \\fImise.toml\\fR or\n"
                    "\\fI.tool-versions\\fR, nearest directory first; then \\fI$RTX_CONFIG_DIR/config.toml\\fR and\n"
                    "\\fI~/.tool-versions\\fR; \\fBRTX_\\fR\\fITOOL\\fR\\fB_VERSION\\fR beats them all.\n"
                    ".SH COMMANDS\n";
  for (const auto& sub : root.subcommands) describe(sub, "rtx " + sub.name, out);
  out +=
      ".SH ENVIRONMENT\n"
      ".TP\n\\fBRTX_DATA_DIR\\fR, \\fBRTX_CONFIG_DIR\\fR, \\fBRTX_CACHE_DIR\\fR, \\fBRTX_STATE_DIR\\fR\n"
      "Where rtx keeps builds and shims, its global config, downloads, and its own state\n"
      "(defaults under \\fI~/.local/share\\fR, \\fI~/.config\\fR, \\fI~/.cache\\fR, \\fI~/.local/state\\fR).\n"
      ".TP\n\\fBRTX_\\fR\\fITOOL\\fR\\fB_VERSION\\fR\n"
      "The version of \\fITOOL\\fR wherever the command runs (upper case, \\- as _).\n"
      ".TP\n\\fBRTX_NODE_MIRROR\\fR, \\fBRTX_GO_MIRROR\\fR, \\fBRTX_PYTHON_MIRROR\\fR, \\fBRTX_RUST_MIRROR\\fR\n"
      "Where the core backends download from.\n"
      ".SH FILES\n"
      ".TP\n\\fI$RTX_DATA_DIR/shims\\fR\n"
      "What \\fBrtx activate\\fR puts first on PATH; cron jobs and services put it there themselves.\n"
      ".SH EXIT STATUS\n"
      "0 on success; 1 for an error; 2 for bad arguments; 127 when the version asked for is not\n"
      "installed or no version is configured.\n";
  return out;
}

}  // namespace rtx::shell
