// One fuzzed solve of an X Y^T problem and its checks: options, method, initialization (or user
// factors) from the input, then the report against the truth (checks.hpp). The problem target builds
// the data and the problem and says how to compute the true error of a pair of factors.
#pragma once

#include <type_traits>

#include <lowrank/lowrank.hpp>

#include "checks.hpp"
#include "fuzz_input.hpp"
#include "solve_choices.hpp"

namespace lowrank::fuzz {

/// Runs one solve of `problem` (M x N, rank D) chosen by the input and checks it; `asked` says what
/// the data are (finite, zero), `truth(x, y)` the independent error (a long_double_error). Feedback: whether
/// feedback alignment is among the methods (it needs problem.residual_times). Returns the status.
template <class T, index M, index N, index D, bool Feedback, class Problem, class Work, class Truth>
status solve_and_check(fuzz_input& in, Problem& problem, Work& w, request<T> asked, const Truth& truth) noexcept {
  const solve_options<T> options = decode_options<T>(in);
  asked.target = options.target_relative_error;
  asked.max_iterations = options.max_iterations;
  status result = status::ok;
  with_method<T, N, D, Feedback>(in, [&](const auto& method) {
    with_initialization<T, false>(in, [&](const auto& start) {
      Matrix<T, M, D> x;
      Matrix<T, N, D> y;
      fill_entries(in, x);
      fill_entries(in, y);
      const Matrix<T, M, D> x0 = x;
      const Matrix<T, N, D> y0 = y;
      solve_report<T> report;
      constexpr bool from_user = std::is_same_v<std::decay_t<decltype(start)>, user_factors>;
      if constexpr (from_user) {
        report = solve(problem, method, x, y, w, options);
        if (!all_finite(x0) || !all_finite(y0))
          check(rejected(report.status) || report.status == status::zero_input, "non_finite_start_is_rejected",
                to_string(report.status));
      } else if constexpr (contracts::init_has_tiny_product<std::decay_t<decltype(start)>>() &&
                           contracts::method_needs_product_of_data_size<std::decay_t<decltype(method)>>()) {
        return;  // refused at compile time (contracts::check_start)
      } else {
        report = solve(problem, method, start, x, y, w, options);
      }
      const bool finite = all_finite(x) && all_finite(y);
      const long_double_error true_error = finite ? truth(x, y) : long_double_error{};
      check_report(report, asked, true_error, finite, same_bits(x, x0) && same_bits(y, y0), all_zero(x) && all_zero(y));
      result = report.status;
    });
  });
  return result;
}

}  // namespace lowrank::fuzz
