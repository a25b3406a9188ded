// Fuzz target: lowrank::solve on problems::robust (robust PCA), every method that applies (feedback
// alignment needs residual_times, which robust PCA lacks) and every initialization, a few shapes,
// with alpha, the balance c and the outlier floor tau from the input.
#include <cstddef>
#include <cstdint>

#include "entry.hpp"
#include "robust_reference.hpp"
#include "solve_and_check.hpp"

namespace lowrank::fuzz {
namespace {

template <class T, index M, index N, index D>
void run(fuzz_input& in) noexcept {
  Matrix<T, M, N> a;
  fill_data(in, a);
  const Matrix<T, M, N> a0 = a;
  problems::robust_options<T> o;
  const std::uint8_t alpha = in.byte();
  o.sparse_fraction = alpha < 250 ? static_cast<T>(alpha) / T(500) : in.parameter(o.sparse_fraction);
  o.balance = in.parameter(o.balance);
  o.outlier_floor = (in.byte() & 1) != 0 ? in.parameter(T(0.01)) * in.scale<T>() : T(0);
  request<T> asked;
  asked.data_finite = all_finite(a);
  RobustWorkspace<T, M, N, D> w;
  Matrix<T, M, D> zero_x;
  Matrix<T, N, D> zero_y;
  fill(zero_x, T(0));
  fill(zero_y, T(0));
  long double kept_at_zero = 0;
  robust_error(a, zero_x, zero_y, o, &kept_at_zero);
  asked.data_zero = asked.data_finite && kept_at_zero == 0;
  auto problem = problems::robust(a, o);
  const auto truth = [&](const auto& x, const auto& y) noexcept { return robust_error(a, x, y, o); };
  solve_and_check<T, M, N, D, false>(in, problem, w, asked, truth);
  check(same_bits(a, a0), "data_unchanged", "robust");
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(solve_robust)(const std::uint8_t* data, std::size_t size) {
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
