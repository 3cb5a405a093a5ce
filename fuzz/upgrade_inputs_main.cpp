// vt_upgrade_inputs TARGET PATH...: rewrites inputs of the unversioned format (before
// format version 1) in place as version-1 inputs that mean the same run. TARGET is the fuzz
// target whose corpus held them (it decided their alphabet and recycle budget). PATH is a
// file or a directory. Files that already read as version 1 are left alone.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <vth/legacy_input.hpp>

namespace fs = std::filesystem;

namespace {

bool upgrade(const std::string& target, const fs::path& path) {
  std::vector<std::uint8_t> bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (!std::holds_alternative<vth::unreadable>(vth::decode(bytes))) return true;  // already version 1
  const vth::input upgraded = vth::decode_unversioned(target, bytes);
  std::vector<std::uint8_t> out;
  if (const auto* s = std::get_if<vth::scenario>(&upgraded)) out = vth::encode(*s);
  if (const auto* p = std::get_if<vth::program>(&upgraded)) out = vth::encode(*p);
  if (out.empty()) {
    std::fprintf(stderr, "vt_upgrade_inputs: %s: %s\n", path.c_str(), std::get<vth::unreadable>(upgraded).why.c_str());
    return false;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return static_cast<bool>(file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: vt_upgrade_inputs TARGET PATH...\n");
    return 2;
  }
  const std::string target = argv[1];
  std::size_t count = 0;
  bool ok = true;
  for (int i = 2; i < argc; ++i) {
    const fs::path path = argv[i];
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name[0] == '.' || entry.path().extension() == ".trace") continue;
        ok = upgrade(target, entry.path()) && ok;
        ++count;
      }
    } else if (fs::is_regular_file(path)) {
      ok = upgrade(target, path) && ok;
      ++count;
    } else {
      std::fprintf(stderr, "vt_upgrade_inputs: no such file or directory: %s\n", path.c_str());
      return 2;
    }
  }
  std::printf("%zu inputs upgraded to format version 1\n", count);
  return ok ? 0 : 1;
}
