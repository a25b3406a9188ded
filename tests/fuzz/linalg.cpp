// Fuzz target: the SVD of issue 13. linalg::thin_svd of fuzzed factors (general X, and X an exact
// scaled basis c P for a signed column selection P, the left_factor::scaled_basis path) and
// linalg::truncated_svd of a fuzzed matrix, with entries across the exponent range and specials.
// Whatever the input: an honest status (a NaN or Inf rejected), finite outputs, s
// descending and >= 0, U and V orthonormal; and, for an answer, X Y^T = U diag(s) V^T within the
// backward-stability bound, or (truncated SVD, converged) ||A - U S V^T||_F^2 / ||A||_F^2 within the
// target plus rounding, in long double.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <lowrank/linalg/truncated_svd.hpp>

#include "checks.hpp"
#include "entry.hpp"
#include "fuzz_input.hpp"
#include "solve_choices.hpp"

namespace lowrank::fuzz {
namespace {

/// max |(Q^T Q - I)_ij| in long double.
template <class T, index R, index C>
long double orthonormality_defect(const Matrix<T, R, C>& q) noexcept {
  long double worst = 0;
  for (index a = 0; a < C; ++a)
    for (index b = 0; b < C; ++b) {
      long double sum = a == b ? -1.0L : 0.0L;
      for (index i = 0; i < R; ++i) sum += static_cast<long double>(q(i, a)) * q(i, b);
      worst = std::fmax(worst, std::fabs(sum));
    }
  return worst;
}

/// ||M||_F^2 in long double.
template <class T, index R, index C>
long double frobenius_squared(const Matrix<T, R, C>& m) noexcept {
  long double sum = 0;
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) sum += static_cast<long double>(m(i, j)) * m(i, j);
  return sum;
}

/// ||F - U diag(s) V^T||_F in long double, F(i, j) = f(i, j).
template <class T, index M, index N, index D, class F>
long double svd_residual(const F& f, const Matrix<T, M, D>& u, const Matrix<T, D, 1>& s,
                         const Matrix<T, N, D>& v) noexcept {
  long double sum = 0;
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      long double value = f(i, j);
      for (index k = 0; k < D; ++k) value -= static_cast<long double>(u(i, k)) * s(k, 0) * v(j, k);
      sum += value * value;
    }
  return std::sqrt(sum);
}

/// The checks every SVD result passes, whatever the input.
template <class T, index M, index N, index D>
void check_shape_of_answer(const Matrix<T, M, D>& u, const Matrix<T, D, 1>& s, const Matrix<T, N, D>& v) noexcept {
  check(all_finite(u) && all_finite(s) && all_finite(v), "svd_outputs_finite", "");
  for (index k = 0; k < D; ++k) {
    check(s(k, 0) >= T(0), "singular_values_nonnegative", "");
    if (k > 0) check(s(k - 1, 0) >= s(k, 0), "singular_values_descending", "");
  }
  const long double bound = 16.0L * static_cast<long double>(D + 1) * std::numeric_limits<T>::epsilon();
  check(orthonormality_defect(v) <= bound, "v_orthonormal", "");
  check(orthonormality_defect(u) <= bound, "u_orthonormal", "");
}

template <class T, index M, index N, index D>
void run_thin_svd(fuzz_input& in) noexcept {
  static Matrix<T, M, D> x, u;
  static Matrix<T, N, D> y, v;
  static Matrix<T, D, 1> s;
  static linalg::ThinSvdWorkspace<T, M, N, D> w;
  const bool basis = in.choice(2) == 1;
  if (basis) {  // X = c P: column j is +-c e_{row(j)}, distinct rows
    const T c = in.entry(in.scale<T>());
    bool used[M] = {};
    for (index j = 0; j < D; ++j) {
      index row = in.choice(M);
      while (used[row]) row = (row + 1) % M;
      used[row] = true;
      const T sign = in.choice(2) == 0 ? T(1) : T(-1);
      for (index i = 0; i < M; ++i) x(i, j) = i == row ? sign * c : T(0);
    }
  } else {
    fill_entries(in, x);
  }
  fill_entries(in, y);
  const status result = linalg::thin_svd(x, y, u, s, v, w, basis ? linalg::left_factor::scaled_basis
                                                                 : linalg::left_factor::general);
  const bool finite = all_finite(x) && all_finite(y);
  check((result == status::invalid_input) == !finite, "thin_svd_invalid_input_exactly_for_non_finite",
        to_string(result));
  check(result == status::ok || result == status::max_iterations || result == status::invalid_input ||
            result == status::out_of_range,
        "thin_svd_status_is_documented", to_string(result));
  check_shape_of_answer(u, s, v);
  if (result != status::ok && result != status::max_iterations) return;
  const auto product = [&](index i, index j) noexcept {
    long double sum = 0;
    for (index k = 0; k < D; ++k) sum += static_cast<long double>(x(i, k)) * y(j, k);
    return sum;
  };
  const long double eps = std::numeric_limits<T>::epsilon();
  // Rounding to a subnormal s_k or entry of U and V loses up to the subnormal spacing each.
  const long double spacing = static_cast<long double>(M * N * D) * std::numeric_limits<T>::denorm_min();
  const long double norms = std::sqrt(frobenius_squared(x) * frobenius_squared(y));
  const long double bound = 16.0L * static_cast<long double>(D + 1) * eps * norms + spacing;
  check(svd_residual(product, u, s, v) <= bound, "thin_svd_within_the_backward_bound", "");
}

template <class T, index M, index N, index D>
void run_truncated_svd(fuzz_input& in) noexcept {
  static Matrix<T, M, N> a;
  static Matrix<T, M, D> u;
  static Matrix<T, N, D> v;
  static Matrix<T, D, 1> s;
  static Workspace<T, M, N, D> w;
  fill_entries(in, a);
  solve_options<T> options;
  options.target_relative_error = in.parameter(T(1e-6));
  options.max_iterations = static_cast<index>(in.byte()) * 4;
  const solve_report<T> report = linalg::truncated_svd(a, u, s, v, w, options);
  check(all_finite(a) || rejected(report.status), "truncated_svd_rejects_non_finite_data", to_string(report.status));
  check_shape_of_answer(u, s, v);
  if (report.status != status::converged) return;
  const auto entry = [&](index i, index j) noexcept { return static_cast<long double>(a(i, j)); };
  const long double eps = std::numeric_limits<T>::epsilon();
  const long double spacing = static_cast<long double>(M * N * D) * std::numeric_limits<T>::denorm_min();
  const long double error = (svd_residual(entry, u, s, v) - spacing) / std::sqrt(frobenius_squared(a));
  const long double target = std::sqrt(static_cast<long double>(report.target_relative_error));
  check(error <= target * 1.001L + 64.0L * static_cast<long double>(D + 1) * eps, "truncated_svd_meets_its_target", "");
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(linalg)(const std::uint8_t* data, std::size_t size) {
  using namespace lowrank::fuzz;
  fuzz_input in(data, size);
  switch (in.choice(6)) {
    case 0: run_thin_svd<float, 1, 1, 1>(in); break;
    case 1: run_thin_svd<float, 12, 20, 4>(in); break;
    case 2: run_thin_svd<double, 9, 6, 6>(in); break;
    case 3: run_truncated_svd<float, 1, 1, 1>(in); break;
    case 4: run_truncated_svd<float, 8, 6, 3>(in); break;
    default: run_truncated_svd<double, 7, 7, 7>(in); break;
  }
  return 0;
}
