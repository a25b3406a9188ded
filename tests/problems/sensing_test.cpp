// Matrix sensing: the regenerated sensing matrices (symmetric, deterministic, isometric in
// expectation), the operator and its adjoint against explicit loops over the S_i, the gradient against
// finite differences, validation; then PrecGD recovers a planted rank-2 M* (n = 20) with d = 4 > r
// from a small random start at a linear rate, the recovery error ||X X^T - M*||_F / ||M*||_F measured
// here independently of the solver.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index n = 6, p = 15, d = 2;

struct Small {
  Matrix<double, p, 1> b;
  Matrix<double, n, n> s[p];  // the S_i, explicit (a test may store them)
  Matrix<double, n, n> m;
  Matrix<double, n, d> x, direction;
  Matrix<double, p, 1> r;
  SensingWorkspace<double, n, d> w;
};

Small& small() {
  static Small f;
  test_rng rng(31);
  fill_uniform(f.b, rng);
  fill_uniform(f.m, rng);
  fill_uniform(f.x, rng);
  fill_uniform(f.direction, rng);
  fill_uniform(f.r, rng);
  auto problem = problems::sensing<n>(77, f.b);
  for (index i = 0; i < p; ++i) problem.sensing_matrix(i, f.s[i]);
  return f;
}

/// f(X) = 1/2 sum_i (<S_i, X X^T> - b_i)^2 with the explicit S_i, by plain loops.
double loss(const Small& f, const Matrix<double, n, d>& x) {
  double total = 0;
  for (index i = 0; i < p; ++i) {
    double measured = 0;
    for (index j = 0; j < n; ++j)
      for (index l = 0; l < n; ++l) {
        double xx = 0;
        for (index k = 0; k < d; ++k) xx += x(j, k) * x(l, k);
        measured += f.s[i](j, l) * xx;
      }
    total += 0.5 * (measured - f.b(i, 0)) * (measured - f.b(i, 0));
  }
  return total;
}

TEST(Sensing, MatricesAreSymmetricDeterministicAndScaled) {
  Small& f = small();
  auto problem = problems::sensing<n>(77, f.b);
  Matrix<double, n, n> again;
  problem.sensing_matrix(4, again);
  double diagonal = 0, off_diagonal = 0;
  for (index i = 0; i < p; ++i)
    for (index j = 0; j < n; ++j)
      for (index l = 0; l < n; ++l) {
        EXPECT_EQ(f.s[i](j, l), f.s[i](l, j));
        if (i == 4) {
          EXPECT_EQ(f.s[i](j, l), again(j, l));  // regenerated: the same matrix
        }
        (j == l ? diagonal : off_diagonal) += f.s[i](j, l) * f.s[i](j, l);
      }
  // Variance 1/p on the diagonal, 1/(2p) off it: sample means of p n and p n (n - 1) squares.
  EXPECT_NEAR(diagonal / (n * p), 1.0 / p, 0.4 / p);
  EXPECT_NEAR(off_diagonal / (n * (n - 1) * p), 0.5 / p, 0.15 / p);
  // Another seed, other matrices.
  auto other = problems::sensing<n>(78, f.b);
  other.sensing_matrix(0, again);
  EXPECT_NE(again(0, 1), f.s[0](0, 1));
}

TEST(Sensing, OperatorAndAdjointMatchExplicitLoops) {
  Small& f = small();
  auto problem = problems::sensing<n>(77, f.b);
  Matrix<double, p, 1> measured;
  problem.measure(f.m, measured);  // any M, not only symmetric ones
  for (index i = 0; i < p; ++i) {
    double expected = 0;
    for (index j = 0; j < n; ++j)
      for (index l = 0; l < n; ++l) expected += f.s[i](j, l) * f.m(j, l);
    EXPECT_NEAR(measured(i, 0), expected, 1e-13);
  }
  Matrix<double, n, n> adjoint;
  problem.adjoint(f.r, adjoint);
  for (index j = 0; j < n; ++j)
    for (index l = 0; l < n; ++l) {
      double expected = 0;
      for (index i = 0; i < p; ++i) expected += f.r(i, 0) * f.s[i](j, l);
      EXPECT_NEAR(adjoint(j, l), expected, 1e-13);
    }
  // <A(M), r> = <M, A*(r)>
  EXPECT_NEAR(frobenius_inner(measured, f.r), frobenius_inner(f.m, adjoint), 1e-12);
}

