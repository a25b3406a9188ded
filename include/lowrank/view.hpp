// Non-owning, fixed-size views: a pointer and two strides, dimensions in the type.
//
// A view is how every kernel and solver sees a matrix. Sub-blocks and transposes are views too, so
// nothing is ever copied to change shape, and a dimension mistake is a compile error.
#pragma once

#include <type_traits>

#include "config.hpp"

namespace lowrank {

/// A Rows x Cols window onto memory: element (i, j) is data[i * row_stride + j * col_stride].
/// T is `float`, `double`, or a const version of them (a read-only view).
template <class T, index Rows, index Cols>
class View {
  static_assert(std::is_floating_point_v<std::remove_const_t<T>>,
                "lowrank::View: the scalar type must be float or double");
  static_assert(Rows > 0 && Cols > 0, "lowrank::View: dimensions must be at least 1");

 public:
  using element_type = T;                     ///< T as given: const for a read-only view
  using value_type = std::remove_const_t<T>;  ///< the scalar type, float or double
  static constexpr index rows = Rows;         ///< number of rows
  static constexpr index cols = Cols;         ///< number of columns
  static constexpr index size = Rows * Cols;  ///< number of entries

  /// The view of the Rows x Cols entries data[i * row_stride + j * col_stride] (strides in elements;
  /// the memory must outlive the view).
  constexpr View(T* data, index row_stride, index col_stride) noexcept
      : data_(data), row_stride_(row_stride), col_stride_(col_stride) {}

  /// A read-only view of the same memory.
  constexpr operator View<const value_type, Rows, Cols>() const noexcept {
    return {data_, row_stride_, col_stride_};
  }

  /// Entry (i, j), 0 <= i < rows, 0 <= j < cols (not checked).
  // Always inlined: under -Os GCC otherwise calls it, and an entry access is less code than a call.
  LOWRANK_ALWAYS_INLINE constexpr T& operator()(index i, index j) const noexcept {
    return data_[i * row_stride_ + j * col_stride_];
  }
  /// The address of entry (0, 0).
  constexpr T* data() const noexcept { return data_; }
  /// Elements from one row to the next.
  constexpr index row_stride() const noexcept { return row_stride_; }
  /// Elements from one column to the next.
  constexpr index col_stride() const noexcept { return col_stride_; }
  /// Rows are contiguous (unit column stride), as in an owned row-major matrix.
  constexpr bool rows_contiguous() const noexcept { return col_stride_ == 1; }

 private:
  T* data_;
  index row_stride_;
  index col_stride_;
};

/// Whether T is a View (of any scalar and shape): `is_view<T>::value`.
template <class T>
struct is_view : std::false_type {};
/// A View is a view.
template <class T, index R, index C>
struct is_view<View<T, R, C>> : std::true_type {};

/// The transpose, as a view of the same memory (strides swapped).
template <class T, index R, index C>
constexpr View<T, C, R> transpose(View<T, R, C> v) noexcept {
  return {v.data(), v.col_stride(), v.row_stride()};
}

/// The BlockRows x BlockCols sub-block whose top-left corner is (Row0, Col0).
template <index Row0, index Col0, index BlockRows, index BlockCols, class T, index R, index C>
constexpr View<T, BlockRows, BlockCols> block(View<T, R, C> v) noexcept {
  static_assert(Row0 + BlockRows <= R, "lowrank::block: the block runs past the last row");
  static_assert(Col0 + BlockCols <= C, "lowrank::block: the block runs past the last column");
  return {v.data() + Row0 * v.row_stride() + Col0 * v.col_stride(), v.row_stride(), v.col_stride()};
}

/// Column j as an R x 1 view (j checked by the caller; a run-time index keeps loops simple).
template <class T, index R, index C>
constexpr View<T, R, 1> column(View<T, R, C> v, index j) noexcept {
  return {v.data() + j * v.col_stride(), v.row_stride(), v.col_stride()};
}

/// Row i as a 1 x C view.
template <class T, index R, index C>
constexpr View<T, 1, C> row(View<T, R, C> v, index i) noexcept {
  return {v.data() + i * v.row_stride(), v.row_stride(), v.col_stride()};
}

}  // namespace lowrank
