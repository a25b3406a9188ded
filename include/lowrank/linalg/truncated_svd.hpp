// The rank-d truncated SVD of a matrix in one call: A ~ U diag(s) V^T. The library's default
// factorization (factorize.hpp: alternating ScaledGD with step 1 from the Nystrom start, a subspace
// iteration that stops at the target or at the best rank-d approximation) gives X Y^T, and the thin
// SVD of the factors (thin_svd.hpp) turns it into singular triplets, in the factorization's own
// workspace and in U and V themselves: no RAM beyond the factorization's.
#pragma once

#include "../factorize.hpp"
#include "../workspace.hpp"
#include "thin_svd.hpp"

namespace lowrank::linalg {

/// Whether a solve rejected its arguments, leaving the factors as they were (not a result).
inline bool rejected(status s) noexcept {
  return s == status::invalid_input || s == status::invalid_argument || s == status::out_of_range ||
         s == status::unobservable;
}

/// Whether no column of x is zero.
template <class V>
bool columns_nonzero(V x) noexcept {
  for (index j = 0; j < V::cols; ++j) {
    bool zero = true;
    for (index i = 0; i < V::rows && zero; ++i) zero = x(i, j) == typename V::value_type(0);
    if (zero) return false;
  }
  return true;
}

/// The thin SVD of the X Y^T that factorize left in U (as X) and V (as Y), in place, with w's
/// storage. A rejected solve leaves the zero SVD instead (finite, orthonormal U and V). Returns the
/// report, whose status is the solve's unless the SVD itself failed. A report of 0 iterations means
/// the factors are the Nystrom start, whose X is an orthonormal basis times one scalar (init.hpp)
/// unless a column is zero (d above the rank): for such a basis X's QR is not computed.
template <class T, class MU, class MS, class MV, index M, index N, index D>
solve_report<T> svd_of_solution(solve_report<T> report, MU&& u, MS&& s, MV&& v, Workspace<T, M, N, D>& w) noexcept {
  if (rejected(report.status)) {
    set_zero_svd(u, s, v);
    return report;
  }
  const bool start = report.iterations == 0 && columns_nonzero(as_view(u));
  const status result = thin_svd(u, v, u, s, v, w, start ? left_factor::scaled_basis : left_factor::general);
  if (result != status::ok && result != status::max_iterations) report.status = result;
  return report;
}

/// A ~ U diag(s) V^T of rank d (A m x n, U m x d, s d x 1, V n x d), by factorize(A) then thin_svd.
/// A is a Matrix or a view, or any problem of problems/ (then its data: problems::centered gives
/// the SVD of the column-centered matrix, problems::masked a completed one). `options` are the
/// factorization's (the target is for ||A - U S V^T||_F^2 / ||A||_F^2); the report
/// is its report (succeeded(report.status) says whether U S V^T is the approximation asked for; see
/// solve_report). U and V have orthonormal columns and s descends whatever the status; on rejected
/// input (NaN, Inf, out of range) they are the zero SVD (set_zero_svd).
template <class MA, class MU, class MS, class MV, class T, index M, index N, index D>
solve_report<T> truncated_svd(MA&& a, MU&& u_in, MS&& s, MV&& v_in, Workspace<T, M, N, D>& w,
                              const solve_options<T>& options = {}) noexcept {
  auto u = as_view(u_in);
  auto v = as_view(v_in);
  const solve_report<T> report = factorize(a, u, v, w, options);
  return svd_of_solution(report, u, s, v, w);
}

}  // namespace lowrank::linalg
