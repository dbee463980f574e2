#include "manager/backends/core/core_backends.hpp"

#include "manager/backends/core/go.hpp"
#include "manager/backends/core/node.hpp"
#include "manager/backends/core/npm.hpp"
#include "manager/backends/core/python.hpp"
#include "manager/backends/core/rust.hpp"

// One line per core backend; each lives in its own file of this folder.

namespace rtx::backends::core {

std::unique_ptr<Backend> make_core_backend(const BackendEnv& env, const std::string& tool) {
  if (tool == "node") return make_node_backend(env);
  if (tool == "go") return make_go_backend(env);
  if (tool == "python") return make_python_backend(env);
  if (tool == "rust") return make_rust_backend(env);
  if (tool.rfind("npm:", 0) == 0) return make_npm_backend(env, tool);
  return nullptr;
}

}  // namespace rtx::backends::core
