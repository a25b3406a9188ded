// Feedback alignment (methods/feedback_alignment.hpp): the fixed random B; one iteration against the
// formula by plain double loops; on Ward & Kolda's 100 x 100 rank-5 matrix it reaches the optimum
// (compared with a truncated SVD in double) when d >= rank A, and when d < rank A it stays measurably
// above the best rank-d error, at the fixed point theory predicts: X Y^T = P_{AB} A, the projection
// of A onto the column span of A B.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include <lowrank/lowrank.hpp>
#include <lowrank/methods/feedback_alignment.hpp>
#include <lowrank/problems/masked.hpp>

#include "support/paper_problem.hpp"
#include "support/units.hpp"
#include "support/reference.hpp"

namespace lowrank::test {
namespace {

TEST(FeedbackAlignment, FixedRandomFeedbackFromTheSeed) {
  static methods::feedback_alignment<double, 100, 6> first(0.5, 11), again(0.1, 11), other(0.5, 12);
  double same = 0, different = 0;
  for (index j = 0; j < 100; ++j)
    for (index k = 0; k < 6; ++k) {
      same += std::fabs(first.feedback(j, k) - again.feedback(j, k));
      different += std::fabs(first.feedback(j, k) - other.feedback(j, k));
    }
  EXPECT_EQ(same, 0.0);  // the same B for a seed, whatever the step
  EXPECT_GT(different, 1.0);
  // Scaled by 1/sqrt(n): B^T B is I_d up to sampling error (entries ~ 1/sqrt(n) = 0.1).
  for (index p = 0; p < 6; ++p)
    for (index q = 0; q < 6; ++q) {
      double g = 0;
      for (index j = 0; j < 100; ++j) g += first.feedback(j, p) * first.feedback(j, q);
      EXPECT_NEAR(g, p == q ? 1.0 : 0.0, 0.45);
    }
}

TEST(FeedbackAlignment, OneIterationIsTheFormula) {
  constexpr index m = 11, n = 8, d = 3;
  Matrix<double, m, n> a;
  Matrix<double, m, d> x;
  Matrix<double, n, d> y;
  test_rng rng(3);
  fill_uniform(a, rng);
  fill_uniform(x, rng);
  fill_uniform(y, rng);
  const Matrix<double, m, d> x0 = x;
  const Matrix<double, n, d> y0 = y;
  const double eta = 0.3;
  const methods::feedback_alignment<double, n, d> method(eta, 5);
  Workspace<double, m, n, d> w;
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const double f = user_step(problem, method, x, y, w);

  // Reference: E = X0 Y0^T - A; X1 = X0 - eta E B; E1 = X1 Y0^T - A; Y1 = Y0 - eta E1^T X1, with B in
  // the units of Y (the method's B times sqrt(s)).
  const double b_unit = problem.scale().root;
  auto residual = [&](const Matrix<double, m, d>& xs, index i, index j) {
    double s = -a(i, j);
    for (index k = 0; k < d; ++k) s += xs(i, k) * y0(j, k);
    return s;
  };
  double f_ref = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) f_ref += 0.5 * residual(x0, i, j) * residual(x0, i, j);
  EXPECT_NEAR(f, f_ref, 1e-12 * f_ref);
  Matrix<double, m, d> x1;
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) {
      double step = 0;
      for (index j = 0; j < n; ++j) step += residual(x0, i, j) * method.feedback(j, k) * b_unit;
      x1(i, k) = x0(i, k) - eta * step;
      EXPECT_NEAR(x(i, k), x1(i, k), 1e-13);
    }
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < d; ++k) {
      double step = 0;
      for (index i = 0; i < m; ++i) step += residual(x1, i, j) * x1(i, k);
      EXPECT_NEAR(y(j, k), y0(j, k) - eta * step, 1e-13);
    }
}

/// Ward & Kolda's matrix (100 x 100, rank 5, singular values 1 .. 0.9), factors of rank D, eta = 0.5.
template <index D>
struct FeedbackRun {
  Matrix<double, paper_m, paper_n> a;
  Matrix<double, paper_m, D> x;
  Matrix<double, paper_n, D> y;
  Workspace<double, paper_m, paper_n, D> w;
  methods::feedback_alignment<double, paper_n, D> method{0.5, 1};

  solve_report<double> solve_from_colspan() {
    make_paper_matrix(a, 3);
    auto problem = problems::full(a);
    solve_options<double> options;
    options.target_relative_error = 1e-12;
    options.max_iterations = 20000;
    return solve(problem, method, init::colspan{1}, x, y, w, options);
  }

