// The driver's contract: statuses for bad input, divergence, caps and stalls; the best iterate kept;
// the reported error accurate in float; callbacks and the fixed-capacity history.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/paper_problem.hpp"

namespace lowrank::test {
namespace {

constexpr index d = 10;

struct Fixture {
  Matrix<float, paper_m, paper_n> a;
  Matrix<float, paper_m, d> x;
  Matrix<float, paper_n, d> y;
  Workspace<float, paper_m, paper_n, d> w;
};
Fixture& fixture() {
  static Fixture f;
  make_paper_matrix(f.a);
  return f;
}

TEST(Solve, NaNOrInfInAGivesInvalidInputBeforeAnyWork) {
  Fixture& f = fixture();
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    f.a(41, 17) = bad;
    fill(f.x, 3.0f);
    fill(f.y, 4.0f);
    auto problem = problems::full(f.a);
    const auto report = solve(problem, methods::agd<float>(0.1f), init::proposed<float>{1}, f.x, f.y, f.w);
    EXPECT_EQ(report.status, status::invalid_input);
    EXPECT_EQ(report.iterations, 0u);
    EXPECT_EQ(f.x(0, 0), 3.0f);  // untouched
    EXPECT_EQ(f.y(99, 9), 4.0f);
  }
}

TEST(Solve, ZeroMatrixReturnsExactZeroFactorization) {
  Fixture& f = fixture();
  fill(f.a, 0.0f);
  fill(f.x, 3.0f);
  fill(f.y, 4.0f);
  auto problem = problems::full(f.a);
  const auto report = solve(problem, methods::agd<float>(0.1f), init::proposed<float>{1}, f.x, f.y, f.w);
  EXPECT_EQ(report.status, status::zero_input);
  EXPECT_EQ(report.iterations, 0u);
  EXPECT_EQ(report.relative_error, 0.0f);
  EXPECT_EQ(relative_error_squared(f.a, f.x, f.y), 0.0);  // X Y^T == A exactly
}

TEST(Solve, NegativeOrNonFiniteStepIsAnInvalidArgument) {  // 0 means "relative to sigma_1"
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  for (float step : {-0.1f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    EXPECT_EQ(solve(problem, methods::agd<float>(step), init::random{1}, f.x, f.y, f.w).status,
              status::invalid_argument);
  }
}

TEST(Solve, DivergingStepStopsAndKeepsTheBestIterate) {
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  std::vector<float> errors;
  auto record = [&](const iteration_info<float>& info) { errors.push_back(info.relative_error); };
  const auto report = solve(problem, methods::gd<float>(3.0f), init::colspan{1}, f.x, f.y, f.w, {}, record);
  EXPECT_EQ(report.status, status::diverged);
  ASSERT_GE(errors.size(), 2u);
  const float best = *std::min_element(errors.begin(), errors.end());
  EXPECT_EQ(report.relative_error, best);
  // X and Y hold that iterate: an independent loop finds the same error, finite and small.
  const double held = relative_error_squared(f.a, f.x, f.y);
  EXPECT_TRUE(std::isfinite(held));
  EXPECT_NEAR(held, best, 1e-3 * best + 1e-6);
  EXPECT_GT(errors.back(), 100 * best);  // it really did blow up
}

TEST(Solve, IterationCapGivesMaxIterations) {
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  solve_options<float> options;
  options.max_iterations = 3;
  const auto report = solve(problem, methods::agd<float>(0.1f), init::random{1}, f.x, f.y, f.w, options);
  EXPECT_EQ(report.status, status::max_iterations);
  EXPECT_LE(report.iterations, 3u);
}

TEST(Solve, FromCurrentFactorsWithOptionsOnly) {
  // solve(problem, method, X, Y, work, options) must not be mistaken for the overload that takes an
  // initialization (this call was ambiguous once).
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  ASSERT_EQ(problem.validate(), status::ok);
  ASSERT_EQ(initialize(init::proposed<float>{1}, problem, 0.5f, f.x, f.y, f.w), status::ok);
  solve_options<float> options;
  options.max_iterations = 2;
  EXPECT_EQ(solve(problem, methods::agd<float>(0.5f), f.x, f.y, f.w, options).status, status::max_iterations);
}

TEST(Solve, UnreachableTargetStalls) {
  static Matrix<float, paper_m, paper_n> noisy;
  make_paper_matrix(noisy, 2, 0.1);
  Fixture& f = fixture();
  auto problem = problems::full(noisy);
  solve_options<float> options;
  options.target_relative_error = 1e-9f;
  options.stall_window = 100;
  const auto report = solve(problem, methods::agd<float>(0.5f), init::proposed<float>{1}, f.x, f.y, f.w, options);
  EXPECT_EQ(report.status, status::stalled);
  EXPECT_LT(report.iterations, options.max_iterations);
}

TEST(Solve, FloatRelativeErrorIsAccurateBelowGramFormFloor) {
  // In float the Gram-form loss cannot resolve 1e-6 relative; the driver certifies it on the residual.
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  solve_options<float> options;
  options.target_relative_error = 1e-7f;
  const auto report = solve(problem, methods::agd<float>(0.5f), init::proposed<float>{1}, f.x, f.y, f.w, options);
  ASSERT_EQ(report.status, status::converged);
  EXPECT_TRUE(report.relative_error_exact);
  const double truth = relative_error_squared(f.a, f.x, f.y);
  EXPECT_LE(truth, 1e-7);
  EXPECT_NEAR(report.relative_error, truth, 0.01 * truth);
}

TEST(Solve, CallbackSeesEveryIterationInOrder) {
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  std::vector<index> seen;
  auto record = [&](const iteration_info<float>& info) { seen.push_back(info.iteration); };
  const auto report = solve(problem, methods::agd<float>(0.1f), init::proposed<float>{1}, f.x, f.y, f.w, {}, record);
  ASSERT_EQ(report.status, status::converged);
  ASSERT_EQ(seen.size(), report.iterations + 1);  // t = 0 (the start) through the final iterate
  for (index t = 0; t < seen.size(); ++t) EXPECT_EQ(seen[t], t);
}

TEST(History, DecimatesToSpanTheWholeRun) {
  History<float, 8> history;
  for (index t = 0; t <= 100; ++t) history(iteration_info<float>{t, 1.0f / static_cast<float>(t + 1), false});
  ASSERT_GE(history.size(), 4u);
  ASSERT_LE(history.size(), 8u);
  EXPECT_EQ(history[0].iteration, 0u);
  const index stride = history[1].iteration;
  for (index i = 0; i < history.size(); ++i) EXPECT_EQ(history[i].iteration, i * stride);
  EXPECT_GT(history[history.size() - 1].iteration + stride, 100u);  // reaches the end of the run
}

TEST(History, WorksAsTheSolverCallback) {
  Fixture& f = fixture();
  auto problem = problems::full(f.a);
  History<float, 64> history;
  const auto report = solve(problem, methods::agd<float>(0.1f), init::proposed<float>{1}, f.x, f.y, f.w, {}, history);
  ASSERT_EQ(report.status, status::converged);
  EXPECT_EQ(history.size(), report.iterations + 1);
  EXPECT_EQ(history[history.size() - 1].relative_error, report.relative_error);
}

}  // namespace
}  // namespace lowrank::test
