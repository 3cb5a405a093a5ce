#include "support/dotnet_oracle.hpp"

#include <array>
#include <cstdlib>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace vth_properties {

namespace {
std::string required_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw std::runtime_error(std::string("dotnet_oracle: ") + name + " is not set");
  return value;
}
}  // namespace

dotnet_oracle::dotnet_oracle() {
  const std::string dotnet = required_environment("VTLAB_DOTNET");
  const std::string dll = required_environment("VTLAB_ORACLE_DLL");
  std::array<int, 2> to_child{}, from_child{};
  if (pipe(to_child.data()) != 0 || pipe(from_child.data()) != 0) throw std::runtime_error("dotnet_oracle: no pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  std::string stream = "--stream";
  char* argv[] = {const_cast<char*>(dotnet.c_str()), const_cast<char*>(dll.c_str()), stream.data(), nullptr};
  const int started = posix_spawn(&pid_, dotnet.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (started != 0) {
    close(to_child[1]);
    close(from_child[0]);
    throw std::runtime_error("dotnet_oracle: cannot start " + dotnet);
  }
  to_ = fdopen(to_child[1], "w");
  from_ = fdopen(from_child[0], "r");
}

dotnet_oracle::~dotnet_oracle() {
  if (to_ != nullptr) std::fclose(to_);  // end of input: the oracle exits
  if (from_ != nullptr) std::fclose(from_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

std::string dotnet_oracle::verdict(const std::string& observations) {
  std::fputs(observations.c_str(), to_);
  std::fflush(to_);
  std::string line;
  for (int c = std::fgetc(from_); c != EOF && c != '\n'; c = std::fgetc(from_)) line += static_cast<char>(c);
  return line.empty() ? "no answer: the oracle process ended" : line;
}

}  // namespace vth_properties
