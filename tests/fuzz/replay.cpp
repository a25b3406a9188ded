// Replays fuzz inputs through the fuzz targets' checks without libFuzzer, built by the ordinary
// compiler: `fuzz_replay TARGET PATH...` runs every file under each PATH (a file or a directory)
// through TARGET (solve_full, solve_masked, solve_robust, solve_symmetric, gemm, linalg). A broken check
// aborts with its name (checks.hpp); otherwise it prints how many inputs passed.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "entry.hpp"

extern "C" int LOWRANK_FUZZ_ENTRY(solve_full)(const std::uint8_t*, std::size_t);
extern "C" int LOWRANK_FUZZ_ENTRY(solve_masked)(const std::uint8_t*, std::size_t);
extern "C" int LOWRANK_FUZZ_ENTRY(solve_robust)(const std::uint8_t*, std::size_t);
extern "C" int LOWRANK_FUZZ_ENTRY(solve_symmetric)(const std::uint8_t*, std::size_t);
extern "C" int LOWRANK_FUZZ_ENTRY(gemm)(const std::uint8_t*, std::size_t);
extern "C" int LOWRANK_FUZZ_ENTRY(linalg)(const std::uint8_t*, std::size_t);

namespace {

using entry_point = int (*)(const std::uint8_t*, std::size_t);

entry_point target_named(const char* name) {
  if (std::strcmp(name, "solve_full") == 0) return LOWRANK_FUZZ_ENTRY(solve_full);
  if (std::strcmp(name, "solve_masked") == 0) return LOWRANK_FUZZ_ENTRY(solve_masked);
  if (std::strcmp(name, "solve_robust") == 0) return LOWRANK_FUZZ_ENTRY(solve_robust);
  if (std::strcmp(name, "solve_symmetric") == 0) return LOWRANK_FUZZ_ENTRY(solve_symmetric);
  if (std::strcmp(name, "gemm") == 0) return LOWRANK_FUZZ_ENTRY(gemm);
  if (std::strcmp(name, "linalg") == 0) return LOWRANK_FUZZ_ENTRY(linalg);
  return nullptr;
}

/// Runs one file through the target; prints its name first, so that an abort names the input.
void replay_file(entry_point target, const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::printf("%s\n", file.string().c_str());
  std::fflush(stdout);
  target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TARGET PATH...\n", argv[0]);
    return 2;
  }
  const entry_point target = target_named(argv[1]);
  if (target == nullptr) {
    std::fprintf(stderr, "unknown target %s\n", argv[1]);
    return 2;
  }
  int count = 0;
  for (int k = 2; k < argc; ++k) {
    const std::filesystem::path path(argv[k]);
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> files;
      for (const auto& item : std::filesystem::directory_iterator(path, error))
        if (item.is_regular_file(error)) files.push_back(item.path());
      for (const auto& file : files) {
        replay_file(target, file);
        ++count;
      }
    } else if (std::filesystem::is_regular_file(path, error)) {
      replay_file(target, path);
      ++count;
    } else {
      std::fprintf(stderr, "no such input: %s\n", argv[k]);
      return 2;
    }
  }
  if (count == 0) {
    std::fprintf(stderr, "no inputs under the paths given: a replay that runs nothing proves nothing\n");
    return 1;
  }
  std::printf("%d inputs passed every check of %s\n", count, argv[1]);
  return 0;
}
