// Principal component analysis of m samples (the rows of A) of n features: the truncated SVD of the
// column-centered matrix, A - 1 mu^T ~ U diag(s) V^T of rank d, computed through problems::centered
// (the means folded into the products, the centered matrix never formed). The components are V's
// columns, the scores of the training samples U diag(s), the explained variances s_k^2 / (m - 1)
// (the sample covariance's eigenvalues), their ratios s_k^2 / ||A - 1 mu^T||_F^2.
#pragma once

#include "../problems/centered.hpp"
#include "../workspace.hpp"
#include "truncated_svd.hpp"

namespace lowrank::linalg {

/// A fitted PCA of n features with d components; its sizeof is its RAM (declare it static).
template <class T, index N, index D>
struct pca_model {
  Matrix<T, 1, N> mean;                     ///< mu, the training samples' mean
  Matrix<T, N, D> components;               ///< V: the principal axes, orthonormal columns
  Matrix<T, D, 1> singular_values;          ///< s of the centered training matrix, descending
  Matrix<T, D, 1> explained_variance;       ///< s_k^2 / (m - 1)
  Matrix<T, D, 1> explained_variance_ratio; ///< s_k^2 / ||A - 1 mu^T||_F^2: the fraction of the total
  T total_variance = T(0);                  ///< ||A - 1 mu^T||_F^2 / (m - 1), all n directions

  /// scores = (samples - 1 mu^T) V for k samples (k x n) into k x d scores.
  template <class MSamples, class MScores>
  void project(const MSamples& samples_in, MScores&& scores_in) const noexcept {
    const auto samples = as_view(samples_in);
    const auto scores = as_view(scores_in);
    static_assert(decltype(samples)::cols == N, "lowrank::pca_model::project: the samples must have n columns");
    static_assert(decltype(scores)::cols == D && decltype(scores)::rows == decltype(samples)::rows,
                  "lowrank::pca_model::project: the scores must be (samples) x d");
    for (index r = 0; r < decltype(samples)::rows; ++r)
      for (index k = 0; k < D; ++k) {
        T sum = T(0);
        for (index j = 0; j < N; ++j) sum += (samples(r, j) - mean(0, j)) * components(j, k);
        scores(r, k) = sum;
      }
  }

  /// samples = scores V^T + 1 mu^T: the rank-d reconstruction of k samples from their k x d scores.
  template <class MScores, class MSamples>
  void reconstruct(const MScores& scores_in, MSamples&& samples_in) const noexcept {
    const auto scores = as_view(scores_in);
    const auto samples = as_view(samples_in);
    static_assert(decltype(samples)::cols == N, "lowrank::pca_model::reconstruct: the samples must have n columns");
    static_assert(decltype(scores)::cols == D && decltype(scores)::rows == decltype(samples)::rows,
                  "lowrank::pca_model::reconstruct: the scores must be (samples) x d");
    for (index r = 0; r < decltype(samples)::rows; ++r)
      for (index j = 0; j < N; ++j) {
        T sum = mean(0, j);
        for (index k = 0; k < D; ++k) sum += scores(r, k) * components(j, k);
        samples(r, j) = sum;
      }
  }
};

/// Fits `model` to the m samples in A (m x n) with d components, and writes the training samples'
/// scores U diag(s) (m x d), which also serve as the factorization's X. The report is the
/// factorization's (truncated_svd); on rejected input (NaN, Inf, out of range) the model is the
/// zero model (mean 0, identity components, zero variances) and the scores are 0.
template <class MA, class MScores, class T, index M, index N, index D>
solve_report<T> fit_pca(const MA& a, pca_model<T, N, D>& model, MScores&& scores_in, Workspace<T, M, N, D>& w,
                        const solve_options<T>& options = {}) noexcept {
  auto scores = as_view(scores_in);
  auto problem = problems::centered(a);
  const solve_report<T> report = truncated_svd(problem, scores, model.singular_values, model.components, w, options);
  if (rejected(report.status)) {
    fill(model.mean, T(0));
    fill(scores, T(0));
    fill(model.explained_variance, T(0));
    fill(model.explained_variance_ratio, T(0));
    model.total_variance = T(0);
    return report;
  }
  copy(problem.mean(), model.mean);
  constexpr T degrees = M > 1 ? T(M - 1) : T(1);  // one sample: no spread (zero_input)
  const T unit = problem.scale().unit;
  const double total = problem.norm_squared();  // in problem units: no overflow
  for (index k = 0; k < D; ++k) {
    const T sigma = model.singular_values(k, 0);
    for (index i = 0; i < M; ++i) scores(i, k) *= sigma;
    const double in_units = static_cast<double>(sigma / unit);
    model.explained_variance(k, 0) = sigma * (sigma / degrees);
    model.explained_variance_ratio(k, 0) = total > 0.0 ? static_cast<T>(in_units * in_units / total) : T(0);
  }
  model.total_variance = static_cast<T>(total * static_cast<double>(unit) * static_cast<double>(unit) /
                                        static_cast<double>(degrees));
  return report;
}

}  // namespace lowrank::linalg
