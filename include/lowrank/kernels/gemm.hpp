// The public matrix product on fixed-size matrices and views: C = alpha op(A) op(B) + beta C.
//
// op() is expressed by passing a transposed view (`lowrank::transpose(A)`), so all four op
// combinations are one function. Dimensions are checked at compile time. The packing buffers
// live in a GemmWorkspace whose size is a compile-time constant: no heap, ever.
#pragma once

#include <type_traits>

#include "../matrix.hpp"
#include "blocking.hpp"
#include "target.hpp"

#ifndef LOWRANK_STACK_WORKSPACE_LIMIT
/// Largest packing workspace (bytes) that `gemm` without a workspace argument puts on the stack.
#define LOWRANK_STACK_WORKSPACE_LIMIT 16384
#endif

namespace lowrank {

namespace detail {
constexpr index round_up(index x, index multiple) { return (x + multiple - 1) / multiple * multiple; }
constexpr index smaller(index x, index y) { return x < y ? x : y; }
}  // namespace detail

/// Packing buffers for products of at most MaxM x MaxN results over depth at most MaxK, with micro-
/// kernel Kernel. Capped by both the problem and the target's cache blocks, so small problems
/// cost little RAM. Products of any size still work with any workspace (they just block more).
/// A kernel with the direct contract reads op(A) in place and packs it only when it has no unit
/// stride (never in the solvers), so its A buffer is a single micro-panel.
template <class T, index MaxM, index MaxN, index MaxK,
          class Kernel = kernels::native_microkernel<T>>
class GemmWorkspace {
  using blocks = kernels::block_sizes<Kernel>;

 public:
  using kernel = Kernel;  ///< the micro-kernel the buffers are sized for
  /// Rows of the packed A block: mr for a direct kernel, else the cache block capped by MaxM.
  static constexpr index mc = kernels::has_direct_tile<Kernel>::value
                                  ? Kernel::mr
                                  : detail::smaller(blocks::mc, detail::round_up(MaxM, Kernel::mr));
  static constexpr index kc = detail::smaller(blocks::kc, MaxK);  ///< depth of the packed blocks, capped by MaxK
  /// Columns of the packed B block: the cache block capped by MaxN rounded up to a multiple of nr.
  static constexpr index nc = detail::smaller(blocks::nc, detail::round_up(MaxN, Kernel::nr));

  /// The buffers and block sizes, as the blocked product takes them (kc_direct: the target's).
  kernels::packing_buffers<T> buffers() noexcept { return {a_, b_, mc, kc, nc, kernels::native_kc_direct}; }

