// AVX2 + FMA micro-kernels (x86-64). Same contracts as scalar::microkernel (see scalar.hpp): the packed
// `run` and the direct `tile` and `tile2`; besides, the `dot` kernel (vectors along k, for the last
// d mod 8 columns of a narrow product) and `fixed` (one tile inlined, for small products whose shape
// is known at compile time; blocking.hpp decides which is used where).
//
// Register tiles (16 ymm registers): R rows of NV vectors of accumulators, one B vector per column
// vector, one broadcast A value at a time, as BLIS's Haswell kernel:
//   NV = 2 (float 16, double 8 columns): R <= 6, 12 accumulators + 2 + 1 = 15 registers;
//   NV = 1 (float 8, double 4 columns):  R <= 12, 12 accumulators + 1 + 1 = 14 registers.
// Twelve independent accumulators cover the FMA latency (4 cycles) times its throughput (2 per cycle)
// with room to spare. A narrow product (C 8 columns wide, as A Y with d = 8) thus still gets 12
// accumulators instead of the 6 that a fixed 6 x 16 tile would leave it.
//
// Partial tiles: rows by template instantiation (the loops are fully unrolled for each row count),
// columns by masked loads of B and C (vmaskmovps) and a partial store of C, so that neither A, B nor C
// is ever copied to handle an edge and nothing outside the matrices is read or written.
#pragma once

#include <immintrin.h>

#include "../../config.hpp"
#include "scalar.hpp"

