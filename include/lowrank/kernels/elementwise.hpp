// Entry-wise operations on same-shaped matrices and views: the O(n d) glue between the products.
#pragma once

#include "../matrix.hpp"

namespace lowrank {

namespace detail {
template <class VA, class VB>
constexpr void require_same_shape() {
  static_assert(VA::rows == VB::rows && VA::cols == VB::cols,
                "lowrank: the two matrices must have the same dimensions");
}
}  // namespace detail

/// y := y + alpha x.
template <class MX, class MY>
void axpy(scalar_of<MY> alpha, const MX& x_in, MY&& y_in) noexcept {
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  detail::require_same_shape<decltype(x), decltype(y)>();
  for (index i = 0; i < y.rows; ++i)
    for (index j = 0; j < y.cols; ++j) y(i, j) += alpha * x(i, j);
}

/// dst := src.
template <class MS, class MD>
void copy(const MS& src_in, MD&& dst_in) noexcept {
  const auto src = as_view(src_in);
  const auto dst = as_view(dst_in);
  detail::require_same_shape<decltype(src), decltype(dst)>();
  for (index i = 0; i < dst.rows; ++i)
    for (index j = 0; j < dst.cols; ++j) dst(i, j) = src(i, j);
}

/// x := alpha x.
template <class MX>
void scale(scalar_of<MX> alpha, MX&& x_in) noexcept {
  const auto x = as_view(x_in);
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

/// <A, B> = sum_ij A_ij B_ij; each row summed in the scalar type, rows summed in double.
template <class MA, class MB>
double frobenius_inner(const MA& a_in, const MB& b_in) noexcept {
  const auto a = as_view(a_in);
  const auto b = as_view(b_in);
  detail::require_same_shape<decltype(a), decltype(b)>();
  using T = typename decltype(a)::value_type;
  double total = 0.0;
  for (index i = 0; i < a.rows; ++i) {
    T row_sum = T(0);
    for (index j = 0; j < a.cols; ++j) row_sum += a(i, j) * b(i, j);
    total += static_cast<double>(row_sum);
  }
  return total;
}

}  // namespace lowrank