 private:
  alignas(storage_alignment) T a_[mc * kc];
  alignas(storage_alignment) T b_[kc * nc];
};

namespace detail {
/// The compile-time checks of a product C = op(A) op(B) with `Workspace`, one static_assert each.
template <class VA, class VB, class VC, class Workspace>
constexpr void check_product() {
  using T = typename VC::value_type;
  static_assert(!std::is_const_v<typename VC::element_type>, "lowrank::gemm: C must be writable");
  static_assert(std::is_same_v<typename VA::value_type, T> && std::is_same_v<typename VB::value_type, T>,
                "lowrank::gemm: A, B and C must have the same scalar type");
  static_assert(VA::rows == VC::rows, "lowrank::gemm: op(A) and C have different numbers of rows");
  static_assert(VB::cols == VC::cols, "lowrank::gemm: op(B) and C have different numbers of columns");
  static_assert(VA::cols == VB::rows, "lowrank::gemm: the inner dimensions of op(A) and op(B) differ");
  static_assert(std::is_same_v<typename Workspace::kernel::value_type, T>,
                "lowrank::gemm: the workspace was declared for another scalar type");
}

/// A view as the blocked framework reads an operand (its values and strides).
template <class V>
kernels::strided_operand<typename V::value_type> operand_of(V v) noexcept {
  return {v.data(), v.row_stride(), v.col_stride()};
}
}  // namespace detail

/// C = alpha op(A) op(B) + beta C through the blocked product alone, never the compile-time
/// small-product layouts: for products that are a small share of their caller's time, where those
/// layouts would only add code (and compile time). Arguments as for gemm.
template <class MA, class MB, class MC, class Workspace>
void gemm_blocked(scalar_of<MC> alpha, const MA& a, const MB& b, scalar_of<MC> beta, MC&& c,
                  Workspace& workspace) noexcept {
  using VA = view_of<const MA>;
  using VB = view_of<const MB>;
  using VC = view_of<MC>;
  detail::check_product<VA, VB, VC, Workspace>();
  const VA va = as_view(a);
  const VB vb = as_view(b);
  const VC vc = as_view(c);
  kernels::gemm_blocked<typename Workspace::kernel>(
      VC::rows, VC::cols, VA::cols, alpha, detail::operand_of(va), detail::operand_of(vb), beta, vc.data(),
      vc.row_stride(), vc.col_stride(), workspace.buffers());
}

/// C = alpha op(A) op(B) + beta C. `a`, `b`, `c` are Matrix objects or views (use
/// `transpose(...)` for op = transpose). C must not overlap A or B. beta == 0 ignores C's contents.
template <class MA, class MB, class MC, class Workspace>
void gemm(scalar_of<MC> alpha, const MA& a, const MB& b, scalar_of<MC> beta, MC&& c,
          Workspace& workspace) noexcept {
  using VA = view_of<const MA>;
  using VB = view_of<const MB>;
  using VC = view_of<MC>;
  detail::check_product<VA, VB, VC, Workspace>();
  using K = typename Workspace::kernel;
  if constexpr (kernels::small_product<K, VC::rows, VC::cols, VA::cols>) {
    const VA va = as_view(a);
    const VB vb = as_view(b);
    const VC vc = as_view(c);
    if (kernels::gemm_small<K, VC::rows, VC::cols, VA::cols>(
            alpha, detail::operand_of(va), detail::operand_of(vb), beta, vc.data(), vc.row_stride(),
            vc.col_stride())) {
      return;
    }
  }
  gemm_blocked(alpha, a, b, beta, static_cast<MC&&>(c), workspace);
}

/// C = alpha (op(A1) op(B1) + op(A2) op(B2)) + beta C, or with the second product subtracted
/// (`subtract`): a gradient such as X (Y^T Y) - A Y, computed in one pass over C where the kernel can
/// (see kernels::gemm_sum_blocked), else as two products. C must not overlap the operands.
template <class MA1, class MB1, class MA2, class MB2, class MC, class Workspace>
void gemm_sum(scalar_of<MC> alpha, const MA1& a1, const MB1& b1, bool subtract, const MA2& a2, const MB2& b2,
              scalar_of<MC> beta, MC&& c, Workspace& workspace) noexcept {
  using VA1 = view_of<const MA1>;
  using VB1 = view_of<const MB1>;
  using VA2 = view_of<const MA2>;
  using VB2 = view_of<const MB2>;
  using VC = view_of<MC>;
  using T = typename VC::value_type;
  static_assert(!std::is_const_v<typename VC::element_type>, "lowrank::gemm_sum: C must be writable");
  static_assert(std::is_same_v<typename VA1::value_type, T> && std::is_same_v<typename VB1::value_type, T> &&
                    std::is_same_v<typename VA2::value_type, T> && std::is_same_v<typename VB2::value_type, T>,
                "lowrank::gemm_sum: every operand must have C's scalar type");
  static_assert(VA1::rows == VC::rows && VA2::rows == VC::rows,
                "lowrank::gemm_sum: op(A1), op(A2) and C have different numbers of rows");
  static_assert(VB1::cols == VC::cols && VB2::cols == VC::cols,
                "lowrank::gemm_sum: op(B1), op(B2) and C have different numbers of columns");
  static_assert(VA1::cols == VB1::rows && VA2::cols == VB2::rows,
                "lowrank::gemm_sum: the inner dimensions of a product differ");
  static_assert(std::is_same_v<typename Workspace::kernel::value_type, T>,
                "lowrank::gemm_sum: the workspace was declared for another scalar type");
  const VA1 va1 = as_view(a1);
  const VB1 vb1 = as_view(b1);
  const VA2 va2 = as_view(a2);
  const VB2 vb2 = as_view(b2);
  const VC vc = as_view(c);
  using K = typename Workspace::kernel;
  if constexpr (kernels::small_product<K, VC::rows, VC::cols, VA1::cols, VA2::cols>) {
    if (kernels::gemm_sum_small<K, VC::rows, VC::cols, VA1::cols, VA2::cols>(
            alpha, detail::operand_of(va1), detail::operand_of(vb1), subtract, detail::operand_of(va2),
            detail::operand_of(vb2), beta, vc.data(), vc.row_stride(), vc.col_stride())) {
      return;
    }
    // Not fusable on the compile-time path (a sum, a transposed first operand, or A^T X with d not a
    // multiple of the vector width, which is better transposed): two small products, each still on it.
    gemm(alpha, a1, b1, beta, c, workspace);
    gemm(subtract ? -alpha : alpha, a2, b2, scalar_of<MC>(1), c, workspace);
    return;
  }
  kernels::gemm_sum_blocked<K>(
      VC::rows, VC::cols, alpha, VA1::cols, detail::operand_of(va1), detail::operand_of(vb1), subtract, VA2::cols,
      detail::operand_of(va2), detail::operand_of(vb2), beta, vc.data(), vc.row_stride(), vc.col_stride(),
      workspace.buffers());
}

/// The same, with a packing workspace on the stack: for small products only (the workspace must be
/// at most LOWRANK_STACK_WORKSPACE_LIMIT bytes; pass a static GemmWorkspace for larger ones).
template <class MA, class MB, class MC>
void gemm(scalar_of<MC> alpha, const MA& a, const MB& b, scalar_of<MC> beta, MC&& c) noexcept {
  using VA = view_of<const MA>;
  using VC = view_of<MC>;
  using Workspace = GemmWorkspace<typename VC::value_type, VC::rows, VC::cols, VA::cols>;
  static_assert(sizeof(Workspace) <= LOWRANK_STACK_WORKSPACE_LIMIT,
                "lowrank::gemm: this product needs a packing workspace too big for the stack; "
                "declare a static lowrank::GemmWorkspace and pass it as the last argument");
  Workspace workspace;
  gemm(alpha, a, b, beta, static_cast<MC&&>(c), workspace);
}

}  // namespace lowrank
