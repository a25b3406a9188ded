// The blocking framework, written once for every ISA: it cuts C = alpha op(A) op(B) + beta C into
// blocks and hands register tiles to the micro-kernel K. Dimensions are run-time values here so that
// one instantiation per kernel and scalar type serves every matrix size (flash is scarce on a target).
//
// Two drivers, chosen by what the micro-kernel offers (contract.hpp states both contracts):
// - gemm_direct (kernels with the direct contract: every kernel of this library): operands are read where
//   they are, through their strides. This is what the factorization's products want: A (m x n) is
//   large and used once per product, so copying it (O(mn) per product, as much memory traffic as the
//   product itself when d is small) is the one thing not to do; the factors are n x d with rows of
//   d contiguous values, which a kernel can load as they are. Only an operand with no unit stride,
//   or a wide op(B) that many row tiles re-read, is packed.
// - gemm_packed (kernels with the packed contract only: none here, kept for an ISA that brings only a
//   packed kernel): BLIS's five loops, both operands packed into contiguous micro-panels.
// Around gemm_direct, for the kernels that offer them: the product computed transposed when that fills
// the vectors (direct::transpose_pays), the last d mod 8 columns by the dot kernel (gemm_dot), two
// products summed in one pass over C (gemm_sum_blocked: a gradient X G - A Y), and small products
// with their tiles laid out at compile time (gemm_small).
//
// Transposes cost nothing extra: op(A) and op(B) arrive as (pointer, row stride, column stride).
#pragma once

#include <type_traits>

#include "../config.hpp"
#include "contract.hpp"

