// The checks every fuzz target makes, shared by the libFuzzer targets and the corpus replay: the
// contract of lowrank::solve (solve.hpp, solve_options.hpp) tested as written, against independent
// long-double residuals of the factors returned (plain loops, no library code). A failed check prints
// its name and aborts, which libFuzzer records as a crash and ctest as a failed test.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <lowrank/lowrank.hpp>

namespace lowrank::fuzz {

/// Reports a broken contract and stops: `name` says which check (see the findings in README.md).
[[noreturn]] inline void fail(const char* name, const char* detail) noexcept {
  std::fprintf(stderr, "lowrank fuzz check failed: %s (%s)\n", name, detail);
  std::fflush(stderr);
  std::abort();
}

/// fail(name, detail) unless `condition`.
inline void check(bool condition, const char* name, const char* detail = "") noexcept {
  if (!condition) fail(name, detail);
}

/// Whether every entry of a matrix or view is finite.
template <class MX>
bool all_finite(const MX& m_in) noexcept {
  const auto m = as_view(m_in);
  for (index i = 0; i < decltype(m)::rows; ++i)
    for (index j = 0; j < decltype(m)::cols; ++j)
      if (!std::isfinite(m(i, j))) return false;
  return true;
}

/// Whether two matrices of one shape hold the same bits (NaN equals NaN, -0 differs from +0).
template <class T, index R, index C>
bool same_bits(const Matrix<T, R, C>& a, const Matrix<T, R, C>& b) noexcept {
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) {
      const T u = a(i, j), v = b(i, j);
      if (std::memcmp(&u, &v, sizeof(T)) != 0) return false;
    }
  return true;
}

/// Whether every entry of X is exactly zero.
template <class T, index R, index C>
bool all_zero(const Matrix<T, R, C>& a) noexcept {
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j)
      if (a(i, j) != T(0)) return false;
  return true;
}

/// The statuses after which the factors must be as the caller passed them.
inline bool rejected(status s) noexcept {
  return s == status::invalid_argument || s == status::invalid_input || s == status::out_of_range ||
         s == status::unobservable;
}

/// An error ratio in long double: sum of squares of a residual over sum of squares of the data,
/// with the data's largest entry scaled out first so that neither sum under- nor overflows.
struct long_double_error {
  long double residual = 0;  ///< ||R / largest||^2
  long double data = 0;      ///< ||A / largest||^2 (over the entries the ratio is relative to)
  long double ratio() const noexcept { return data > 0 ? residual / data : 0; }
};

/// The largest |A(i, j)| over the entries where keep(i, j), in long double.
template <class MA, class Keep>
long double largest_magnitude(const MA& a, const Keep& keep) noexcept {
  long double largest = 0;
  for (index i = 0; i < MA::rows; ++i)
    for (index j = 0; j < MA::cols; ++j)
      if (keep(i, j)) largest = std::fmax(largest, std::fabs(static_cast<long double>(a(i, j))));
  return largest;
}

/// (A - X Y^T)(i, j) / largest in long double, the factors divided by sqrt(largest) first.
template <class MA, class MX, class MY>
long double scaled_residual(const MA& a, const MX& x, const MY& y, index i, index j, long double largest) noexcept {
  const long double root = std::sqrt(largest);
  long double approx = 0;
  for (index k = 0; k < MX::cols; ++k)
    approx += (static_cast<long double>(x(i, k)) / root) * (static_cast<long double>(y(j, k)) / root);
  return static_cast<long double>(a(i, j)) / largest - approx;
}

/// ||A - X Y^T||^2 / ||A||^2 over the entries where keep(i, j) (all: full; observed: masked).
template <class MA, class MX, class MY, class Keep>
long_double_error residual_error(const MA& a, const MX& x, const MY& y, const Keep& keep) noexcept {
  long_double_error e;
  const long double largest = largest_magnitude(a, keep);
  if (largest == 0) return e;
  for (index i = 0; i < MA::rows; ++i)
    for (index j = 0; j < MA::cols; ++j)
      if (keep(i, j)) {
        const long double r = scaled_residual(a, x, y, i, j, largest);
        const long double v = static_cast<long double>(a(i, j)) / largest;
        e.residual += r * r;
        e.data += v * v;
      }
  return e;
}

/// What a run was asked, for checking its report.
template <class T>
struct request {
  T target = T(0);          ///< options.target_relative_error
  index max_iterations = 0;
  bool data_finite = true;  ///< every entry the problem reads is finite
  bool data_zero = false;   ///< every entry the problem reads is 0 (for robust: nothing outside T_alpha(A))
};

/// The report against the truth, whatever the problem: `truth` is the independent relative error
/// at the factors returned; `factors_finite` and `factors_unchanged` / `factors_zero` describe them.
template <class T>
void check_report(const solve_report<T>& report, const request<T>& asked, long double truth, bool factors_finite,
                  bool factors_unchanged, bool factors_zero) noexcept {
  const status s = report.status;
  if (rejected(s)) {
    check(factors_unchanged, "rejected_arguments_leave_factors_unchanged", to_string(s));
    check(std::isnan(report.relative_error), "rejected_arguments_report_no_error", to_string(s));
    return;
  }
  check(asked.data_finite, "non_finite_data_is_rejected", to_string(s));
  check(factors_finite, "factors_finite_when_data_finite", to_string(s));
  check(report.iterations <= asked.max_iterations, "iterations_within_cap", to_string(s));
  if (s == status::zero_input) {
    check(asked.data_zero, "zero_input_only_for_zero_data", "");
    check(factors_zero, "zero_input_sets_zero_factors", "");
    return;
  }
  check(!asked.data_zero, "zero_data_is_zero_input", to_string(s));
  check(s == status::converged || s == status::max_iterations || s == status::stalled || s == status::diverged ||
            s == status::stationary,
        "solve_status_is_a_solver_status", to_string(s));
  // The target: the one asked for unless raised to the precision's floor and said so.
  if (!report.target_clamped) {
    check(report.target_relative_error == asked.target, "target_is_the_one_asked_unless_clamped", "");
  } else {
    check(report.target_relative_error > asked.target, "a_clamped_target_is_raised", "");
  }
  const long double eps = std::numeric_limits<T>::epsilon();
  const long double target = static_cast<long double>(report.target_relative_error);
  if (s == status::converged) {
    check(truth <= target * 1.001L + 64 * eps * eps, "converged_only_if_the_true_error_meets_the_target", "");
    check(report.relative_error_exact, "converged_is_certified_by_the_exact_residual", "");
  }
  if (report.relative_error_exact) {
    const long double reported = static_cast<long double>(report.relative_error);
    check(std::fabs(reported - truth) <= 1e-3L * truth + 64 * eps * eps, "exact_error_equals_the_true_error", "");
  }
}

}  // namespace lowrank::fuzz
