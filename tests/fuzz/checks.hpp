// The checks every fuzz target makes, shared by the libFuzzer targets and the corpus replay: the
// contract of lowrank::solve (solve.hpp, solve_options.hpp) tested as written, against independent
// long-double residuals of the factors returned (plain loops, no library code). A failed check prints
// its name and stops the process: libFuzzer records an abort as a crash, ctest a failed replay.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <lowrank/lowrank.hpp>

namespace lowrank::fuzz {

/// What the run being checked reported, printed with a failure (filled by check_report).
constexpr std::size_t context_size = 256;
inline char* failure_context() noexcept {
  static char context[context_size] = "";
  return context;
}

/// Reports a broken contract and stops: `name` says which check (findings/README.md lists them).
[[noreturn]] inline void fail(const char* name, const char* detail) noexcept {
  std::fprintf(stderr, "lowrank fuzz check failed: %s (%s)\n%s\n", name, detail, failure_context());
  std::fflush(stderr);
#ifdef LOWRANK_FUZZ_REPLAY
  std::_Exit(1);  // a plain failure, which ctest's WILL_FAIL can invert (a signal it cannot)
#else
  std::abort();  // what libFuzzer records as a crash, with the input
#endif
}

/// Whether the check `name` is listed in the environment variable LOWRANK_FUZZ_ALLOW (names
/// separated by commas): the fuzz runs in CI list the findings still open in the library
/// (findings/README.md), so that they look for new ones instead of stopping at a known one. The
/// replay tests never set it.
inline bool tolerated(const char* name) noexcept {
  const char* list = std::getenv("LOWRANK_FUZZ_ALLOW");
  if (list == nullptr) return false;
  const std::size_t length = std::strlen(name);
  for (const char* p = std::strstr(list, name); p != nullptr; p = std::strstr(p + 1, name)) {
    const bool starts = p == list || p[-1] == ',';
    const bool ends = p[length] == '\0' || p[length] == ',';
    if (starts && ends) return true;
  }
  return false;
}

/// fail(name, detail) unless `condition` (or the check is tolerated).
inline void check(bool condition, const char* name, const char* detail = "") noexcept {
  if (!condition && !tolerated(name)) fail(name, detail);
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
  /// sum of (bound on the rounding of each residual entry computed in T)^2, / largest^2: an entry
  /// A_ij - sum_k x_ik y_jk formed in T is off by up to (d + 2) eps (|A_ij| + sum_k |x_ik y_jk|).
  long double rounding = 0;
  /// A second residual as valid as `residual` where the loss is discontinuous in the residual
  /// (robust PCA: the support chosen on the residuals as T forms them); negative when there is none.
  long double residual_other_support = -1;
  long double ratio() const noexcept { return data > 0 ? residual / data : 0; }
  /// The ratio of the second residual, or ratio() when there is none.
  long double other_ratio() const noexcept {
    return residual_other_support >= 0 && data > 0 ? residual_other_support / data : ratio();
  }
  /// How far a sum of squares of residuals computed in T may be from the true one, relative to the
  /// data: ||R + E||^2 - ||R||^2 <= 2 ||R|| ||E|| + ||E||^2.
  long double rounding_ratio() const noexcept {
    return data > 0 ? (2 * std::sqrt(residual * rounding) + rounding) / data : 0;
  }
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

/// (A - X Y^T)(i, j) / largest in long double, the factors divided by sqrt(largest) first; adds the
/// bound on its rounding in A's scalar type (long_double_error::rounding) to *rounding if given.
template <class MA, class MX, class MY>
long double scaled_residual(const MA& a, const MX& x, const MY& y, index i, index j, long double largest,
                            long double* rounding = nullptr) noexcept {
  using T = typename MA::value_type;
  const long double root = std::sqrt(largest);
  long double approx = 0, magnitude = std::fabs(static_cast<long double>(a(i, j))) / largest;
  for (index k = 0; k < MX::cols; ++k) {
    const long double term = (static_cast<long double>(x(i, k)) / root) * (static_cast<long double>(y(j, k)) / root);
    approx += term;
    magnitude += std::fabs(term);
  }
  if (rounding != nullptr) {
    const long double e = static_cast<long double>(MX::cols + 2) * std::numeric_limits<T>::epsilon() * magnitude;
    *rounding += e * e;
  }
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
        const long double r = scaled_residual(a, x, y, i, j, largest, &e.rounding);
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

/// The report against the truth, whatever the problem: `truth` is the independent error at the
/// factors returned, with the bound on what computing it in T may change; `factors_finite` and `factors_unchanged` / `factors_zero` describe them.
template <class T>
void check_report(const solve_report<T>& report, const request<T>& asked, const long_double_error& truth,
                  bool factors_finite,
                  bool factors_unchanged, bool factors_zero) noexcept {
  const status s = report.status;
  std::snprintf(failure_context(), context_size, "status %s after %zu iterations: reported %s error %.9Lg, true %.9Lg (%.9Lg), target %.3Lg\n",
               to_string(s), static_cast<std::size_t>(report.iterations), report.relative_error_exact ? "exact" : "Gram",
               static_cast<long double>(report.relative_error), truth.ratio(), truth.other_ratio(),
               static_cast<long double>(report.target_relative_error));
  if (rejected(s)) {
    check(factors_unchanged, "rejected_arguments_leave_factors_unchanged", to_string(s));
    check(std::isnan(report.relative_error), "rejected_arguments_report_no_error", to_string(s));
    return;
  }
  check(asked.data_finite, "non_finite_data_is_rejected", to_string(s));
  if (!factors_finite) {  // nothing below means anything for non-finite factors (if tolerated)
    check(false, "factors_finite_when_data_finite", to_string(s));
    return;
  }
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
  const long double slack = truth.rounding_ratio() + 64 * eps * eps;
  if (s == status::converged) {
    check(std::fmin(truth.ratio(), truth.other_ratio()) <= target * 1.001L + slack,
          "converged_only_if_the_true_error_meets_the_target", "");
    check(report.relative_error_exact, "converged_is_certified_by_the_exact_residual", "");
  }
  if (report.relative_error_exact) {
    const long double reported = static_cast<long double>(report.relative_error);
    // A true error above T's largest number rounds to inf in T: that is the correct report.
    const bool both_overflow = std::isinf(report.relative_error) && truth.ratio() > std::numeric_limits<T>::max();
    const auto matches = [&](long double true_ratio) { return std::fabs(reported - true_ratio) <= 1e-3L * true_ratio + slack; };
    check(both_overflow || matches(truth.ratio()) || matches(truth.other_ratio()), "exact_error_equals_the_true_error", "");
  }
}

}  // namespace lowrank::fuzz