  /// ||A - P_{AB} A||^2 / ||A||^2 in double: the error at feedback alignment's fixed point.
  double predicted_fixed_point_error() const {
    Matrix<double, paper_m, D> ab;
    for (index i = 0; i < paper_m; ++i)
      for (index k = 0; k < D; ++k) {
        double s = 0;
        for (index j = 0; j < paper_n; ++j) s += a(i, j) * method.feedback(j, k);
        ab(i, k) = s;
      }
    const SvdResult basis = svd_double(ab);  // its U: an orthonormal basis of col(A B)
    double error = 0;
    for (index j = 0; j < paper_n; ++j) {
      std::vector<double> coefficients(D, 0.0);  // U^T a_j
      for (index k = 0; k < D; ++k)
        for (index i = 0; i < paper_m; ++i) coefficients[k] += basis.u_at(i, k) * a(i, j);
      for (index i = 0; i < paper_m; ++i) {
        double projected = 0;
        for (index k = 0; k < D; ++k) projected += basis.u_at(i, k) * coefficients[k];
        error += (a(i, j) - projected) * (a(i, j) - projected);
      }
    }
    return error / test::frobenius_norm_squared(a);
  }
};

template <index D>
void reaches_the_optimum() {
  static FeedbackRun<D> run;
  const auto report = run.solve_from_colspan();
  const double best = best_rank_relative_error_squared(run.a, D);  // ~1e-26: A has rank 5 <= d
  const double achieved = relative_error_squared(run.a, run.x, run.y);
  EXPECT_EQ(report.status, status::converged) << "d = " << D;
  EXPECT_LE(achieved, best + 1e-12) << "d = " << D;
  std::printf("  feedback alignment, d = %zu >= rank A = 5: %s after %zu iterations, error %.2e (truncated SVD %.2e)\n",
              static_cast<std::size_t>(D), to_string(report.status), static_cast<std::size_t>(report.iterations),
              achieved, best);
}

TEST(FeedbackAlignment, ReachesTheOptimumWhenDAtLeastRankA) {
  reaches_the_optimum<10>();
  reaches_the_optimum<6>();
  reaches_the_optimum<5>();
}

template <index D>
void stays_above_the_optimum() {
  static FeedbackRun<D> run;
  const auto report = run.solve_from_colspan();
  const double best = best_rank_relative_error_squared(run.a, D);  // the truncated SVD's error
  const double achieved = relative_error_squared(run.a, run.x, run.y);
  const double predicted = run.predicted_fixed_point_error();
  EXPECT_NE(report.status, status::converged);  // 1e-12 is out of reach
  EXPECT_GT(achieved, 1.02 * best) << "d = " << D << ": measurably above the truncated SVD";
  EXPECT_NEAR(achieved, predicted, 1e-6 * predicted) << "d = " << D << ": the fixed point X Y^T = P_{AB} A";
  // Plain AGD from the same start does reach the truncated SVD's error: the gap is feedback alignment's.
  auto problem = problems::full(run.a);
  solve_options<double> options;
  options.target_relative_error = 0;
  options.stationary_tolerance = 0;  // to the optimum itself, not to the default first-order tolerance
  options.max_iterations = 20000;
  solve(problem, methods::agd<double>(0.5), init::colspan{1}, run.x, run.y, run.w, options);
  EXPECT_NEAR(relative_error_squared(run.a, run.x, run.y), best, 1e-6 * best);
  std::printf("  feedback alignment, d = %zu < rank A = 5: %s after %zu iterations, error %.4e; fixed point "
              "P_{AB} A: %.4e; truncated SVD: %.4e\n",
              static_cast<std::size_t>(D), to_string(report.status), static_cast<std::size_t>(report.iterations),
              achieved, predicted, best);
}

TEST(FeedbackAlignment, StaysAboveTheOptimumWhenDBelowRankA) {
  stays_above_the_optimum<3>();
  stays_above_the_optimum<4>();
}

TEST(FeedbackAlignment, RunsOnMaskedProblems) {  // the X step through problems::masked::residual_times
  static FeedbackRun<5> run;
  make_paper_matrix(run.a, 3);
  static BitMask<paper_m, paper_n> all;
  all.set_all();
  static Matrix<double, paper_m, paper_n> copy_of_a;
  copy(run.a, copy_of_a);
  auto problem = problems::masked(copy_of_a, all);
  solve_options<double> options;
  options.target_relative_error = 1e-12;
  const auto report = solve(problem, run.method, init::colspan{1}, run.x, run.y, run.w, options);
  EXPECT_EQ(report.status, status::converged);
  EXPECT_LE(relative_error_squared(run.a, run.x, run.y), 1e-12);
}

}  // namespace
}  // namespace lowrank::test