TEST(Sensing, GradientMatchesFiniteDifferencesAndLossAndResidualAreExact) {
  Small& f = small();
  auto problem = problems::sensing<n>(77, f.b);
  ASSERT_EQ(problem.validate(), status::ok);
  EXPECT_NEAR(user_norm_squared(problem), frobenius_inner(f.b, f.b), 1e-14);
  const double value = user_gradient(problem, f.x, f.w);
  const double expected = loss(f, f.x);
  EXPECT_NEAR(value, expected, 1e-12 * expected);
  EXPECT_NEAR(user_residual(problem, f.x, f.w), 2 * expected, 1e-12 * expected);
  const double h = 1e-5;
  Matrix<double, n, d> xp = f.x, xm = f.x;
  axpy(h, f.direction, xp);
  axpy(-h, f.direction, xm);
  const double fd = (loss(f, xp) - loss(f, xm)) / (2 * h);
  EXPECT_NEAR(frobenius_inner(f.w.grad_x, f.direction), fd, 1e-7 * std::fabs(fd) + 1e-9);
  for (index i = 0; i < n; ++i)
    for (index k = 0; k < d; ++k) {
      Matrix<double, n, d> xe_p = f.x, xe_m = f.x;
      xe_p(i, k) += h;
      xe_m(i, k) -= h;
      EXPECT_NEAR(f.w.grad_x(i, k), (loss(f, xe_p) - loss(f, xe_m)) / (2 * h), 1e-6) << i << "," << k;
    }
}

TEST(Sensing, IsometricInExpectation) {
  // E ||A(M)||^2 = ||M||_F^2 for symmetric M; with p = 400 the ratio is within a few 0.07 of 1.
  static Matrix<double, 400, 1> b;
  static Matrix<double, n, n> m;
  auto problem = problems::sensing<n>(5, b);
  test_rng rng(8);
  for (int trial = 0; trial < 3; ++trial) {
    fill_uniform(m, rng);
    for (index i = 0; i < n; ++i)
      for (index j = 0; j < i; ++j) m(i, j) = m(j, i);
    problem.measure(m, b);
    EXPECT_NEAR(frobenius_inner(b, b) / frobenius_inner(m, m), 1.0, 0.3);
  }
}

TEST(Sensing, ValidationAndZeroMeasurements) {
  Small& f = small();
  Matrix<double, p, 1> b = f.b;
  b(3, 0) = std::numeric_limits<double>::infinity();
  EXPECT_EQ(problems::sensing<n>(1, b).validate(), status::invalid_input);
  b(3, 0) = std::numeric_limits<double>::quiet_NaN();
  auto invalid = problems::sensing<n>(1, b);
  EXPECT_EQ(solve_symmetric(invalid, methods::precgd<double>(0.25), f.x, f.w).status, status::invalid_input);
  fill(b, 0.0);
  auto zero = problems::sensing<n>(1, b);
  const auto report = solve_symmetric(zero, methods::precgd<double>(0.25), f.x, f.w);
  EXPECT_EQ(report.status, status::zero_input);
  EXPECT_EQ(f.x(2, 1), 0.0);
  b = f.b;
  auto ok = problems::sensing<n>(1, b);
  EXPECT_EQ(solve_symmetric(ok, methods::precgd<double>(0.0), f.x, f.w).status, status::invalid_argument);
}

// ---- recovery: n = 20, r = 2, d = 4, p = 5 n r = 200 ----

constexpr index rn = 20, rr = 2, rd = 4, rp = 5 * rn * rr;

struct Recovery {
  Matrix<double, rn, rn> m_star;
  Matrix<double, rp, 1> b;
  Matrix<double, rn, rd> x;
  SensingWorkspace<double, rn, rd> w;
};

/// ||X X^T - M*||_F / ||M*||_F in double.
double recovery_error(const Recovery& f) {
  double error = 0, norm = 0;
  for (index i = 0; i < rn; ++i)
    for (index j = 0; j < rn; ++j) {
      double v = -f.m_star(i, j);
      for (index k = 0; k < rd; ++k) v += f.x(i, k) * f.x(j, k);
      error += v * v;
      norm += f.m_star(i, j) * f.m_star(i, j);
    }
  return std::sqrt(error / norm);
}