namespace lowrank::kernels {

/// Packing buffers owned by the caller, and the block sizes they were sized for.
/// `a` holds mc x kc values (mc a multiple of MR), `b` holds kc x nc values (nc a multiple of NR).
/// `kc_direct` is the depth block for operands read in place (0: kc); it bounds how much of op(B) a
/// tile streams through the cache before the next tile re-reads it.
template <class T>
struct packing_buffers {
  T* a;                 ///< room for mc x kc values of packed op(A)
  T* b;                 ///< room for kc x nc values of packed op(B)
  index mc;             ///< rows of the A block, a multiple of MR
  index kc;             ///< depth of the packed blocks
  index nc;             ///< columns of the B block, a multiple of NR
  index kc_direct = 0;  ///< depth block for operands read in place; 0 (default): kc
};

/// A read-only strided operand as the framework sees it: element (i, j) is data[i * rs + j * cs].
template <class T>
struct strided_operand {
  const T* data;  ///< element (0, 0)
  index rs;       ///< row stride, in elements
  index cs;       ///< column stride, in elements
};

/// Copies the rows x depth block of op(A) into panels of MR rows, each stored as `depth` columns of
/// MR consecutive values (the micro-kernel's `a` layout); the last panel is padded with zeros.
template <index MR, class T>
void pack_a_panels(index rows, index depth, strided_operand<T> src, T* LOWRANK_RESTRICT dst) noexcept {
  for (index i0 = 0; i0 < rows; i0 += MR) {
    const index live = rows - i0 < MR ? rows - i0 : MR;
    const T* panel = src.data + i0 * src.rs;
    for (index p = 0; p < depth; ++p) {
      for (index i = 0; i < live; ++i) dst[i] = panel[i * src.rs + p * src.cs];
      for (index i = live; i < MR; ++i) dst[i] = T(0);
      dst += MR;
    }
  }
}

/// Copies the depth x cols block of op(B) into panels of NR columns, each stored as `depth` rows of
/// NR consecutive values (the micro-kernel's `b` layout); the last panel is padded with zeros.
template <index NR, class T>
void pack_b_panels(index depth, index cols, strided_operand<T> src, T* LOWRANK_RESTRICT dst) noexcept {
  for (index j0 = 0; j0 < cols; j0 += NR) {
    const index live = cols - j0 < NR ? cols - j0 : NR;
    const T* panel = src.data + j0 * src.cs;
    for (index p = 0; p < depth; ++p) {
      for (index j = 0; j < live; ++j) dst[j] = panel[p * src.rs + j * src.cs];
      for (index j = live; j < NR; ++j) dst[j] = T(0);
      dst += NR;
    }
  }
}

/// C = beta * C over an m x n strided block; beta == 0 writes zeros without reading C (so NaN in an
/// uninitialised C does not survive, as in BLAS).
template <class T>
void scale_block(index m, index n, T beta, T* c, index rsc, index csc) noexcept {
  for (index i = 0; i < m; ++i) {
    for (index j = 0; j < n; ++j) {
      T& x = c[i * rsc + j * csc];
      x = beta == T(0) ? T(0) : beta * x;
    }
  }
}

/// Whether K has the direct contract (contract.hpp).
template <class K, class = void>
struct has_direct_tile : std::false_type {};
template <class K>
struct has_direct_tile<K, std::void_t<decltype(K::rows_for(index{1}))>> : std::true_type {};

/// Whether K has the dot contract (register_tile.hpp): vectors along k, for the last few columns of a narrow C.
template <class K, class = void>
struct has_dot_tile : std::false_type {};
template <class K>
struct has_dot_tile<K, std::void_t<decltype(K::dot_rows(index{1}))>> : std::bool_constant<(K::dot_cols > 0)> {};

/// The BLIS loops with both operands packed: for micro-kernels with the packed contract only.
/// Edge tiles go through a local MR x NR tile, so K only ever sees full tiles.
template <class K, class T = typename K::value_type>
void gemm_packed(index m, index n, index k, T alpha, strided_operand<T> a, strided_operand<T> b, T beta, T* c,
                 index rsc, index csc, packing_buffers<T> buffers) noexcept {
  constexpr index MR = K::mr;
  constexpr index NR = K::nr;
  for (index jc = 0; jc < n; jc += buffers.nc) {
    const index nc = n - jc < buffers.nc ? n - jc : buffers.nc;
    for (index pc = 0; pc < k; pc += buffers.kc) {
      const index kc = k - pc < buffers.kc ? k - pc : buffers.kc;
      const T beta_block = pc == 0 ? beta : T(1);  // later depth blocks accumulate
      pack_b_panels<NR>(kc, nc, strided_operand<T>{b.data + pc * b.rs + jc * b.cs, b.rs, b.cs},
                        buffers.b);
      for (index ic = 0; ic < m; ic += buffers.mc) {
        const index mc = m - ic < buffers.mc ? m - ic : buffers.mc;
        pack_a_panels<MR>(mc, kc, strided_operand<T>{a.data + ic * a.rs + pc * a.cs, a.rs, a.cs},
                          buffers.a);
        for (index jr = 0; jr < nc; jr += NR) {
          const index cols = nc - jr < NR ? nc - jr : NR;
          const T* b_panel = buffers.b + jr * kc;
          for (index ir = 0; ir < mc; ir += MR) {
            const index rows = mc - ir < MR ? mc - ir : MR;
            const T* a_panel = buffers.a + ir * kc;
            T* c_tile = c + (ic + ir) * rsc + (jc + jr) * csc;
            if (rows == MR && cols == NR && csc == 1) {
              K::run(kc, a_panel, b_panel, c_tile, rsc, alpha, beta_block);
              continue;
            }
            alignas(storage_alignment) T tile[MR * NR];
            K::run(kc, a_panel, b_panel, tile, NR, alpha, T(0));
            for (index i = 0; i < rows; ++i) {
              for (index j = 0; j < cols; ++j) {
                T& x = c_tile[i * rsc + j * csc];
                x = beta_block == T(0) ? tile[i * NR + j] : tile[i * NR + j] + beta_block * x;
              }
            }
          }
        }
      }
    }
  }
}

namespace direct {

/// op(A) can be read in place: one of its strides is 1.
template <class T>
constexpr bool a_in_place(strided_operand<T> a) noexcept {
  return a.rs == 1 || a.cs == 1;
}

/// op(B) can be read in place: its rows are contiguous, and either short (the n x d factors and the
/// d x d Grams: at most 4 tiles wide) or re-read by few row tiles. A wide op(B) that many row tiles
/// re-read is packed: its rows would each fall in a different cache set and page.
template <class K, class T>
constexpr bool b_in_place(strided_operand<T> b, index m) noexcept {
  return b.cs == 1 && (b.rs <= 4 * K::nr || m <= 8 * K::mr);
}

template <class K>
using few_rows_apart_op = std::bool_constant<K::few_rows_apart>;

/// Whether K wants a tile of fewer rows than a vector of a rows-adjacent op(A) given with its rows
/// apart (contract.hpp's optional few_rows_apart).
template <class K>
inline constexpr bool few_rows_apart = contracts::flag_or_false<few_rows_apart_op, K>();

/// Fraction of the lanes of `lanes`-wide vectors that `x` values fill.
constexpr double lane_use(index x, index lanes) noexcept {
  return static_cast<double>(x) / static_cast<double>((x + lanes - 1) / lanes * lanes);
}

/// Whether C = op(A) op(B) is better computed as C^T = op(B)^T op(A)^T. The kernel vectorizes along
/// C's rows; when they are short and not whole vectors (A^T X with d = 10: a third of every vector
/// idle) while C's columns are long and op(A)'s columns contiguous, the transposed product does the
/// same arithmetic with whole vectors, and op(A)^T is still read in place, as the B operand.
template <class K, class T>
constexpr bool transpose_pays(index m, index n, strided_operand<T> a) noexcept {
  return K::lanes > 1 && a.rs == 1 && n < 2 * K::nr && lane_use(m, K::lanes) > lane_use(n, K::lanes);
}

/// How many of C's n columns go to the dot kernel: the n mod lanes columns that do not fill a vector,
/// when they are at most a quarter of one or fit one dot block (contract.hpp's dot_cols), op(A)'s rows
/// are contiguous (A Y with d = 10: columns 8 and 9), the product is deep enough for the horizontal
/// sums to be a small part of the work, and the transposed columns of op(B) fit in the B buffer.
/// 0: none (every column goes to the broadcast kernel, with a partial last vector).
template <class K, class T>
constexpr index dot_columns(index n, index k, strided_operand<T> a, const packing_buffers<T>& buffers) noexcept {
  if constexpr (has_dot_tile<K>::value) {
    const index rest = n % K::lanes;
    const index most = K::lanes / 4 > K::dot_cols ? K::lanes / 4 : K::dot_cols;
    const bool pays = rest != 0 && rest <= most && a.cs == 1 && k >= 4 * K::lanes &&
                      rest * buffers.kc <= buffers.kc * buffers.nc;
    return pays ? rest : 0;
  } else {
    return 0;
  }
}

/// Depth block for operands read in place.
template <class T>
constexpr index depth_block(const packing_buffers<T>& buffers) noexcept {
  return buffers.kc_direct != 0 ? buffers.kc_direct : buffers.kc;
}

/// One rows x cols tile of C through K, for op(A) read in place (a.rs == 1 or a.cs == 1).
template <class K, class T>
LOWRANK_ALWAYS_INLINE void tile(index rows, index cols, strided_operand<T> a, const T* b, index rsb, index k, T* c,
                                index rsc, index csc, T alpha, T beta) noexcept {
  if (a.rs == 1) {
    K::template tile<true>(rows, cols, segment<T>{a.data, a.cs, b, rsb, k}, c, rsc, csc, alpha, beta);
  } else {
    K::template tile<false>(rows, cols, segment<T>{a.data, a.rs, b, rsb, k}, c, rsc, csc, alpha, beta);
  }
}

/// The same tile with op(A)'s rows (adjacent in a) copied apart into `apart` first, unless the rows
/// from `first` are already there (`copied`): once per depth block, for every column tile. Out of
/// line, so that the loop around the other tiles stays as it was.
template <class K, class T>
__attribute__((noinline)) void tile_rows_apart(index rows, index cols, strided_operand<T> a, index first,
                                               index& copied, T* apart, const T* b, index rsb, index k, T* c,
                                               index rsc, index csc, T alpha, T beta) noexcept {
  if (copied != first) {
    for (index i = 0; i < rows; ++i)
      for (index p = 0; p < k; ++p) apart[i * k + p] = a.data[i + p * a.cs];
    copied = first;
  }
  K::template tile<false>(rows, cols, segment<T>{apart, k, b, rsb, k}, c, rsc, csc, alpha, beta);
}

}  // namespace direct

/// The loops for a micro-kernel with the direct contract (see the top of this file).
template <class K, class T = typename K::value_type>
void gemm_direct(index m, index n, index k, T alpha, strided_operand<T> a, strided_operand<T> b, T beta, T* c,
                 index rsc, index csc, packing_buffers<T> buffers) noexcept {
  constexpr index MR = K::mr;
  constexpr index NR = K::nr;
  const bool pack_a = !direct::a_in_place(a);
  const bool pack_b = !direct::b_in_place<K>(b, m);
  const index ncb = pack_b ? buffers.nc : n;
  const index kcb = pack_a || pack_b ? buffers.kc : direct::depth_block(buffers);
  const index mcb = pack_a ? buffers.mc : m;
  // Rows-adjacent op(A) read in place, whose last row tile K wants apart (copied into the A buffer).
  [[maybe_unused]] const bool rows_apart = direct::few_rows_apart<K> && !pack_a && a.rs == 1 && a.cs != 1;
  for (index jc = 0; jc < n; jc += ncb) {
    const index nc = n - jc < ncb ? n - jc : ncb;
    for (index pc = 0; pc < k; pc += kcb) {
      const index kc = k - pc < kcb ? k - pc : kcb;
      const T beta_block = pc == 0 ? beta : T(1);  // later depth blocks accumulate
      if (pack_b) {
        pack_b_panels<NR>(kc, nc, strided_operand<T>{b.data + pc * b.rs + jc * b.cs, b.rs, b.cs}, buffers.b);
      }
      for (index ic = 0; ic < m; ic += mcb) {
        const index mc = m - ic < mcb ? m - ic : mcb;
        if (pack_a) {
          pack_a_panels<MR>(mc, kc, strided_operand<T>{a.data + ic * a.rs + pc * a.cs, a.rs, a.cs}, buffers.a);
        }
        [[maybe_unused]] index copied = mc;  // first row of the tile held apart in buffers.a; mc: none
        for (index jr = 0; jr < nc; jr += NR) {
          const index cols = nc - jr < NR ? nc - jr : NR;
          const T* b_tile = pack_b ? buffers.b + jr * kc : b.data + pc * b.rs + (jc + jr);
          const index rsb = pack_b ? NR : b.rs;
          const index height = pack_a ? MR : K::rows_for(cols);
          for (index ir = 0; ir < mc; ir += height) {
            const index rows = mc - ir < height ? mc - ir : height;
            T* c_tile = c + (ic + ir) * rsc + (jc + jr) * csc;
            const strided_operand<T> a_tile =
                pack_a ? strided_operand<T>{buffers.a + ir * kc, 1, MR}
                       : strided_operand<T>{a.data + (ic + ir) * a.rs + pc * a.cs, a.rs, a.cs};
            if constexpr (direct::few_rows_apart<K>) {
              if (rows_apart && rows < K::lanes && rows * kc <= buffers.mc * buffers.kc) {
                direct::tile_rows_apart<K>(rows, cols, a_tile, ir, copied, buffers.a, b_tile, rsb, kc, c_tile, rsc,
                                           csc, alpha, beta_block);
                continue;
              }
            }
            direct::tile<K>(rows, cols, a_tile, b_tile, rsb, kc, c_tile, rsc, csc, alpha, beta_block);
          }
        }
      }
    }
  }
}

/// The last n columns of a product through K's dot kernel (see direct::dot_columns): the columns of
/// op(B) are transposed into the B buffer (n x kc, a few hundred values), op(A) is read in place. With
/// a second product (Two), both are accumulated in the same registers: its transposed columns follow
/// the first's in the buffer, and k1 + k2 must fit one depth block.
template <class K, bool Two, class T = typename K::value_type>
void gemm_dot(index m, index n, T alpha, index k1, strided_operand<T> a1, strided_operand<T> b1, bool subtract,
              index k2, strided_operand<T> a2, strided_operand<T> b2, T beta, T* c, index rsc, index csc,
              packing_buffers<T> buffers) noexcept {
  const index kcb = Two ? k1 + k2 : buffers.kc;
  for (index pc = 0; pc < k1; pc += kcb) {
    const index kc = k1 - pc < kcb ? k1 - pc : kcb;
    const T beta_block = pc == 0 ? beta : T(1);
    T* bt1 = buffers.b;
    T* bt2 = buffers.b + n * kc;
    for (index j = 0; j < n; ++j) {
      for (index p = 0; p < kc; ++p) bt1[j * kc + p] = b1.data[(pc + p) * b1.rs + j * b1.cs];
      if constexpr (Two) {
        for (index p = 0; p < k2; ++p) bt2[j * k2 + p] = b2.data[p * b2.rs + j * b2.cs];
      }
    }
    for (index j0 = 0; j0 < n; j0 += K::dot_cols) {
      const index cols = n - j0 < K::dot_cols ? n - j0 : K::dot_cols;
      const index height = K::dot_rows(cols);
      for (index i0 = 0; i0 < m; i0 += height) {
        const index rows = m - i0 < height ? m - i0 : height;
        const segment<T> s1{a1.data + i0 * a1.rs + pc, a1.rs, bt1 + j0 * kc, kc, kc};
        T* c_tile = c + i0 * rsc + j0 * csc;
        if constexpr (Two) {
          const segment<T> s2{a2.data + i0 * a2.rs, a2.rs, bt2 + j0 * k2, k2, k2};
          if (subtract) {  // the gradients' case, fused; a sum (rare) as two passes
            K::template dot<true, true>(rows, cols, s1, s2, c_tile, rsc, csc, alpha, beta_block);
          } else {
            K::template dot<false, false>(rows, cols, s1, s1, c_tile, rsc, csc, alpha, beta_block);
            K::template dot<false, false>(rows, cols, s2, s2, c_tile, rsc, csc, alpha, T(1));
          }
        } else {
          K::template dot<false, false>(rows, cols, s1, s1, c_tile, rsc, csc, alpha, beta_block);
        }
      }
    }
  }
}

/// C (m x n) = alpha op(A) (m x k) op(B) (k x n) + beta C, with micro-kernel K.
/// C must not overlap A or B.
template <class K, class T = typename K::value_type>
void gemm_blocked(index m, index n, index k, T alpha, strided_operand<T> a, strided_operand<T> b,
                  T beta, T* c, index rsc, index csc, packing_buffers<T> buffers) noexcept {
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == T(0)) {
    scale_block(m, n, beta, c, rsc, csc);
    return;
  }
  if constexpr (has_direct_tile<K>::value) {
    if (direct::transpose_pays<K>(m, n, a)) {
      gemm_direct<K>(n, m, k, alpha, strided_operand<T>{b.data, b.cs, b.rs}, strided_operand<T>{a.data, a.cs, a.rs},
                     beta, c, csc, rsc, buffers);
      return;
    }
    const index rest = direct::dot_columns<K>(n, k, a, buffers);
    if (n > rest) gemm_direct<K>(m, n - rest, k, alpha, a, b, beta, c, rsc, csc, buffers);
    if constexpr (has_dot_tile<K>::value) {
      if (rest > 0) {
        const strided_operand<T> b_rest{b.data + (n - rest) * b.cs, b.rs, b.cs};
        gemm_dot<K, false>(m, rest, alpha, k, a, b_rest, false, 0, a, b_rest, beta, c + (n - rest) * csc, rsc, csc,
                           buffers);
      }
    }
  } else {
    gemm_packed<K>(m, n, k, alpha, a, b, beta, c, rsc, csc, buffers);
  }
}

