// The blocking framework (BLIS's five loops), written once for every ISA: it cuts C = alpha op(A)
// op(B) + beta C into cache blocks, packs each block of op(A) and op(B) into contiguous micro-panels,
// and hands MR x NR tiles to the micro-kernel K. Dimensions are run-time values here so that one
// instantiation per kernel and scalar type serves every matrix size (flash is scarce on a target).
//
// Transposes cost nothing extra: op(A) and op(B) arrive as (pointer, row stride, column stride) and
// the packing routines read through the strides.
#pragma once

#include "../config.hpp"

namespace lowrank::kernels {

/// Packing buffers owned by the caller, and the block sizes they were sized for.
/// `a` holds mc x kc values (mc a multiple of MR), `b` holds kc x nc values (nc a multiple of NR).
template <class T>
struct packing_buffers {
  T* a;
  T* b;
  index mc;
  index kc;
  index nc;
};

/// A read-only strided operand as the framework sees it: element (i, j) is data[i * rs + j * cs].
template <class T>
struct strided_operand {
  const T* data;
  index rs;
  index cs;
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

/// C (m x n) = alpha op(A) (m x k) op(B) (k x n) + beta C, with micro-kernel K.
/// C must not overlap A or B. Edge tiles go through a local MR x NR tile, so K only ever sees
/// full tiles.
template <class K, class T = typename K::value_type>
void gemm_blocked(index m, index n, index k, T alpha, strided_operand<T> a, strided_operand<T> b,
                  T beta, T* c, index rsc, index csc, packing_buffers<T> buffers) noexcept {
  constexpr index MR = K::mr;
  constexpr index NR = K::nr;
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == T(0)) {
    scale_block(m, n, beta, c, rsc, csc);
    return;
  }
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

}  // namespace lowrank::kernels
