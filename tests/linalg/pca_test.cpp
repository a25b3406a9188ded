// fit_pca against the reference SVD (tests/support) of the explicitly centered matrix, in double:
// mean, singular values, components (as a subspace and column by column up to sign), explained
// variance ratios; projections of the training samples reproduce the scores; reconstruction; and the
// centered problem's products against naive long double loops.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <lowrank/linalg/pca.hpp>

#include "linalg/linalg_test_support.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index m = 80, n = 12, d = 3;

/// A = low-rank part (singular values `sigma`) + relative noise + column offsets 10 + 3 j: a mean much
/// larger than the spread, the case the folded-in means must handle.
template <class T>
void make_samples(Matrix<T, m, n>& a, const std::vector<double>& sigma, double noise, std::mt19937_64& rng) {
  make_low_rank(a, sigma, rng, noise);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) a(i, j) += static_cast<T>(10.0 + 3.0 * static_cast<double>(j));
}

/// The reference: the mean by a long double loop and the SVD of the explicitly centered matrix.
struct centered_reference {
  double mean[n];
  double total;  // ||A - 1 mu^T||_F^2
  SvdResult svd;
};

centered_reference reference_of(const Matrix<double, m, n>& a) {
  centered_reference r;
  static Matrix<double, m, n> centered;
  for (index j = 0; j < n; ++j) {
    long double sum = 0.0L;
    for (index i = 0; i < m; ++i) sum += a(i, j);
    r.mean[j] = static_cast<double>(sum / m);
  }
  r.total = 0.0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      centered(i, j) = a(i, j) - r.mean[j];
      r.total += centered(i, j) * centered(i, j);
    }
  r.svd = svd_double(centered);
  return r;
}

/// Checks a fitted model against the reference to `tol` (relative to s_1 for the values).
void check_against_reference(const linalg::pca_model<double, n, d>& model, const centered_reference& r, double tol) {
  for (index j = 0; j < n; ++j) EXPECT_NEAR(model.mean(0, j), r.mean[j], 1e-14 * std::fabs(r.mean[j]));
  for (index k = 0; k < d; ++k) {
    EXPECT_NEAR(model.singular_values(k, 0), r.svd.s[k], tol * r.svd.s[0]) << k;
    EXPECT_NEAR(model.explained_variance(k, 0), r.svd.s[k] * r.svd.s[k] / (m - 1), 2.0 * tol * r.svd.s[0] * r.svd.s[0]);
    EXPECT_NEAR(model.explained_variance_ratio(k, 0), r.svd.s[k] * r.svd.s[k] / r.total, 2.0 * tol);
    double dot = 0.0;  // the component equals the reference's up to sign (the values are separated)
    for (index j = 0; j < n; ++j) dot += model.components(j, k) * r.svd.v_at(j, k);
    EXPECT_NEAR(std::fabs(dot), 1.0, tol) << k;
  }
  EXPECT_NEAR(model.total_variance, r.total / (m - 1), 1e-12 * r.total);
  EXPECT_LE(orthonormality_error(model.components), 1e-13);
}

TEST(Pca, ExactlyLowRankDataMatchesTheCenteredSvd) {
  static Matrix<double, m, n> a;
  static Matrix<double, m, d> scores, projected;
  static linalg::pca_model<double, n, d> model;
  static Workspace<double, m, n, d> w;
  std::mt19937_64 rng(31);
  make_samples(a, {4.0, 2.0, 1.0}, 0.0, rng);
  const centered_reference r = reference_of(a);
  solve_options<double> options;
  options.target_relative_error = 0.0;  // to the rounding floor
  const auto report = linalg::fit_pca(a, model, scores, w, options);
  ASSERT_TRUE(succeeded(report.status)) << to_string(report.status);
  check_against_reference(model, r, 1e-9);
  // The training samples project onto their own scores.
  model.project(a, projected);
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) EXPECT_NEAR(projected(i, k), scores(i, k), 1e-12 * r.svd.s[0]);
  // Data of rank d is reconstructed from its scores.
  static Matrix<double, m, n> rebuilt;
  model.reconstruct(scores, rebuilt);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) EXPECT_NEAR(rebuilt(i, j), a(i, j), 1e-9 * r.svd.s[0]);
}