namespace lowrank::kernels::avx2 {

/// The handful of vector operations the kernels need, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using reg = __m256;
  using mask = __m256i;
  static constexpr index lanes = 8;
  static reg zero() noexcept { return _mm256_setzero_ps(); }
  static reg load(const float* p) noexcept { return _mm256_loadu_ps(p); }
  static void store(float* p, reg v) noexcept { _mm256_storeu_ps(p, v); }
  static reg broadcast(const float* p) noexcept { return _mm256_broadcast_ss(p); }
  static reg splat(float x) noexcept { return _mm256_set1_ps(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_ps(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_ps(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm256_fnmadd_ps(a, b, c); }
  /// Lanes [0, live) set.
  static mask first(index live) noexcept {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(live)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static reg load(const float* p, mask m) noexcept { return _mm256_maskload_ps(p, m); }
  /// The first `live` lanes of v to p, by 4-, 2- and 1-lane stores. Not VMASKMOVPS: as a store it is
  /// microcoded on AMD cores (tens of cycles).
  static void store(float* p, reg v, index live) noexcept {
    __m128 x = _mm256_castps256_ps128(v);
    if (live >= 4) {
      _mm_storeu_ps(p, x);
      x = _mm256_extractf128_ps(v, 1);
      p += 4;
      live -= 4;
    }
    if (live >= 2) {
      _mm_storel_pi(reinterpret_cast<__m64*>(p), x);
      x = _mm_movehl_ps(x, x);
      p += 2;
      live -= 2;
    }
    if (live >= 1) _mm_store_ss(p, x);
  }
  /// The sum of the 8 lanes.
  static float sum(reg v) noexcept {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
  }
};

template <>
struct vector_ops<double> {
  using reg = __m256d;
  using mask = __m256i;
  static constexpr index lanes = 4;
  static reg zero() noexcept { return _mm256_setzero_pd(); }
  static reg load(const double* p) noexcept { return _mm256_loadu_pd(p); }
  static void store(double* p, reg v) noexcept { _mm256_storeu_pd(p, v); }
  static reg broadcast(const double* p) noexcept { return _mm256_broadcast_sd(p); }
  static reg splat(double x) noexcept { return _mm256_set1_pd(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_pd(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_pd(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm256_fnmadd_pd(a, b, c); }
  static mask first(index live) noexcept {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(live)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static reg load(const double* p, mask m) noexcept { return _mm256_maskload_pd(p, m); }
  static void store(double* p, reg v, index live) noexcept {
    __m128d x = _mm256_castpd256_pd128(v);
    if (live >= 2) {
      _mm_storeu_pd(p, x);
      x = _mm256_extractf128_pd(v, 1);
      p += 2;
      live -= 2;
    }
    if (live >= 1) _mm_store_sd(p, x);
  }
  /// The sum of the 4 lanes.
  static double sum(reg v) noexcept {
    __m128d x = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    x = _mm_add_sd(x, _mm_unpackhi_pd(x, x));
    return _mm_cvtsd_f64(x);
  }
};

template <class T>
struct microkernel {
  using value_type = T;
  using V = vector_ops<T>;
  using reg = typename V::reg;
  using mask = typename V::mask;
  static constexpr index lanes = V::lanes;
  static constexpr index mr = 6;  ///< rows of the packed `run` tile
  static constexpr index nr = 2 * lanes;
  /// Row-tile height for a tile with `cols` live columns: one vector of columns leaves room for 12 rows.
  static constexpr index rows_for(index cols) noexcept { return cols <= lanes ? 12 : 6; }

  /// The packed contract (scalar.hpp): `a` holds k groups of mr values, `b` k groups of nr values.
  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b, T* LOWRANK_RESTRICT c,
                  index ldc, T alpha, T beta) noexcept {
    const segment<T> s{a, mr, b, nr, k};
    block<6, 2, true, true, false, false>(nr, s, s, c, ldc, 1, alpha, beta);
  }

  /// The direct contracts (scalar.hpp).
  template <bool RowsAdjacent>
  static void tile(index rows, index cols, const segment<T>& s, T* c, index rsc, index csc, T alpha,
                   T beta) noexcept {
    dispatch<RowsAdjacent, RowsAdjacent, false, false>(rows, cols, s, s, c, rsc, csc, alpha, beta);
  }
  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                    index csc, T alpha, T beta) noexcept {
    // Full-height tiles fused; the one partial-height tile of a product as two tiles, which keeps the
    // instantiations (each a fully unrolled function) to 2 per combination instead of 18.
    if (cols > lanes && rows == 6) {
      return block<6, 2, RowsAdjacent1, RowsAdjacent2, true, Subtract2>(cols, s1, s2, c, rsc, csc, alpha, beta);
    }
    if (cols <= lanes && rows == 12) {
      return block<12, 1, RowsAdjacent1, RowsAdjacent2, true, Subtract2>(cols, s1, s2, c, rsc, csc, alpha, beta);
    }
    tile<RowsAdjacent1>(rows, cols, s1, c, rsc, csc, alpha, beta);
    tile<RowsAdjacent2>(rows, cols, s2, c, rsc, csc, Subtract2 ? -alpha : alpha, T(1));
  }

  /// The dot contract: C (rows x cols) = alpha (op(A1) op(B1) [+- op(A2) op(B2)]) + beta C with the
  /// vectors along k instead of along C's rows, for products whose C is a few columns wide (the last
  /// d mod 8 columns of A Y): op(A)'s rows contiguous (a[i * as + p]) and op(B) given transposed, its
  /// columns contiguous (op(B)(p, j) = b[j * rsb + p]). Every lane does useful work whatever the
  /// width of C; each entry of C costs one horizontal sum. cols <= dot_cols, rows <= dot_rows(cols).
  /// Two columns for float, one for double: blocking.hpp gives it no wider remainder (wider ones are
  /// cheaper as a partial vector than as horizontal sums), and every width is 8 to 14 instantiations.
  static constexpr index dot_cols = lanes / 4;
  static constexpr index dot_rows(index cols) noexcept { return cols <= 1 ? 8 : 12 / cols; }
  template <bool Two, bool Subtract2>
  static void dot(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc, index csc,
                  T alpha, T beta) noexcept {
    if constexpr (dot_cols >= 2) {
      if (cols == 2) return dot_dispatch<2, Two, Subtract2>(rows, s1, s2, c, rsc, csc, alpha, beta);
    }
    return dot_dispatch<1, Two, Subtract2>(rows, s1, s2, c, rsc, csc, alpha, beta);
  }

 private:
  template <index C, bool Two, bool Sub2>
  static void dot_dispatch(index rows, const segment<T>& s1, const segment<T>& s2, T* c, index rsc, index csc,
                           T alpha, T beta) noexcept {
    constexpr index R = dot_rows(C);
    static_assert(R >= 1 && R <= 8, "dot tile height");
    switch (rows) {
      case 8: if constexpr (R >= 8) return dot_block<8, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 7: if constexpr (R >= 7) return dot_block<7, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 6: if constexpr (R >= 6) return dot_block<6, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 5: if constexpr (R >= 5) return dot_block<5, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 4: if constexpr (R >= 4) return dot_block<4, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 3: if constexpr (R >= 3) return dot_block<3, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      case 2: if constexpr (R >= 2) return dot_block<2, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta); [[fallthrough]];
      default: return dot_block<1, C, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
    }
  }

  /// acc[i][j] +-= sum over p of a_i[p] bt_j[p], a vector of k at a time, the last one masked.
  template <index R, index C, bool Subtract>
  static LOWRANK_ALWAYS_INLINE void dot_accumulate(reg (&acc)[R][C], const segment<T>& s) noexcept {
    index p = 0;
    for (; p + lanes <= s.k; p += lanes) {
      reg bv[C];
#pragma GCC unroll 4
      for (index j = 0; j < C; ++j) bv[j] = V::load(s.b + j * s.rsb + p);
#pragma GCC unroll 8
      for (index i = 0; i < R; ++i) {
        const reg ai = V::load(s.a + i * s.as + p);
#pragma GCC unroll 4
        for (index j = 0; j < C; ++j) acc[i][j] = update<Subtract>(ai, bv[j], acc[i][j]);
      }
    }
    if (p < s.k) {
      const mask m = V::first(s.k - p);
      reg bv[C];
#pragma GCC unroll 4
      for (index j = 0; j < C; ++j) bv[j] = V::load(s.b + j * s.rsb + p, m);
#pragma GCC unroll 8
      for (index i = 0; i < R; ++i) {
        const reg ai = V::load(s.a + i * s.as + p, m);
#pragma GCC unroll 4
        for (index j = 0; j < C; ++j) acc[i][j] = update<Subtract>(ai, bv[j], acc[i][j]);
      }
    }
  }

  template <index R, index C, bool Two, bool Sub2>
  __attribute__((noinline)) static void dot_block(const segment<T>& s1, const segment<T>& s2, T* LOWRANK_RESTRICT c,
                                                  index rsc, index csc, T alpha, T beta) noexcept {
    reg acc[R][C];
#pragma GCC unroll 8
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 4
      for (index j = 0; j < C; ++j) acc[i][j] = V::zero();
    }
    dot_accumulate<R, C, false>(acc, s1);
    if constexpr (Two) dot_accumulate<R, C, Sub2>(acc, s2);
#pragma GCC unroll 8
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 4
      for (index j = 0; j < C; ++j) {
        T& x = c[i * rsc + j * csc];
        x = beta == T(0) ? alpha * V::sum(acc[i][j]) : alpha * V::sum(acc[i][j]) + beta * x;
      }
    }
  }

  /// Run-time rows and columns to the fully unrolled instantiation.
  template <bool RA1, bool RA2, bool Two, bool Sub2>
  static void dispatch(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                       index csc, T alpha, T beta) noexcept {
    if (cols > lanes) {
      switch (rows) {
        case 6: return block<6, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
        case 5: return block<5, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
        case 4: return block<4, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
        case 3: return block<3, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
        case 2: return block<2, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
        default: return block<1, 2, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      }
    }
    switch (rows) {
      case 12: return block<12, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 11: return block<11, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 10: return block<10, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 9: return block<9, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 8: return block<8, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 7: return block<7, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 6: return block<6, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 5: return block<5, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 4: return block<4, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 3: return block<3, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      case 2: return block<2, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
      default: return block<1, 1, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
    }
  }

  template <bool Subtract>
  static LOWRANK_ALWAYS_INLINE reg update(reg a, reg b, reg acc) noexcept {
    return Subtract ? V::fnma(a, b, acc) : V::fma(a, b, acc);
  }

  /// One k-step: the NV vectors of op(B)'s row at b, the R broadcasts of op(A)'s column through `at`.
  template <index R, index NV, bool Subtract, bool Masked, class At>
  static LOWRANK_ALWAYS_INLINE void step(reg (&acc)[R][NV], const T* b, mask m, At&& at) noexcept {
    reg bv[NV];
#pragma GCC unroll 2
    for (index j = 0; j < NV; ++j) bv[j] = (Masked && j == NV - 1) ? V::load(b + j * lanes, m) : V::load(b + j * lanes);
#pragma GCC unroll 12
    for (index i = 0; i < R; ++i) {
      const reg ai = V::broadcast(at(i));
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) acc[i][j] = update<Subtract>(ai, bv[j], acc[i][j]);
    }
  }

  /// The k loop of one product for R rows x NV vectors; Masked: the last column vector is partial
  /// (loaded under `m`, so nothing past the row's `cols` values is read). One step per pass: unrolled
  /// further, GCC runs out of the 16 registers and spills accumulators (measured 5-20% slower).
  template <index R, index NV, bool RowsAdjacent, bool Subtract, bool Masked>
  static LOWRANK_ALWAYS_INLINE void accumulate(reg (&acc)[R][NV], const segment<T>& s, mask m) noexcept {
    const index k = s.k, as = s.as, rsb = s.rsb;
    const T* LOWRANK_RESTRICT b = s.b;
    if constexpr (RowsAdjacent) {
      const T* LOWRANK_RESTRICT a = s.a;
      // Never unrolled: with k known at compile time (gemm_small) GCC would otherwise peel the whole
      // loop, tens of kilobytes of code per product for no measurable gain.
#pragma GCC unroll 1
      for (index p = 0; p < k; ++p) {
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return a + i; });
        a += as;
        b += rsb;
      }
    } else {
      // Rows `as` apart: one pointer per three rows, each serving rows r, r + 1 and r + 2 through the
      // scaled-index addressing of x86 (base + as * 4 or * 8 bytes): 12 rows need 4 registers, not 12.
      const T* a0 = s.a;
      const T* a3 = s.a + (R > 3 ? 3 * as : 0);
      const T* a6 = s.a + (R > 6 ? 6 * as : 0);
      const T* a9 = s.a + (R > 9 ? 9 * as : 0);
      auto row = [&](index i, index q) {
        const T* base = i < 3 ? a0 : i < 6 ? a3 : i < 9 ? a6 : a9;
        return base + (i % 3) * as + q;
      };
#pragma GCC unroll 1
      for (index p = 0; p < k; ++p) {
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return row(i, 0); });
        ++a0;
        ++a3;
        ++a6;
        ++a9;
        b += rsb;
      }
    }
  }

  // Kept out of line: inlined into a caller with its own live values, the 12 accumulators spill.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2>
  __attribute__((noinline)) static void block(index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                                              index csc, T alpha, T beta) noexcept {
    fixed<R, NV, RA1, RA2, Two, Sub2>(cols, s1, s2, c, rsc, csc, alpha, beta);
  }

 public:
  /// One R x (NV vectors) tile, inlined where it is called: for products whose shape is known at
  /// compile time and small (blocking.hpp, gemm_small), where the calls and run-time dispatch of the
  /// general path would cost more than the arithmetic. Arguments as `tile`/`tile2`, cols <= NV * lanes.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2>
  static LOWRANK_ALWAYS_INLINE void fixed(index cols, const segment<T>& s1, const segment<T>& s2,
                                          T* LOWRANK_RESTRICT c, index rsc, index csc, T alpha, T beta) noexcept {
    reg acc[R][NV];
#pragma GCC unroll 12
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) acc[i][j] = V::zero();
    }
    const index tail = cols - (NV - 1) * lanes;  // live lanes of the last column vector, 1..lanes
    const mask m = V::first(tail);
    if (tail == lanes) {
      accumulate<R, NV, RA1, false, false>(acc, s1, m);
      if constexpr (Two) accumulate<R, NV, RA2, Sub2, false>(acc, s2, m);
    } else {
      accumulate<R, NV, RA1, false, true>(acc, s1, m);
      if constexpr (Two) accumulate<R, NV, RA2, Sub2, true>(acc, s2, m);
    }
    const reg va = V::splat(alpha);
    if (csc == 1) {
      if (beta == T(0)) {  // C is written, never read
#pragma GCC unroll 12
        for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
          for (index j = 0; j < NV; ++j) {
            T* cij = c + i * rsc + j * lanes;
            if (j < NV - 1 || tail == lanes) V::store(cij, V::mul(va, acc[i][j]));
            else V::store(cij, V::mul(va, acc[i][j]), tail);
          }
        }
        return;
      }
      const reg vb = V::splat(beta);
#pragma GCC unroll 12
      for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
        for (index j = 0; j < NV; ++j) {
          T* cij = c + i * rsc + j * lanes;
          if (j < NV - 1 || tail == lanes) V::store(cij, V::fma(va, acc[i][j], V::mul(vb, V::load(cij))));
          else V::store(cij, V::fma(va, acc[i][j], V::mul(vb, V::load(cij, m))), tail);
        }
      }
      return;
    }
    // C with strided columns (a transposed result): through a local tile, element by element.
    alignas(32) T out[R][NV * lanes];
#pragma GCC unroll 12
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) V::store(&out[i][j * lanes], V::mul(va, acc[i][j]));
    }
    for (index i = 0; i < R; ++i) {
      for (index j = 0; j < cols; ++j) {
        T& x = c[i * rsc + j * csc];
        x = beta == T(0) ? out[i][j] : out[i][j] + beta * x;
      }
    }
  }
};

}  // namespace lowrank::kernels::avx2
