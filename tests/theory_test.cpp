// Theorem 5.1 / Lemma 4.1 on the paper's problem: at the theory step (8), AGD's loss never increases
// and stays under the bound curve 2 exp(-beta t / 4) f_0 over the guaranteed window, and converges.
#include <gtest/gtest.h>

#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/paper_problem.hpp"
#include "support/units.hpp"

namespace lowrank::test {
namespace {

template <index D>
void check_theory_step(std::uint64_t seed) {
  static Matrix<double, paper_m, paper_n> a;
  static Matrix<double, paper_m, D> x;
  static Matrix<double, paper_n, D> y;
  static Workspace<double, paper_m, paper_n, D> w;
  make_paper_matrix(a, seed);
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const double norm = user_norm_squared(problem);

  const agd_theory theory{1.0, 0.9, paper_r, D};  // sigma_1, sigma_r known, as in the paper
  const double target = 1e-6;
  const double eta = theory.step(theory.initial_loss_bound(norm), target * norm);
  ASSERT_GT(eta, 0.0);
  ASSERT_LE(eta, theory.step_limit());

  init::proposed<double> start{seed};
  start.sigma_1 = 1.0;
  solve_options<double> options;
  options.target_relative_error = target;
  options.max_iterations = 100000;
  options.exact_error_every_iteration = true;
  std::vector<double> error;
  auto record = [&](const iteration_info<double>& info) { error.push_back(info.relative_error); };
  const auto report = solve(problem, methods::agd<double>(eta), start, x, y, w, options, record);
  ASSERT_EQ(report.status, status::converged) << "D=" << D << " seed=" << seed;

  const double f0 = 0.5 * error[0] * norm;
  const index window = theory.window(eta, f0);
  EXPECT_GE(window, report.iterations) << "the guarantee covers the whole run";
  for (index t = 0; t < error.size() && t <= window; ++t) {
    EXPECT_LE(error[t] * norm, theory.residual_bound(t, f0)) << "t=" << t;
    if (t > 0) {
      EXPECT_LE(error[t], error[t - 1] * (1 + 1e-12)) << "loss increased at t=" << t;
    }
  }
  // The bound is conservative (the paper's Fig. 2): the run beats it by a wide margin at the end.
  EXPECT_LT(error.back() * norm, 1e-3 * theory.residual_bound(report.iterations, f0));
}

TEST(Theorem5_1, TheoryStepIsMonotoneAndUnderTheBoundD10) {
  for (std::uint64_t seed : {1u, 2u}) check_theory_step<10>(seed);
}

TEST(Theorem5_1, TheoryStepIsMonotoneAndUnderTheBoundD6) {
  for (std::uint64_t seed : {3u, 4u}) check_theory_step<6>(seed);
}

TEST(Theory, QuantitiesFollowTheFormulas) {
  const agd_theory t{2.0, 0.5, 5, 10, 4.0, 1e-10, 0.5};
  const double rho = 0.5 * (1 - 2.0 / std::sqrt(10.0));
  EXPECT_DOUBLE_EQ(t.rho(), rho);
  EXPECT_DOUBLE_EQ(t.beta(), rho * rho * 0.0625 / 16.0);
  EXPECT_DOUBLE_EQ(t.D(), 4e-10 / 9);
  const double f0 = 3.0, eps = 1e-6;
  const double eta = t.beta() / std::sqrt(32 * f0 * std::log(2 * f0 / eps));
  EXPECT_DOUBLE_EQ(t.step(f0, eps), eta);
  // At T = window(eta), the bound has come down to eps: that is how (8) was derived.
  const index window = t.window(eta, f0);
  EXPECT_EQ(window, static_cast<index>(t.beta() / (8 * eta * eta * f0)));
  EXPECT_NEAR(t.residual_bound(window, f0), eps, 1e-3 * eps);
  EXPECT_DOUBLE_EQ(t.step_limit(), 9.0 / (4 * 4.0 * 1e-10 * 2.0));
}

}  // namespace
}  // namespace lowrank::test
