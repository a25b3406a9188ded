// Owned, fixed-size, row-major matrix storage, and `as_view` to treat matrices and views alike.
//
// The storage is inline (no heap), aligned to a cache line. A 100 x 100 float matrix is 40 KB:
// declare big matrices `static` (or at namespace scope) so they live in .bss, not on a stack.
#pragma once

#include <type_traits>

#include "config.hpp"
#include "view.hpp"

namespace lowrank {

/// An owned Rows x Cols matrix of T (float or double), row-major and inline (no heap), aligned to
/// storage_alignment. The entries are indeterminate unless the matrix is value-initialized
/// (`Matrix<float, 4, 2> m{};`) or static (then all zero).
template <class T, index Rows, index Cols>
class Matrix {
  static_assert(std::is_floating_point_v<T> && !std::is_const_v<T>,
                "lowrank::Matrix: the scalar type must be float or double");
  static_assert(Rows > 0 && Cols > 0, "lowrank::Matrix: dimensions must be at least 1");

 public:
  using value_type = T;                       ///< the scalar type
  static constexpr index rows = Rows;         ///< number of rows
  static constexpr index cols = Cols;         ///< number of columns
  static constexpr index size = Rows * Cols;  ///< number of entries

  /// Entry (i, j), 0 <= i < rows, 0 <= j < cols (not checked).
  LOWRANK_ALWAYS_INLINE constexpr T& operator()(index i, index j) noexcept { return data_[i * Cols + j]; }
  /// Entry (i, j), read only.
  LOWRANK_ALWAYS_INLINE constexpr const T& operator()(index i, index j) const noexcept { return data_[i * Cols + j]; }

  /// The first of the `size` entries, row after row (entry (i, j) is data()[i * cols + j]).
  constexpr T* data() noexcept { return data_; }
  /// The entries, read only.
  constexpr const T* data() const noexcept { return data_; }

  /// The whole matrix as a view (row stride cols, column stride 1).
  constexpr View<T, Rows, Cols> view() noexcept { return {data_, Cols, 1}; }
  /// The whole matrix as a read-only view.
  constexpr View<const T, Rows, Cols> view() const noexcept { return {data_, Cols, 1}; }

  /// Converts to view(), so a Matrix can be passed wherever a View is taken.
  constexpr operator View<T, Rows, Cols>() noexcept { return view(); }
  /// Converts to the read-only view().
  constexpr operator View<const T, Rows, Cols>() const noexcept { return view(); }

 private:
  alignas(storage_alignment) T data_[Rows * Cols];
};

/// The view of a matrix, or the view itself: lets every algorithm take either.
template <class T, index R, index C>
constexpr View<T, R, C> as_view(Matrix<T, R, C>& m) noexcept { return m.view(); }
/// The read-only view of a const matrix.
template <class T, index R, index C>
constexpr View<const T, R, C> as_view(const Matrix<T, R, C>& m) noexcept { return m.view(); }
/// A view, unchanged.
template <class T, index R, index C>
constexpr View<T, R, C> as_view(View<T, R, C> v) noexcept { return v; }

/// The view type that `as_view` gives for M (a Matrix, a const Matrix, or a View).
template <class M>
using view_of = decltype(as_view(std::declval<M&>()));

/// The scalar type (float or double) behind a matrix or view.
template <class M>
using scalar_of = typename view_of<M>::value_type;

/// Transpose of a matrix, as a view.
template <class T, index R, index C>
constexpr View<T, C, R> transpose(Matrix<T, R, C>& m) noexcept { return transpose(m.view()); }
/// Transpose of a const matrix, as a read-only view.
template <class T, index R, index C>
constexpr View<const T, C, R> transpose(const Matrix<T, R, C>& m) noexcept {
  return transpose(m.view());
}

}  // namespace lowrank