/// Whether K has inlinable fixed-size tiles (register_tile.hpp `fixed`) and wants them used.
template <class K, class = void>
struct has_fixed_tile : std::false_type {};
template <class K>
struct has_fixed_tile<K, std::void_t<decltype(&K::template fixed<1, 1, true, true, false, false>)>>
    : std::bool_constant<K::small_layouts> {};

/// Products whose shape is known at compile time and small: C at most 512 entries, depth at most 64
/// per product (every product of an AGD iteration up to 64 x 64 x 8). For these, the loops, calls and
/// run-time dispatch of gemm_blocked cost as much as the arithmetic (an AGD iteration at 16 x 16 x 4
/// is some 200 vector FMAs), so gemm_small lays the tiles out at compile time and inlines them. Larger
/// C (32 x 32: 12 inlined tiles) measured slower than the general path: the inlined tiles spill.
template <class K, index M, index N, index K1, index K2 = 0>
inline constexpr bool small_product = has_fixed_tile<K>::value && M * N <= 512 && K1 <= 64 && K2 <= 64;

namespace small {

/// Tiles (I0, J0) onwards of C (M x N), each through K::fixed with its shape as template arguments.
template <class K, index M, index N, index I0, index J0, bool RA1, bool RA2, bool Two, bool Sub2, class T>
LOWRANK_ALWAYS_INLINE void tiles(const segment<T>& s1, const segment<T>& s2, T* c, index rsc, index csc, T alpha,
                                 T beta) noexcept {
  if constexpr (J0 < N) {
    constexpr index cols = N - J0 < K::nr ? N - J0 : K::nr;
    constexpr index height = K::rows_for(cols);
    if constexpr (I0 < M) {
      constexpr index rows = M - I0 < height ? M - I0 : height;
      const segment<T> t1{s1.a + I0 * (RA1 ? 1 : s1.as), s1.as, s1.b + J0, s1.rsb, s1.k};
      const segment<T> t2{s2.a + I0 * (RA2 ? 1 : s2.as), s2.as, s2.b + J0, s2.rsb, s2.k};
      K::template fixed<rows, (cols > K::lanes ? 2 : 1), RA1, RA2, Two, Sub2>(cols, t1, t2, c + I0 * rsc + J0 * csc,
                                                                              rsc, csc, alpha, beta);
      tiles<K, M, N, I0 + rows, J0, RA1, RA2, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
    } else {
      tiles<K, M, N, 0, J0 + cols, RA1, RA2, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
    }
  }
}

/// The segment for op(A) (either unit stride) and op(B) (rows contiguous), depth k.
template <class T>
constexpr segment<T> of(strided_operand<T> a, strided_operand<T> b, index k) noexcept {
  return {a.data, a.rs == 1 ? a.cs : a.rs, b.data, b.rs, k};
}

/// The tiles for the run-time layout of op(A) (rows adjacent or columns adjacent). Every layout is a
/// fully unrolled copy of the whole product, so only those the solvers produce get one: a single
/// product either way, a sum with op(A1) row-major (X or Y) and op(A2) either way (A or A^T).
template <class K, index M, index N, bool Two, bool Sub2, class T>
LOWRANK_ALWAYS_INLINE void dispatch(strided_operand<T> a1, const segment<T>& s1, strided_operand<T> a2,
                                    const segment<T>& s2, T* c, index rsc, index csc, T alpha, T beta) noexcept {
  if constexpr (Two) {
    if (a2.rs == 1) tiles<K, M, N, 0, 0, false, true, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
    else tiles<K, M, N, 0, 0, false, false, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
  } else {
    if (a1.rs == 1) tiles<K, M, N, 0, 0, true, true, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
    else tiles<K, M, N, 0, 0, false, false, Two, Sub2>(s1, s2, c, rsc, csc, alpha, beta);
  }
}

}  // namespace small

