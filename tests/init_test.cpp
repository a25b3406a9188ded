// The initializations: Lemma 4.5 (X_t stays in the column span of A under AGD from the proposed and
// ColSpan starts, and not from Random), the scales of the table in Section 6, and the sigma_1 estimate.
#include <gtest/gtest.h>

#include <cmath>

#include <lowrank/lowrank.hpp>

#include "support/paper_problem.hpp"
#include "support/units.hpp"

namespace lowrank::test {
namespace {

constexpr index d = 10;
using A_t = Matrix<double, paper_m, paper_n>;

/// ||(I - U U^T) X||_F / ||X||_F for U (m x r) orthonormal, in double.
template <class MX>
double outside_span(const SvdResult& planted, const MX& x) {
  double outside = 0, total = 0;
  for (index k = 0; k < d; ++k) {
    double coef[paper_r] = {};
    for (index c = 0; c < paper_r; ++c)
      for (index i = 0; i < paper_m; ++i) coef[c] += planted.u[i * paper_r + c] * x(i, k);
    for (index i = 0; i < paper_m; ++i) {
      double r = x(i, k);
      for (index c = 0; c < paper_r; ++c) r -= planted.u[i * paper_r + c] * coef[c];
      outside += r * r;
      total += x(i, k) * x(i, k);
    }
  }
  return std::sqrt(outside / total);
}

template <class Init>
double worst_outside_span_over_agd(const Init& init, index iterations) {
  static A_t a;
  static Matrix<double, paper_m, d> x;
  static Matrix<double, paper_n, d> y;
  static Workspace<double, paper_m, paper_n, d> w;
  const SvdResult planted = make_paper_matrix(a);
  auto problem = problems::full(a);
  EXPECT_EQ(problem.validate(), status::ok);
  const methods::agd<double> method(0.1);
  EXPECT_EQ(initialize(init, problem, 0.1, x, y, w), status::ok);
  double worst = outside_span(planted, x);
  for (index t = 0; t < iterations; ++t) {
    user_step(problem, method, x, y, w);
    worst = std::max(worst, outside_span(planted, x));
  }
  return worst;
}

TEST(Lemma4_5, ProposedInitKeepsXInColumnSpanOfA) {
  EXPECT_LT(worst_outside_span_over_agd(init::proposed<double>{3}, 300), 1e-12);
}

TEST(Lemma4_5, ColSpanInitKeepsXInColumnSpanOfA) {
  EXPECT_LT(worst_outside_span_over_agd(init::colspan{3}, 300), 1e-12);
}

TEST(Lemma4_5, RandomInitIsNotInTheColumnSpan) {  // the contrast: the check can fail
  EXPECT_GT(worst_outside_span_over_agd(init::random{3}, 5), 0.5);
}

TEST(Initialization, ScalesFollowTheTable) {
  static A_t a;
  static Matrix<double, paper_m, d> x;
  static Matrix<double, paper_n, d> y;
  static Workspace<double, paper_m, paper_n, d> w;
  make_paper_matrix(a);
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  const double eta = 0.25;
  auto rms = [](const auto& mat) {
    const auto v = as_view(mat);
    return std::sqrt(frobenius_inner(v, v) / static_cast<double>(v.size));
  };
  // Random: entries N(0, 1) / (10 sqrt(m)) times ||A||_F^(1/2); Random-Asym: X = N(0, 1) / (10 sqrt(m)
  // eta) and Y = sqrt(eta) ||A||_F N(0, 1) / (10 sqrt(n)) (the paper's formulas for A / ||A||_F).
  const double norm = std::sqrt(user_norm_squared(problem));
  ASSERT_EQ(initialize(init::random{5}, problem, eta, x, y, w), status::ok);
  EXPECT_NEAR(rms(x) / std::sqrt(norm), 1.0 / (10 * std::sqrt(100.0)), 0.1 / (10 * std::sqrt(100.0)));
  EXPECT_NEAR(rms(y) / std::sqrt(norm), 1.0 / (10 * std::sqrt(100.0)), 0.1 / (10 * std::sqrt(100.0)));
  ASSERT_EQ(initialize(init::random_asym{5}, problem, eta, x, y, w), status::ok);
  EXPECT_NEAR(rms(x), 2.0 / 100.0, 0.2 / 100.0);
  EXPECT_NEAR(rms(y) / norm, 0.5 / 100.0, 0.05 / 100.0);
  // Proposed: X_0 Y_0^T = (D / (C sqrt(d n))) A Phi_1 Phi_2^T, independent of eta (Remark 2.1), so
  // f_0 is (1 +- nu)^2 / 2 ||A||^2; Y_0 entries have size sqrt(eta) D sigma_1 / sqrt(n).
  init::proposed<double> p{5};
  p.sigma_1 = 1.0;
  ASSERT_EQ(initialize(p, problem, eta, x, y, w), status::ok);
  const double d_const = p.C * p.nu / 9;
  EXPECT_NEAR(rms(y), std::sqrt(eta) * d_const / 10.0, 0.1 * std::sqrt(eta) * d_const / 10.0);
  EXPECT_NEAR(user_residual(problem, x, y, w) / user_norm_squared(problem), 1.0, 1e-8);
  // ||X_0||_F^2 = ||A Phi||^2 / (eta d C^2 sigma_1^2), and E ||A Phi||_F^2 = d ||A||_F^2.
  EXPECT_NEAR(frobenius_inner(x, x) * eta * p.C * p.C / user_norm_squared(problem), 1.0, 0.5);
}

TEST(Initialization, SameSeedSameStartAndRejectsBadStep) {
  static A_t a;
  static Matrix<double, paper_m, d> x1, x2;
  static Matrix<double, paper_n, d> y1, y2;
  static Workspace<double, paper_m, paper_n, d> w;
  make_paper_matrix(a);
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  ASSERT_EQ(initialize(init::proposed<double>{9}, problem, 0.1, x1, y1, w), status::ok);
  ASSERT_EQ(initialize(init::proposed<double>{9}, problem, 0.1, x2, y2, w), status::ok);
  for (index i = 0; i < paper_m; ++i)
    for (index k = 0; k < d; ++k) ASSERT_EQ(x1(i, k), x2(i, k));
  EXPECT_EQ(initialize(init::proposed<double>{9}, problem, 0.0, x1, y1, w), status::invalid_argument);
  EXPECT_EQ(initialize(init::random_asym{9}, problem, -1.0, x1, y1, w), status::invalid_argument);
}

TEST(SpectralNorm, PowerIterationMatchesSvd) {
  static Matrix<float, 64, 48> a;
  static Matrix<float, 64, 1> u;
  static Matrix<float, 48, 1> v;
  static GemmWorkspace<float, 64, 1, 64> ws;
  std::mt19937_64 rng(4);
  make_low_rank(a, {3.0, 1.0, 0.5}, rng);
  EXPECT_NEAR(estimate_sigma_max(a, u.view(), v.view(), ws), sigma_max(a), 1e-4 * 3.0);
  // The paper's matrix has sigma_2 / sigma_1 = 0.975: slow, but the Rayleigh quotient still gets close.
  static A_t paper;
  make_paper_matrix(paper);
  static Matrix<double, paper_m, 1> pu;
  static Matrix<double, paper_n, 1> pv;
  static GemmWorkspace<double, 100, 1, 100> pws;
  EXPECT_NEAR(estimate_sigma_max(paper, pu.view(), pv.view(), pws), 1.0, 5e-3);
}

}  // namespace
}  // namespace lowrank::test
