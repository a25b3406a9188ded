// Portable micro-kernel: plain C++ the compiler keeps in registers. The path for any target without a
// kernel of its own, the fallback for the edges of the Cortex-M kernel, and the reference the SIMD
// kernels are tested against. Also defines the micro-kernel contracts.
#pragma once

#include "../../config.hpp"

namespace lowrank::kernels {

/// One product op(A) op(B) of depth k as a direct micro-kernel reads it, with both operands in place:
/// - op(A)(i, p) is a[i + p * as] (rows adjacent: a column of op(A) is contiguous, as in A^T of a
///   row-major A, or a packed panel) or a[i * as + p] (a row of op(A) is contiguous, as in a
///   row-major A); which of the two is a template argument of the kernel;
/// - row p of op(B) is the contiguous run of values at b + p * rsb.
template <class T>
struct segment {
  const T* a;
  index as;
  const T* b;
  index rsb;
  index k;
};

}  // namespace lowrank::kernels

namespace lowrank::kernels::scalar {

/// C (MR x NR) tiles of alpha op(A) op(B) + beta C.
///
/// The contracts every ISA's micro-kernel follows (the direct ones are optional: a kernel without them
/// gets both operands packed by the blocking framework):
///
/// Packed: `run(k, a, b, c, ldc, alpha, beta)`
/// - `a` holds k groups of `mr` values (column p of an MR-row panel of op(A)),
/// - `b` holds k groups of `nr` values (row p of an NR-column panel of op(B)),
/// - C's rows are `ldc` apart and contiguous; beta == 0 means C is written, never read.
///
/// Direct: `tile<RowsAdjacent>(rows, cols, s, c, rsc, csc, alpha, beta)`: C = alpha op(A) op(B) + beta C
/// for the product s (a `segment`) on a rows x cols tile, rows <= rows_for(cols), cols <= nr:
/// - only the first `cols` values of each row of op(B) are read, and only the first `rows` rows of op(A);
/// - element (i, j) of C is c[i * rsc + j * csc]; nothing outside the tile is touched; beta == 0
///   means C is written, never read.
/// Two products: `tile2<RowsAdjacent1, RowsAdjacent2, Subtract2>(rows, cols, s1, s2, c, rsc, csc, alpha,
/// beta)`: C = alpha (op(A1) op(B1) +- op(A2) op(B2)) + beta C, both accumulated in the same registers.
///
/// k may be 0. The kernel knows nothing of blocking, matrices or solvers.
///
/// 4 x 4 for float uses 16 accumulators + 4 + 4 operands = 24 of a Cortex-M4F's 32 single registers.
template <class T, index MR = 4, index NR = 4>
struct microkernel {
  using value_type = T;
  static constexpr index mr = MR;
  static constexpr index nr = NR;
  static constexpr index lanes = 1;
  static constexpr index rows_for(index /*cols*/) noexcept { return MR; }

  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b,
                  T* LOWRANK_RESTRICT c, index ldc, T alpha, T beta) noexcept {
    T acc[MR][NR] = {};
    accumulate_full<true, false>(acc, segment<T>{a, MR, b, NR, k});
    store(MR, NR, acc, c, ldc, 1, alpha, beta);
  }

