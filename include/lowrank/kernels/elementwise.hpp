// Entry-wise operations on same-shaped matrices and views: the O(n d) glue between the products.
//
// Each has a fast path for the common case, both operands dense (rows contiguous and back to back, as
// every owned Matrix is): one flat loop over rows x cols values, which the compiler unrolls and, on a
// host, vectorizes. Other views take the element-by-element loop.
#pragma once

#include <type_traits>

#include "../matrix.hpp"
#include "target.hpp"

namespace lowrank {

namespace detail {
template <class VA, class VB>
constexpr void require_same_shape() {
  static_assert(VA::rows == VB::rows && VA::cols == VB::cols,
                "lowrank: the two matrices must have the same dimensions");
}

/// The view covers rows x cols consecutive values.
template <class V>
constexpr bool dense(const V& v) noexcept {
  return v.col_stride() == 1 && (V::rows == 1 || v.row_stride() == V::cols);
}

/// A sum of many terms of type T, accurate to about the rounding of one term: terms are added in T in
/// blocks (8 running sums, so that the block loop vectorizes), and the block sums are accumulated with
/// Neumaier's compensation, also in T. As accurate as summing the blocks in double, without double
/// arithmetic, which a single-precision FPU (Cortex-M4F) would emulate in software at some 60
/// instructions per addition.
template <class T>
class compensated_sum {
 public:
  void add(T x) noexcept {
    const T t = sum_ + x;
    // The low-order bits lost by t, from whichever of the two operands is larger.
    compensation_ += (sum_ >= x) == (sum_ >= -x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  double value() const noexcept { return static_cast<double>(sum_) + static_cast<double>(compensation_); }

 private:
  T sum_ = T(0);
  T compensation_ = T(0);
};

/// The terms per block of add_blocked: the block's sum is rounded in T, the blocks' sum compensated.
inline constexpr index sum_block = 64;

/// total += sum over i < count of f(i), with f(i) of type T: blocks of sum_block terms in 8 running
/// sums (the block loop vectorizes), each block added to the compensated total.
template <class T, class F>
void add_blocked(compensated_sum<T>& total, index count, F&& f) noexcept {
  constexpr index lanes = 8;
  constexpr index block = sum_block;
  index i = 0;
  for (; i + block <= count; i += block) {
    T part[lanes] = {};
    for (index j = 0; j < block; j += lanes) {
#pragma GCC unroll 8
      for (index l = 0; l < lanes; ++l) part[l] += f(i + j + l);
    }
    total.add(((part[0] + part[4]) + (part[2] + part[6])) + ((part[1] + part[5]) + (part[3] + part[7])));
  }
  T rest = T(0);
  for (; i < count; ++i) rest += f(i);
  total.add(rest);
}

/// sum over i < count of f(i), with f(i) of type T (add_blocked from zero).
template <class T, class F>
double blocked_sum(index count, F&& f) noexcept {
  compensated_sum<T> total;
  add_blocked(total, count, f);
  return total.value();
}

/// sum over i < count of a[i] b[i] (blocked_sum, or the micro-kernel's dot_run per block, which sums
/// in the same order): one function per scalar type, whatever the shapes of the matrices the runs
/// come from, so that a program with many shapes has it once.
template <class T>
double dense_inner(const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b, index count) noexcept {
  using K = kernels::native_microkernel<T>;
  if constexpr (kernels::contract::has_run_ops<K>()) {
    compensated_sum<T> total;
    index i = 0;
    for (; i + sum_block <= count; i += sum_block) total.add(K::dot_run(a + i, b + i, sum_block));
    total.add(K::dot_run(a + i, b + i, count - i));
    return total.value();
  } else {
    return blocked_sum<T>(count, [a, b](index i) noexcept { return a[i] * b[i]; });
  }
}
}  // namespace detail

/// y := y + alpha x.
template <class MX, class MY>
void axpy(scalar_of<MY> alpha, const MX& x_in, MY&& y_in) noexcept {
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  detail::require_same_shape<decltype(x), decltype(y)>();
  using T = scalar_of<MY>;
  if (detail::dense(x) && detail::dense(y)) {
    const T* LOWRANK_RESTRICT xp = x.data();
    T* LOWRANK_RESTRICT yp = y.data();
    using K = kernels::native_microkernel<T>;
    if constexpr (kernels::contract::has_run_ops<K>()) {
      K::axpy_run(y.size, alpha, xp, yp);
      return;
    }
#pragma GCC unroll 4
    for (index i = 0; i < y.size; ++i) yp[i] += alpha * xp[i];
    return;
  }
  for (index i = 0; i < y.rows; ++i)
    for (index j = 0; j < y.cols; ++j) y(i, j) += alpha * x(i, j);
}

/// dst := src.
template <class MS, class MD>
void copy(const MS& src_in, MD&& dst_in) noexcept {
  const auto src = as_view(src_in);
  const auto dst = as_view(dst_in);
  detail::require_same_shape<decltype(src), decltype(dst)>();
  using T = scalar_of<MD>;
  if (detail::dense(src) && detail::dense(dst)) {
    const T* LOWRANK_RESTRICT sp = src.data();
    T* LOWRANK_RESTRICT dp = dst.data();
    for (index i = 0; i < dst.size; ++i) dp[i] = sp[i];
    return;
  }
  for (index i = 0; i < dst.rows; ++i)
    for (index j = 0; j < dst.cols; ++j) dst(i, j) = src(i, j);
}

/// x := alpha x.
template <class MX>
void scale(scalar_of<MX> alpha, MX&& x_in) noexcept {
  const auto x = as_view(x_in);
  if (detail::dense(x)) {
    auto* p = x.data();
    for (index i = 0; i < x.size; ++i) p[i] *= alpha;
    return;
  }
  for (index i = 0; i < x.rows; ++i)
    for (index j = 0; j < x.cols; ++j) x(i, j) *= alpha;
}

/// x := value everywhere.
template <class MX>
void fill(MX&& x_in, scalar_of<MX> value) noexcept {
  const auto x = as_view(x_in);
  for (index i = 0; i < x.rows; ++i)
    for (index j = 0; j < x.cols; ++j) x(i, j) = value;
}

/// <A, B> = sum_ij A_ij B_ij, in the scalar type with compensated accumulation (detail::blocked_sum):
/// accurate to about the rounding of one product, whatever the size.
template <class MA, class MB>
double frobenius_inner(const MA& a_in, const MB& b_in) noexcept {
  const auto a = as_view(a_in);
  const auto b = as_view(b_in);
  using VA = decltype(a);
  detail::require_same_shape<VA, decltype(b)>();
  using T = typename VA::value_type;
  if (detail::dense(a) && detail::dense(b)) {
    return detail::dense_inner<std::remove_const_t<T>>(a.data(), b.data(), VA::size);
  }
  detail::compensated_sum<T> total;  // strided views: a row at a time
  for (index i = 0; i < VA::rows; ++i) {
    T row_sum = T(0);
    for (index j = 0; j < VA::cols; ++j) row_sum += a(i, j) * b(i, j);
    total.add(row_sum);
  }
  return total.value();
}

}  // namespace lowrank