TEST(Pca, NoisyDataMatchesTheCenteredSvd) {
  static Matrix<double, m, n> a;
  static Matrix<double, m, d> scores, projected;
  static linalg::pca_model<double, n, d> model;
  static Workspace<double, m, n, d> w;
  std::mt19937_64 rng(32);
  make_samples(a, {4.0, 2.0, 1.0}, 1e-2, rng);
  const centered_reference r = reference_of(a);
  const auto report = linalg::fit_pca(a, model, scores, w);
  ASSERT_TRUE(succeeded(report.status)) << to_string(report.status);
  check_against_reference(model, r, 1e-5);
  model.project(a, projected);
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) EXPECT_NEAR(projected(i, k), scores(i, k), 1e-5 * r.svd.s[0]);
  // A new sample: its projection is V^T (x - mu), its reconstruction the nearest point of the affine
  // subspace (so reconstructing it again changes nothing).
  Matrix<double, 1, n> sample, rebuilt, again;
  Matrix<double, 1, d> sample_scores, rebuilt_scores;
  for (index j = 0; j < n; ++j) sample(0, j) = a(5, j) + 0.3 * static_cast<double>(j % 3);
  model.project(sample, sample_scores);
  model.reconstruct(sample_scores, rebuilt);
  model.project(rebuilt, rebuilt_scores);
  model.reconstruct(rebuilt_scores, again);
  for (index j = 0; j < n; ++j) EXPECT_NEAR(again(0, j), rebuilt(0, j), 1e-12 * 100.0);
}

TEST(Pca, CenteredProductsEqualNaiveLoops) {
  static Matrix<double, m, n> a;
  std::mt19937_64 rng(33);
  make_samples(a, {1.0, 0.5}, 0.1, rng);
  auto problem = problems::centered(a);
  ASSERT_EQ(problem.validate(), status::ok);
  static Matrix<double, n, 2> b, out_t;
  static Matrix<double, m, 2> c, out;
  static Workspace<double, m, n, d> w;
  fill_random(b, rng);
  fill_random(c, rng);
  problem.data_times(2.0, b, out, w);
  problem.data_transpose_times(2.0, c, out_t, w);
  const centered_reference r = reference_of(a);
  const double s = problem.scale().unit;
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < 2; ++k) {
      long double sum = 0.0L;
      for (index j = 0; j < n; ++j) sum += (static_cast<long double>(a(i, j)) - r.mean[j]) * b(j, k);
      EXPECT_NEAR(out(i, k), static_cast<double>(2.0L * sum / s), 1e-12 * 50.0);
    }
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < 2; ++k) {
      long double sum = 0.0L;
      for (index i = 0; i < m; ++i) sum += (static_cast<long double>(a(i, j)) - r.mean[j]) * c(i, k);
      EXPECT_NEAR(out_t(j, k), static_cast<double>(2.0L * sum / s), 1e-12 * 50.0);
    }
  EXPECT_NEAR(problem.norm_squared() * s * s, r.total, 1e-12 * r.total);
}

TEST(Pca, RejectedAndConstantInput) {
  static Matrix<float, 20, 5> a;
  static Matrix<float, 20, 2> scores;
  static linalg::pca_model<float, 5, 2> model;
  static Workspace<float, 20, 5, 2> w;
  for (index i = 0; i < 20; ++i)
    for (index j = 0; j < 5; ++j) a(i, j) = static_cast<float>(j);  // every column constant
  EXPECT_EQ(linalg::fit_pca(a, model, scores, w).status, status::zero_input);
  EXPECT_EQ(model.singular_values(0, 0), 0.0f);
  EXPECT_EQ(model.mean(0, 3), 3.0f);
  a(2, 2) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(linalg::fit_pca(a, model, scores, w).status, status::invalid_input);
  EXPECT_TRUE(all_finite(model.mean) && all_finite(model.components) && all_finite(scores) &&
              all_finite(model.explained_variance_ratio));
}

}  // namespace
}  // namespace lowrank::test
