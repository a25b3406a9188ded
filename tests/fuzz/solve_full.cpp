// Fuzz target: lowrank::solve on problems::full, every method and initialization, a few shapes.
#include <cstddef>
#include <cstdint>

#include "entry.hpp"
#include "solve_and_check.hpp"

namespace lowrank::fuzz {
namespace {

template <class T, index M, index N, index D>
void run(fuzz_input& in) noexcept {
  Matrix<T, M, N> a;
  fill_data(in, a);
  const Matrix<T, M, N> a0 = a;
  const auto every = [](index, index) noexcept { return true; };
  request<T> asked;
  asked.data_finite = all_finite(a);
  asked.data_zero = largest_magnitude(a, every) == 0;
  Workspace<T, M, N, D> w;
  auto problem = problems::full(a);
  const auto truth = [&](const auto& x, const auto& y) noexcept { return residual_error(a, x, y, every); };
  solve_and_check<T, M, N, D, true>(in, problem, w, asked, truth);
  check(same_bits(a, a0), "data_unchanged", "full");
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(solve_full)(const std::uint8_t* data, std::size_t size) {
  using namespace lowrank::fuzz;
  fuzz_input in(data, size);
  switch (in.choice(5)) {
    case 0: run<float, 1, 1, 1>(in); break;
    case 1: run<float, 3, 2, 1>(in); break;
    case 2: run<float, 6, 5, 2>(in); break;
    case 3: run<float, 8, 8, 3>(in); break;
    default: run<double, 6, 5, 2>(in); break;
  }
  return 0;
}
