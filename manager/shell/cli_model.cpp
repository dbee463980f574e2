#include "manager/shell/cli_model.hpp"

namespace rtx::shell {

WordKind word_kind(const std::string& name) {
  if (name == "tool@spec") return WordKind::ToolSpec;
  if (name == "tool@version" || name == "tool[@spec]") return WordKind::Installed;
  if (name == "tool[@prefix]") return WordKind::ToolPrefix;
  if (name == "tool" || name == "name") return WordKind::Tool;
  if (name == "command") return WordKind::Command;
  if (name == "dir") return WordKind::Path;
  if (name == "--to") return WordKind::Version;
  if (name == "prefix") return WordKind::RemoteVersion;  // rtx ls-remote TOOL PREFIX
  return WordKind::None;
}

}  // namespace rtx::shell
