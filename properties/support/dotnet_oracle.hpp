#pragma once
// One .NET oracle process (oracle/dotnet, `Oracle --stream`), kept alive for a whole
// property run and fed one scenario's observations at a time.
#include <cstdio>
#include <string>
#include <sys/types.h>

namespace vth_properties {

class dotnet_oracle {
public:
  // Started from VTLAB_DOTNET and VTLAB_ORACLE_DLL; std::runtime_error if either is unset or
  // the process does not start.
  dotnet_oracle();
  dotnet_oracle(const dotnet_oracle&) = delete;
  dotnet_oracle& operator=(const dotnet_oracle&) = delete;
  ~dotnet_oracle();

  // The oracle's one-line verdict on a scenario (vth::print_observations' text):
  // "agrees <compared> <steps>" or "differs <report>".
  std::string verdict(const std::string& observations);

private:
  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;
  std::FILE* from_ = nullptr;
};

}  // namespace vth_properties