/// C (M x N) = alpha op(A) op(B) + beta C for a small_product, with the operands in place. Returns
/// false, having done nothing, when the operands need packing (then the caller takes gemm_blocked).
/// The orientation (C or C^T, see direct::transpose_pays) is chosen as in gemm_blocked.
template <class K, index M, index N, index Kd, class T>
LOWRANK_ALWAYS_INLINE bool gemm_small(T alpha, strided_operand<T> a, strided_operand<T> b, T beta, T* c, index rsc,
                                      index csc) noexcept {
  if (alpha == T(0) || !direct::a_in_place(a)) return false;
  if (direct::transpose_pays<K>(M, N, a)) {
    const strided_operand<T> at{b.data, b.cs, b.rs}, bt{a.data, a.cs, a.rs};
    if (!direct::a_in_place(at) || bt.cs != 1) return false;
    const segment<T> s = small::of(at, bt, Kd);
    small::dispatch<K, N, M, false, false>(at, s, at, s, c, csc, rsc, alpha, beta);
    return true;
  }
  if (b.cs != 1) return false;
  const segment<T> s = small::of(a, b, Kd);
  small::dispatch<K, M, N, false, false>(a, s, a, s, c, rsc, csc, alpha, beta);
  return true;
}

/// The same for a gradient-shaped difference op(A1) op(B1) - op(A2) op(B2) (gemm_sum_blocked), op(A1)
/// row-major, everything in place and in C's orientation. Anything else returns false (the caller
/// then runs two small products): see small::dispatch for why the layouts are limited.
template <class K, index M, index N, index K1, index K2, class T>
LOWRANK_ALWAYS_INLINE bool gemm_sum_small(T alpha, strided_operand<T> a1, strided_operand<T> b1, bool subtract,
                                          strided_operand<T> a2, strided_operand<T> b2, T beta, T* c, index rsc,
                                          index csc) noexcept {
  if (alpha == T(0) || !subtract || a1.cs != 1 || !direct::a_in_place(a2) || b1.cs != 1 || b2.cs != 1 ||
      direct::transpose_pays<K>(M, N, a1) || direct::transpose_pays<K>(M, N, a2)) {
    return false;
  }
  const segment<T> s1 = small::of(a1, b1, K1), s2 = small::of(a2, b2, K2);
  small::dispatch<K, M, N, true, true>(a1, s1, a2, s2, c, rsc, csc, alpha, beta);
  return true;
}

