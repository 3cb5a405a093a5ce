// vt_upgrade_inputs rewrites inputs in place so that they keep their meaning in every later
// build:
//   vt_upgrade_inputs --canonical PATH...      every readable input as its canonical
//       encoding: no skipped op byte, no argument out of range (what a fuzzer writes has
//       both, and a skipped byte would become an op when one is added). Campaigns run it
//       on what they merge into corpus/.
//   vt_upgrade_inputs --from-unversioned TARGET PATH...   inputs of the format before
//       version 1, whose meaning hung on TARGET (its alphabet and recycle budget).
// PATH is a file or a directory. Unreadable inputs are reported and left alone.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <vth/legacy_input.hpp>

namespace fs = std::filesystem;

namespace {

// `target` empty: canonicalize a versioned input; else read an unversioned one.
bool upgrade(const std::string& target, const fs::path& path) {
  std::vector<std::uint8_t> bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const vth::input decoded = vth::decode(bytes);
  if (!target.empty() && !std::holds_alternative<vth::unreadable>(decoded)) return true;  // already versioned
  const vth::input upgraded = target.empty() ? decoded : vth::decode_unversioned(target, bytes);
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
  const std::string mode = argc > 1 ? argv[1] : "";
  const int first_path = mode == "--from-unversioned" ? 3 : 2;
  if ((mode != "--canonical" && mode != "--from-unversioned") || argc <= first_path) {
    std::fprintf(stderr, "usage: vt_upgrade_inputs --canonical PATH... | --from-unversioned TARGET PATH...\n");
    return 2;
  }
  const std::string target = mode == "--from-unversioned" ? argv[2] : "";
  std::size_t count = 0;
  bool ok = true;
  for (int i = first_path; i < argc; ++i) {
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
  std::printf("%zu inputs rewritten\n", count);
  return ok ? 0 : 1;
}
