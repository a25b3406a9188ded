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
template <class T, index MaxM, index MaxN, index MaxK,
          class Kernel = kernels::native_microkernel<T>>
class GemmWorkspace {
  using blocks = kernels::block_sizes<Kernel>;

 public:
  using kernel = Kernel;
  static constexpr index mc = detail::smaller(blocks::mc, detail::round_up(MaxM, Kernel::mr));
  static constexpr index kc = detail::smaller(blocks::kc, MaxK);
  static constexpr index nc = detail::smaller(blocks::nc, detail::round_up(MaxN, Kernel::nr));

  kernels::packing_buffers<T> buffers() noexcept { return {a_, b_, mc, kc, nc}; }

 private:
  alignas(storage_alignment) T a_[mc * kc];
  alignas(storage_alignment) T b_[kc * nc];
};

/// C = alpha op(A) op(B) + beta C. `a`, `b`, `c` are Matrix objects or views (use
/// `transpose(...)` for op = transpose). C must not overlap A or B. beta == 0 ignores C's contents.
template <class MA, class MB, class MC, class Workspace>
void gemm(scalar_of<MC> alpha, const MA& a, const MB& b, scalar_of<MC> beta, MC&& c,
          Workspace& workspace) noexcept {
  using VA = view_of<const MA>;
  using VB = view_of<const MB>;
  using VC = view_of<MC>;
  using T = typename VC::value_type;
  static_assert(!std::is_const_v<typename VC::element_type>, "lowrank::gemm: C must be writable");
  static_assert(std::is_same_v<typename VA::value_type, T> && std::is_same_v<typename VB::value_type, T>,
                "lowrank::gemm: A, B and C must have the same scalar type");
  static_assert(VA::rows == VC::rows, "lowrank::gemm: op(A) and C have different numbers of rows");
  static_assert(VB::cols == VC::cols, "lowrank::gemm: op(B) and C have different numbers of columns");
  static_assert(VA::cols == VB::rows, "lowrank::gemm: the inner dimensions of op(A) and op(B) differ");
  static_assert(std::is_same_v<typename Workspace::kernel::value_type, T>,
                "lowrank::gemm: the workspace was declared for another scalar type");
  const VA va = as_view(a);
  const VB vb = as_view(b);
  const VC vc = as_view(c);
  kernels::gemm_blocked<typename Workspace::kernel>(
      VC::rows, VC::cols, VA::cols, alpha, kernels::strided_operand<T>{va.data(), va.row_stride(), va.col_stride()},
      kernels::strided_operand<T>{vb.data(), vb.row_stride(), vb.col_stride()}, beta, vc.data(),
      vc.row_stride(), vc.col_stride(), workspace.buffers());
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
