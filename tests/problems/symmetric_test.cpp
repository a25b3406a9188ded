// The symmetric problem f(X) = 1/2 ||X X^T - A||_F^2: gradient against central finite differences of f
// in double, the returned (Gram-form) loss and the exact residual against a plain loop, and validation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"

namespace lowrank::test {
namespace {

constexpr index n = 11, d = 4;

/// f(X) = 1/2 ||X X^T - A||_F^2 by a plain loop.
double loss(const Matrix<double, n, n>& a, const Matrix<double, n, d>& x) {
  double f = 0;
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) {
      double v = -a(i, j);
      for (index k = 0; k < d; ++k) v += x(i, k) * x(j, k);
      f += 0.5 * v * v;
    }
  return f;
}

class SymmetricProblem : public ::testing::Test {
 protected:
  void SetUp() override {
    test_rng rng(23);
    Matrix<double, n, n> b;
    fill_uniform(b, rng);
    for (index i = 0; i < n; ++i)
      for (index j = 0; j < n; ++j) a(i, j) = b(i, j) + b(j, i);  // symmetric, indefinite: f is still defined
    fill_uniform(x, rng);
    fill_uniform(direction, rng);
  }
  Matrix<double, n, n> a;
  Matrix<double, n, d> x, direction;
  SymmetricWorkspace<double, n, d> w;
};

TEST_F(SymmetricProblem, GradientMatchesFiniteDifferences) {
  auto problem = problems::symmetric(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const double f = user_gradient(problem, x, w);
  EXPECT_NEAR(f, loss(a, x), 1e-12 * loss(a, x));
  const double h = 1e-5;
  Matrix<double, n, d> xp = x, xm = x;
  axpy(h, direction, xp);
  axpy(-h, direction, xm);
  const double fd = (loss(a, xp) - loss(a, xm)) / (2 * h);
  EXPECT_NEAR(frobenius_inner(w.grad_x, direction), fd, 1e-7 * std::fabs(fd) + 1e-9);
  for (index i = 0; i < n; ++i)
    for (index k = 0; k < d; ++k) {
      Matrix<double, n, d> xe_p = x, xe_m = x;
      xe_p(i, k) += h;
      xe_m(i, k) -= h;
      EXPECT_NEAR(w.grad_x(i, k), (loss(a, xe_p) - loss(a, xe_m)) / (2 * h), 1e-6) << i << "," << k;
    }
}

TEST_F(SymmetricProblem, ResidualIsExactAndTwiceTheLoss) {
  auto problem = problems::symmetric(a);
  ASSERT_EQ(problem.validate(), status::ok);
  EXPECT_NEAR(user_residual(problem, x, w), 2 * loss(a, x), 1e-12 * loss(a, x));
  double norm = 0;
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) norm += a(i, j) * a(i, j);
  EXPECT_NEAR(user_norm_squared(problem), norm, 1e-12 * norm);
  EXPECT_EQ(problem.matrix().data(), a.data());
}

TEST_F(SymmetricProblem, ValidationRejectsNaNInfAndAsymmetryAndFlagsZero) {
  {
    auto problem = problems::symmetric(a);
    EXPECT_EQ(problem.validate(), status::ok);
  }
  Matrix<double, n, n> bad = a;
  bad(2, 7) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(problems::symmetric(bad).validate(), status::invalid_input);
  bad = a;
  bad(5, 5) = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(problems::symmetric(bad).validate(), status::invalid_input);
  bad = a;
  bad(1, 8) += 1e-3;  // no longer symmetric
  EXPECT_EQ(problems::symmetric(bad).validate(), status::invalid_input);
  bad = a;
  bad(1, 8) *= 1 + 1e-15;  // symmetric to rounding: accepted
  EXPECT_EQ(problems::symmetric(bad).validate(), status::ok);
  fill(bad, 0.0);
  EXPECT_EQ(problems::symmetric(bad).validate(), status::zero_input);
}

}  // namespace
}  // namespace lowrank::test
