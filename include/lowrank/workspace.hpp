// Everything a solver needs besides the data and the factors, one object per kind of problem, each
// of a compile-time size. Declare it `static` next to the matrices: its sizeof is the solver's extra
// RAM. What each member is for is part of the method and problem contracts (contracts/).
#pragma once

#include "bit_mask.hpp"
#include "kernels/gemm.hpp"
#include "matrix.hpp"

namespace lowrank {

namespace detail {
constexpr index larger(index x, index y) { return x > y ? x : y; }
}  // namespace detail

/// Checks the factorization's shape at compile time: 1 <= d <= min(m, n).
template <index M, index N, index D>
constexpr void require_factor_rank() {
  static_assert(D >= 1, "lowrank: the factor rank d must be at least 1");
  static_assert(D <= M && D <= N, "lowrank: the factor rank d must not exceed min(m, n)");
}

/// Scratch for factorizing an M x N matrix into X (M x D) Y^T (Y is N x D): lowrank::solve.
template <class T, index M, index N, index D>
struct Workspace {
  static_assert((require_factor_rank<M, N, D>(), true));
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = M;  ///< m, the rows of A and of X
  static constexpr index cols = N;  ///< n, the columns of A (the rows of Y)
  static constexpr index rank = D;  ///< d, the columns of X and Y

  Matrix<T, M, D> grad_x;   ///< gradient (or preconditioned step) for X
  Matrix<T, N, D> grad_y;   ///< gradient (or preconditioned step) for Y
  Matrix<T, D, D> gram_x;   ///< X^T X
  Matrix<T, D, D> gram_y;   ///< Y^T Y
  Matrix<T, D, D> factor;   ///< a Cholesky factor (preconditioned methods), or Y^T B (feedback alignment)
  Matrix<T, M, D> best_x;   ///< X of the best iterate so far, restored when a run ends elsewhere
  Matrix<T, N, D> best_y;   ///< Y of the best iterate so far
  /// Packing buffers for every product of an iteration: (M x N)(N x D), (N x M)(M x D), Grams.
  GemmWorkspace<T, detail::larger(M, N), D, detail::larger(M, N)> gemm;
};

/// Workspace plus robust PCA's scratch (problems::robust): the support of the sparse part, formed by
/// each gradient_x and used by the gradient_y and residual that follow it, and the selection buffers.
template <class T, index M, index N, index D>
struct RobustWorkspace : Workspace<T, M, N, D> {
  BitMask<M, N> support;                    ///< the entries of S (set: an outlier)
  T column_threshold[N] = {};               ///< the alpha-quantile of |residual| per column
  index column_ties[N] = {};                ///< how many entries at a column's threshold may still enter S
  T row_residual[N] = {};                   ///< one row of the residual
  T selection[detail::larger(M, N)] = {};   ///< what nth_element reorders
};

/// Scratch for factorizing a symmetric N x N problem into X X^T, X N x D: lowrank::solve_symmetric.
template <class T, index N, index D>
struct SymmetricWorkspace {
  static_assert((require_factor_rank<N, N, D>(), true));
  using value_type = T;             ///< the scalar type, float or double
  static constexpr index rows = N;  ///< n, the rows of A and of X
  static constexpr index cols = N;  ///< n, the columns of A (square)
  static constexpr index rank = D;  ///< d, the columns of X

  Matrix<T, N, D> grad_x;  ///< gradient (or preconditioned step) for X
  Matrix<T, D, D> gram_x;  ///< X^T X
  Matrix<T, D, D> factor;  ///< a Cholesky factor, for the preconditioned methods
  Matrix<T, N, D> best_x;  ///< the best iterate so far
  /// Packing buffers for the products of an iteration: (N x N)(N x D) and the Gram (D x N)(N x D).
  GemmWorkspace<T, N, D, N> gemm;
};

/// The symmetric workspace plus the n x d scratch of the sensing gradient (problems::sensing).
template <class T, index N, index D>
struct SensingWorkspace : SymmetricWorkspace<T, N, D> {
  Matrix<T, N, D> sensing_times_x;  ///< S_i X for the measurement being accumulated
};

}  // namespace lowrank
