// Portable micro-kernel: plain C++ the compiler keeps in registers. The path for any target without a
// kernel of its own, the fallback for the edges of the Cortex-M kernel, and the reference the SIMD
// kernels are tested against. The contract it follows is kernels/contract.hpp.
#pragma once

#include "../../config.hpp"
#include "../contract.hpp"

namespace lowrank::kernels::scalar {

/// C (MR x NR) tiles of alpha op(A) op(B) + beta C: the packed `run` and the direct `tile` and `tile2`
/// of kernels/contract.hpp.
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
    if (rows != MR || cols != NR) return edge_tile<RowsAdjacent>(rows, cols, s, c, rsc, csc, alpha, beta);
    T acc[MR][NR] = {};
    accumulate_full<RowsAdjacent, false>(acc, s);
    store(rows, cols, acc, c, rsc, csc, alpha, beta);
  }

  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                    index csc, T alpha, T beta) noexcept {
    if (rows != MR || cols != NR) {
      return edge_tile2<RowsAdjacent1, RowsAdjacent2, Subtract2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
    }
    T acc[MR][NR] = {};
    accumulate_full<RowsAdjacent1, false>(acc, s1);
    accumulate_full<RowsAdjacent2, Subtract2>(acc, s2);
    store(rows, cols, acc, c, rsc, csc, alpha, beta);
  }

  /// `tile` and `tile2` with run-time bounds only, without the unrolled whole-tile path: their partial
  /// tiles, and the edge fallback of a hand-written kernel (armv7em.hpp) in the least code.
  template <bool RowsAdjacent>
  static void edge_tile(index rows, index cols, const segment<T>& s, T* c, index rsc, index csc, T alpha,
                        T beta) noexcept {
    T acc[MR][NR] = {};
    accumulate_edge<RowsAdjacent, false>(acc, rows, cols, s);
    store(rows, cols, acc, c, rsc, csc, alpha, beta);
  }
  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void edge_tile2(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                         index csc, T alpha, T beta) noexcept {
    T acc[MR][NR] = {};
    accumulate_edge<RowsAdjacent1, false>(acc, rows, cols, s1);
    accumulate_edge<RowsAdjacent2, Subtract2>(acc, rows, cols, s2);
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
