// The full-matrix problem: gradients against central finite differences of f in double, the Gram-form
// loss against the exact residual, and validation of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"

namespace lowrank::test {
namespace {

constexpr index m = 13, n = 9, d = 4;

/// f(X, Y) = 1/2 ||X Y^T - A||_F^2 by a plain loop.
double loss(const Matrix<double, m, n>& a, const Matrix<double, m, d>& x, const Matrix<double, n, d>& y) {
  double f = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      double v = -a(i, j);
      for (index k = 0; k < d; ++k) v += x(i, k) * y(j, k);
      f += 0.5 * v * v;
    }
  return f;
}

class FullProblem : public ::testing::Test {
 protected:
  void SetUp() override {
    test_rng rng(17);
    fill_uniform(a, rng);
    fill_uniform(x, rng);
    fill_uniform(y, rng);
    fill_uniform(direction_x, rng);
    fill_uniform(direction_y, rng);
  }
  Matrix<double, m, n> a;
  Matrix<double, m, d> x, direction_x;
  Matrix<double, n, d> y, direction_y;
  Workspace<double, m, n, d> w;
};

TEST_F(FullProblem, GradientsMatchFiniteDifferences) {
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  user_gradients(problem, x, y, w);
  const double h = 1e-5;
  // d/dh f(X + h E, Y) at 0 = <grad_X, E>, by central differences (error O(h^2)).
  Matrix<double, m, d> xp = x, xm = x;
  axpy(h, direction_x, xp);
  axpy(-h, direction_x, xm);
  const double fd_x = (loss(a, xp, y) - loss(a, xm, y)) / (2 * h);
  EXPECT_NEAR(frobenius_inner(w.grad_x, direction_x), fd_x, 1e-7 * std::fabs(fd_x) + 1e-9);
  Matrix<double, n, d> yp = y, ym = y;
  axpy(h, direction_y, yp);
  axpy(-h, direction_y, ym);
  const double fd_y = (loss(a, x, yp) - loss(a, x, ym)) / (2 * h);
  EXPECT_NEAR(frobenius_inner(w.grad_y, direction_y), fd_y, 1e-7 * std::fabs(fd_y) + 1e-9);
  // And entry by entry, so a transposed or misplaced term cannot hide in the inner product.
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) {
      Matrix<double, m, d> xe_p = x, xe_m = x;
      xe_p(i, k) += h;
      xe_m(i, k) -= h;
      EXPECT_NEAR(w.grad_x(i, k), (loss(a, xe_p, y) - loss(a, xe_m, y)) / (2 * h), 1e-7);
    }
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < d; ++k) {
      Matrix<double, n, d> ye_p = y, ye_m = y;
      ye_p(j, k) += h;
      ye_m(j, k) -= h;
      EXPECT_NEAR(w.grad_y(j, k), (loss(a, x, ye_p) - loss(a, x, ye_m)) / (2 * h), 1e-7);
    }
}

TEST_F(FullProblem, OnePassGradientsMatchTheSeparateOnes) {
  // GD asks for both gradients at once; the single sweep over A must agree with the two products.
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const auto xs = in_problem_units(problem, x);
  const auto ys = in_problem_units(problem, y);
  gram(xs, w.gram_x, w.gemm);
  gram(ys, w.gram_y, w.gemm);
  const double f = problem.gradient_x(xs, ys, w.gram_x, w.gram_y, w.grad_x, w);
  problem.gradient_y(xs, ys, w.gram_x, w.grad_y, w);
  Matrix<double, m, d> grad_x;
  Matrix<double, n, d> grad_y;
  EXPECT_NEAR(problem.gradients(xs, ys, w.gram_x, w.gram_y, grad_x, grad_y, w), f, 1e-12 * f);
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) EXPECT_NEAR(grad_x(i, k), w.grad_x(i, k), 1e-12);
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < d; ++k) EXPECT_NEAR(grad_y(j, k), w.grad_y(j, k), 1e-12);
}

TEST_F(FullProblem, GramFormLossAndExactResidualMatchPlainLoop) {
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const double f = loss(a, x, y);
  EXPECT_NEAR(user_gradients(problem, x, y, w), f, 1e-12 * f);
  EXPECT_NEAR(user_residual(problem, x, y, w), 2 * f, 1e-12 * f);
  double norm = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) norm += a(i, j) * a(i, j);
  EXPECT_NEAR(user_norm_squared(problem), norm, 1e-13 * norm);
}

TEST(FullProblemValidation, FlagsNaNInfAndZero) {
  Matrix<float, 3, 4> a;
  fill(a, 1.0f);
  EXPECT_EQ(problems::full(a).validate(), status::ok);
  a(2, 3) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(problems::full(a).validate(), status::invalid_input);
  a(2, 3) = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(problems::full(a).validate(), status::invalid_input);
  fill(a, 0.0f);
  EXPECT_EQ(problems::full(a).validate(), status::zero_input);
}

}  // namespace
}  // namespace lowrank::test