  template <bool RowsAdjacent>
  static void tile(index rows, index cols, const segment<T>& s, T* c, index rsc, index csc, T alpha,
                   T beta) noexcept {
    T acc[MR][NR] = {};
    if (rows == MR && cols == NR) {
      accumulate_full<RowsAdjacent, false>(acc, s);
    } else {
      accumulate_edge<RowsAdjacent, false>(acc, rows, cols, s);
    }
    store(rows, cols, acc, c, rsc, csc, alpha, beta);
  }

  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                    index csc, T alpha, T beta) noexcept {
    T acc[MR][NR] = {};
    if (rows == MR && cols == NR) {
      accumulate_full<RowsAdjacent1, false>(acc, s1);
      accumulate_full<RowsAdjacent2, Subtract2>(acc, s2);
    } else {
      accumulate_edge<RowsAdjacent1, false>(acc, rows, cols, s1);
      accumulate_edge<RowsAdjacent2, Subtract2>(acc, rows, cols, s2);
    }
    store(rows, cols, acc, c, rsc, csc, alpha, beta);
  }

 private:
  template <bool Subtract>
  static LOWRANK_ALWAYS_INLINE void update(T& acc, T a, T b) noexcept {
    if constexpr (Subtract) {
      acc -= a * b;
    } else {
      acc += a * b;
    }
  }

  /// A whole MR x NR tile: every loop has constant bounds and is unrolled, so the accumulators live in
  /// registers.
  template <bool RowsAdjacent, bool Subtract>
  static LOWRANK_ALWAYS_INLINE void accumulate_full(T (&acc)[MR][NR], const segment<T>& s) noexcept {
    const T* LOWRANK_RESTRICT a = s.a;
    const T* LOWRANK_RESTRICT b = s.b;
    if constexpr (RowsAdjacent) {
      for (index p = 0; p < s.k; ++p) {
        T bv[NR];
#pragma GCC unroll 16
        for (index j = 0; j < NR; ++j) bv[j] = b[j];
#pragma GCC unroll 16
        for (index i = 0; i < MR; ++i) {
          const T ai = a[i];
#pragma GCC unroll 16
          for (index j = 0; j < NR; ++j) update<Subtract>(acc[i][j], ai, bv[j]);
        }
        a += s.as;
        b += s.rsb;
      }
    } else {
      // One pointer per row of A, so that the loads use immediate offsets; four steps per pass so that
      // each pointer moves once per four loads.
      const T* rows[MR];
#pragma GCC unroll 16
      for (index i = 0; i < MR; ++i) rows[i] = a + i * s.as;
      index p = 0;
      for (; p + 4 <= s.k; p += 4) {
#pragma GCC unroll 4
        for (index q = 0; q < 4; ++q) {
          T bv[NR];
#pragma GCC unroll 16
          for (index j = 0; j < NR; ++j) bv[j] = b[j];
          b += s.rsb;
#pragma GCC unroll 16
          for (index i = 0; i < MR; ++i) {
            const T ai = rows[i][q];
#pragma GCC unroll 16
            for (index j = 0; j < NR; ++j) update<Subtract>(acc[i][j], ai, bv[j]);
          }
        }
#pragma GCC unroll 16
        for (index i = 0; i < MR; ++i) rows[i] += 4;
      }
      for (; p < s.k; ++p) {
        T bv[NR];
#pragma GCC unroll 16
        for (index j = 0; j < NR; ++j) bv[j] = b[j];
        b += s.rsb;
#pragma GCC unroll 16
        for (index i = 0; i < MR; ++i) {
          const T ai = *rows[i]++;
#pragma GCC unroll 16
          for (index j = 0; j < NR; ++j) update<Subtract>(acc[i][j], ai, bv[j]);
        }
      }
    }
  }

  /// A partial tile (the right or bottom edge of C): the same arithmetic with run-time bounds.
  template <bool RowsAdjacent, bool Subtract>
  static void accumulate_edge(T (&acc)[MR][NR], index rows, index cols, const segment<T>& s) noexcept {
    const T* LOWRANK_RESTRICT a = s.a;
    const T* LOWRANK_RESTRICT b = s.b;
    for (index p = 0; p < s.k; ++p) {
      for (index i = 0; i < rows; ++i) {
        const T ai = RowsAdjacent ? a[i] : a[i * s.as];
        for (index j = 0; j < cols; ++j) update<Subtract>(acc[i][j], ai, b[j]);
      }
      a += RowsAdjacent ? s.as : 1;
      b += s.rsb;
    }
  }

  // Out of line: inlined, GCC 12 cannot see through the partial-tile paths that every accumulator it
  // reads was cleared, and warns (maybe-uninitialized).
  __attribute__((noinline)) static void store(index rows, index cols, const T (&acc)[MR][NR], T* LOWRANK_RESTRICT c,
                                              index rsc, index csc, T alpha, T beta) noexcept {
    if (beta == T(0)) {  // C is written, never read
      for (index i = 0; i < rows; ++i)
        for (index j = 0; j < cols; ++j) c[i * rsc + j * csc] = alpha * acc[i][j];
      return;
    }
    for (index i = 0; i < rows; ++i) {
      for (index j = 0; j < cols; ++j) {
        T& x = c[i * rsc + j * csc];
        x = alpha * acc[i][j] + beta * x;
      }
    }
  }
};

}  // namespace lowrank::kernels::scalar