/// Plants M* = U diag(s) U^T (s from 1 to 1/kappa), measures it, starts from X_0 = Phi * scale.
template <class Method>
solve_report<double> recover(Recovery& f, double kappa, const Method& method, double init_scale,
                             std::vector<double>* errors) {
  std::mt19937_64 rng(41);
  const std::vector<double> s = {1.0, 1.0 / kappa};
  const SvdResult planted = make_low_rank(f.m_star, s, rng);
  for (index i = 0; i < rn; ++i)
    for (index j = 0; j < rn; ++j) {
      double v = 0;
      for (index k = 0; k < rr; ++k) v += planted.u[i * rr + k] * s[k] * planted.u[j * rr + k];
      f.m_star(i, j) = v;
    }
  auto problem = problems::sensing<rn>(2024, f.b);
  problem.measure(f.m_star, f.b);
  random::GaussianGenerator<double> gaussian(9);
  random::fill_gaussian(gaussian, f.x);
  scale(init_scale, f.x);
  solve_options<double> options;
  options.target_relative_error = 1e-18;  // ||A(X X^T) - b||^2 / ||b||^2
  options.max_iterations = 600;
  options.stall_window = 0;
  auto record = [&](const iteration_info<double>& info) {
    if (errors != nullptr) errors->push_back(info.relative_error);
  };
  return solve_symmetric(problem, method, f.x, f.w, options, record);
}

TEST(Sensing, PrecGDRecoversPlantedMatrixLinearlyOverParameterized) {
  static Recovery f;
  for (double kappa : {1.0, 10.0}) {
    std::vector<double> errors;
    const auto report = recover(f, kappa, methods::precgd<double>(0.25), 0.01, &errors);
    ASSERT_EQ(report.status, status::converged) << "kappa=" << kappa;
    const double recovery = recovery_error(f);
    EXPECT_LT(recovery, 1e-8) << "kappa=" << kappa;
    // Linear: once below 1e-3, every 40 iterations gain at least two orders of magnitude.
    index first = 0;
    while (first < errors.size() && errors[first] > 1e-3) ++first;
    ASSERT_LT(first + 40, errors.size());
    for (index t = first; t + 40 < errors.size(); t += 40) EXPECT_LT(errors[t + 40], 1e-2 * errors[t]) << t;
    std::printf("sensing n = %zu, r = %zu, d = %zu, p = %zu, kappa = %2.0f: precgd %zu iterations, below 1e-3 "
                "at %zu, recovery error %.1e\n",
                static_cast<std::size_t>(rn), static_cast<std::size_t>(rr), static_cast<std::size_t>(rd),
                static_cast<std::size_t>(rp), kappa, static_cast<std::size_t>(report.iterations),
                static_cast<std::size_t>(first), recovery);
  }
}

// Undamped ScaledGD from the same kind of small start: its first step is scaled by (X_0^T X_0)^-1,
// which is huge for a small X_0, and it overshoots by orders of magnitude; PrecGD's lambda = sqrt(f)
// is of the size of M* there and bounds the step.
TEST(Sensing, UndampedScaledGDExplodesFromASmallStartWherePrecGDDoesNot) {
  static Recovery f;
  std::vector<double> scaled_errors, precgd_errors;
  const auto scaled = recover(f, 1.0, methods::scaled_gd<double>(0.25), 1e-3, &scaled_errors);
  const auto precgd = recover(f, 1.0, methods::precgd<double>(0.25), 1e-3, &precgd_errors);
  ASSERT_GE(scaled_errors.size(), 2u);
  std::printf("from X_0 = 1e-3 Phi: scaled_gd %s, error after one step %.1e; precgd %s in %zu iterations\n",
              to_string(scaled.status), scaled_errors[1], to_string(precgd.status),
              static_cast<std::size_t>(precgd.iterations));
  EXPECT_GT(scaled_errors[1], 100 * scaled_errors[0]);
  EXPECT_LT(precgd_errors[1], precgd_errors[0]);
  EXPECT_EQ(precgd.status, status::converged);
}

}  // namespace
}  // namespace lowrank::test
