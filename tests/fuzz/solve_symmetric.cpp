// Fuzz target: lowrank::solve_symmetric on problems::symmetric (A ~ X X^T), ScaledGD and PrecGD
// from user factors or Nystrom, a few shapes. The data: B B^T (PSD, exact in small integers), a
// symmetric matrix, or arbitrary entries (mostly not symmetric: must be refused).
#include <cstddef>
#include <cstdint>

#include "checks.hpp"
#include "entry.hpp"
#include "solve_choices.hpp"

namespace lowrank::fuzz {
namespace {

template <class T, index N>
void fill_symmetric(fuzz_input& in, Matrix<T, N, N>& a) noexcept {
  const index mode = in.choice(3);
  if (mode == 0) {
    fill_entries(in, a);
    return;
  }
  const T unit = in.scale<T>();
  if (mode == 1) {
    for (index i = 0; i < N; ++i)
      for (index j = 0; j <= i; ++j) a(i, j) = a(j, i) = in.entry(unit);
    return;
  }
  const index rank = 1 + in.choice(N);
  Matrix<T, N, N> b;
  fill(b, T(0));
  for (index k = 0; k < rank; ++k)
    for (index i = 0; i < N; ++i) b(i, k) = in.entry(T(1));
  for (index i = 0; i < N; ++i)
    for (index j = 0; j < N; ++j) {
      T sum = T(0);
      for (index k = 0; k < rank; ++k) sum += b(i, k) * b(j, k);
      a(i, j) = sum * unit;
    }
}

/// Calls f(method) with ScaledGD or PrecGD (the methods with a symmetric form).
template <class T, class F>
void with_symmetric_method(fuzz_input& in, F&& f) noexcept {
  if (in.choice(2) == 0) {
    f(methods::scaled_gd<T>(in.parameter(T(0.5))));
  } else {
    const T eta = in.parameter(T(0.5)), factor = in.parameter(T(1));
    const T floor = (in.byte() & 1) != 0 ? in.parameter(T(1e-3)) : T(0);
    f(methods::precgd<T>(eta, factor, floor));
  }
}

template <class T, index N, index D>
void run(fuzz_input& in) noexcept {
  Matrix<T, N, N> a;
  fill_symmetric(in, a);
  const Matrix<T, N, N> a0 = a;
  const auto every = [](index, index) noexcept { return true; };
  request<T> asked;
  asked.data_finite = all_finite(a);
  asked.data_zero = largest_magnitude(a, every) == 0;
  SymmetricWorkspace<T, N, D> w;
  auto problem = problems::symmetric(a);
  const solve_options<T> options = decode_options<T>(in);
  asked.target = options.target_relative_error;
  asked.max_iterations = options.max_iterations;
  with_symmetric_method<T>(in, [&](const auto& method) {
    with_initialization<T, true>(in, [&](const auto& start) {
      Matrix<T, N, D> x;
      fill_entries(in, x);
      const Matrix<T, N, D> x0 = x;
      solve_report<T> report;
      if constexpr (std::is_same_v<std::decay_t<decltype(start)>, user_factors>) {
        report = solve_symmetric(problem, method, x, w, options);
        if (!all_finite(x0))
          check(rejected(report.status) || report.status == status::zero_input, "non_finite_start_is_rejected",
                to_string(report.status));
      } else {
        report = solve_symmetric(problem, method, start, x, w, options);
      }
      const bool finite = all_finite(x);
      const long_double_error truth = finite ? residual_error(a, x, x, every) : long_double_error{};
      check_report(report, asked, truth, finite, same_bits(x, x0), all_zero(x));
    });
  });
  check(same_bits(a, a0), "data_unchanged", "symmetric");
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(solve_symmetric)(const std::uint8_t* data, std::size_t size) {
  using namespace lowrank::fuzz;
  fuzz_input in(data, size);
  switch (in.choice(5)) {
    case 0: run<float, 1, 1>(in); break;
    case 1: run<float, 3, 1>(in); break;
    case 2: run<float, 6, 2>(in); break;
    case 3: run<float, 8, 3>(in); break;
    default: run<double, 6, 2>(in); break;
  }
  return 0;
}