/// C (m x n) = alpha (op(A1) op(B1) + sign op(A2) op(B2)) + beta C, sign = +1 or -1, depths k1 and k2:
/// a gradient such as X (Y^T Y) - A Y in one pass over C. With a kernel that has `tile2` and operands
/// that can all be read in place, both products accumulate in the same registers, so C is written
/// once and no tile is started twice; otherwise it is two products.
template <class K, class T = typename K::value_type>
void gemm_sum_blocked(index m, index n, T alpha, index k1, strided_operand<T> a1, strided_operand<T> b1, bool subtract,
                      index k2, strided_operand<T> a2, strided_operand<T> b2, T beta, T* c, index rsc, index csc,
                      packing_buffers<T> buffers) noexcept {
  if constexpr (has_direct_tile<K>::value) {
    const bool fused = m != 0 && n != 0 && alpha != T(0) && k1 + k2 <= direct::depth_block(buffers) &&
                       direct::a_in_place(a1) && direct::a_in_place(a2) && direct::b_in_place<K>(b1, m) &&
                       direct::b_in_place<K>(b2, m) && !direct::transpose_pays<K>(m, n, a1) &&
                       !direct::transpose_pays<K>(m, n, a2);
    // The last n mod lanes columns through the dot kernel, when it pays for both products.
    const index rest = direct::dot_columns<K>(n, k1 + k2, a1, buffers) != 0 && a2.cs == 1 &&
                               (n % K::lanes) * (k1 + k2) <= buffers.kc * buffers.nc
                           ? n % K::lanes
                           : 0;
    if constexpr (has_dot_tile<K>::value) {
      if (fused && rest > 0) {
        gemm_dot<K, true>(m, rest, alpha, k1, a1, strided_operand<T>{b1.data + (n - rest) * b1.cs, b1.rs, b1.cs},
                          subtract, k2, a2, strided_operand<T>{b2.data + (n - rest) * b2.cs, b2.rs, b2.cs}, beta,
                          c + (n - rest) * csc, rsc, csc, buffers);
        n -= rest;
      }
    }
    if (fused) {
      for (index jr = 0; jr < n; jr += K::nr) {
        const index cols = n - jr < K::nr ? n - jr : K::nr;
        const index height = K::rows_for(cols);
        for (index ir = 0; ir < m; ir += height) {
          const index rows = m - ir < height ? m - ir : height;
          const bool adjacent1 = a1.rs == 1, adjacent2 = a2.rs == 1;
          const segment<T> s1{a1.data + ir * a1.rs, adjacent1 ? a1.cs : a1.rs, b1.data + jr, b1.rs, k1};
          const segment<T> s2{a2.data + ir * a2.rs, adjacent2 ? a2.cs : a2.rs, b2.data + jr, b2.rs, k2};
          T* c_tile = c + ir * rsc + jr * csc;
          // The solvers' combinations: X G - A Y (both rows contiguous) and Y G - A^T X.
          if (!adjacent1 && !adjacent2 && subtract) {
            K::template tile2<false, false, true>(rows, cols, s1, s2, c_tile, rsc, csc, alpha, beta);
          } else if (!adjacent1 && adjacent2 && subtract) {
            K::template tile2<false, true, true>(rows, cols, s1, s2, c_tile, rsc, csc, alpha, beta);
          } else {
            direct::tile<K>(rows, cols, strided_operand<T>{a1.data + ir * a1.rs, a1.rs, a1.cs}, b1.data + jr, b1.rs,
                            k1, c_tile, rsc, csc, alpha, beta);
            direct::tile<K>(rows, cols, strided_operand<T>{a2.data + ir * a2.rs, a2.rs, a2.cs}, b2.data + jr, b2.rs,
                            k2, c_tile, rsc, csc, subtract ? -alpha : alpha, T(1));
          }
        }
      }
      return;
    }
  }
  gemm_blocked<K>(m, n, k1, alpha, a1, b1, beta, c, rsc, csc, buffers);
  gemm_blocked<K>(m, n, k2, subtract ? -alpha : alpha, a2, b2, T(1), c, rsc, csc, buffers);
}

}  // namespace lowrank::kernels
