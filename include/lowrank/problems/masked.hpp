// Matrix completion: A is known only on a set Omega of observed entries, and
//   f(X, Y) = 1/2 ||P_Omega(X Y^T - A)||_F^2,
//   grad_X = R Y,   grad_Y = R^T X,   R = P_Omega(X Y^T - A),
// where P_Omega keeps the observed entries and zeroes the others.
//
// The mask couples the entries, so the Gram shortcut of problems::full (X (Y^T Y) - A Y) does not
// apply: R is formed entry by entry, row by row, and multiplied into the gradient at once. No m x n
// buffer exists; the cost is O(|Omega| d) per gradient, less than the full problem's O(m n d).
//
// The observation pattern is a BitMask: one bit per entry, 32 entries per word. On a microcontroller
// a 16 x 128 pattern is 256 bytes, where a bool per entry would be 2 KB and a float weight 8 KB.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../kernels/elementwise.hpp"
#include "../matrix.hpp"
#include "../status.hpp"

namespace lowrank {

/// A fixed-size M x N pattern of bits, packed row-major in 32-bit words (entry (i, j) is bit
/// i N + j). For matrix completion a set bit means "observed"; problems::robust_pca uses one for the
/// support of its sparse part. All bits start clear.
template <index M, index N>
class BitMask {
  static_assert(M > 0 && N > 0, "lowrank::BitMask: dimensions must be at least 1");

 public:
  static constexpr index rows = M;
  static constexpr index cols = N;
  static constexpr index bits_per_word = 32;
  static constexpr index word_count = (M * N + bits_per_word - 1) / bits_per_word;

  /// Sets entry (i, j) to `value` (true: set, false: clear).
  constexpr void set(index i, index j, bool value = true) noexcept {
    const index bit = i * N + j;
    const std::uint32_t flag = std::uint32_t{1} << (bit % bits_per_word);
    if (value) {
      words_[bit / bits_per_word] |= flag;
    } else {
      words_[bit / bits_per_word] &= ~flag;
    }
  }
  /// Clears entry (i, j).
  constexpr void reset(index i, index j) noexcept { set(i, j, false); }
  /// Whether entry (i, j) is set.
  constexpr bool test(index i, index j) const noexcept {
    const index bit = i * N + j;
    return ((words_[bit / bits_per_word] >> (bit % bits_per_word)) & 1u) != 0u;
  }

  /// Clears every entry.
  constexpr void clear() noexcept {
    for (index w = 0; w < word_count; ++w) words_[w] = 0u;
  }
  /// Sets every entry (the padding bits past entry M N - 1 stay clear, so count() is exact).
  constexpr void set_all() noexcept {
    for (index w = 0; w < word_count; ++w) words_[w] = ~std::uint32_t{0};
    constexpr index tail = (M * N) % bits_per_word;
    if (tail != 0) words_[word_count - 1] = (std::uint32_t{1} << tail) - 1u;
  }

  /// The number of set entries.
  constexpr index count() const noexcept {
    index total = 0;
    for (index w = 0; w < word_count; ++w) total += popcount(words_[w]);
    return total;
  }
  /// The number of set entries in row i.
  constexpr index count_in_row(index i) const noexcept {
    index total = 0;
    for (index j = 0; j < N; ++j) total += test(i, j) ? 1 : 0;
    return total;
  }
  /// The number of set entries in column j.
  constexpr index count_in_column(index j) const noexcept {
    index total = 0;
    for (index i = 0; i < M; ++i) total += test(i, j) ? 1 : 0;
    return total;
  }
  /// True when every row and every column has at least one set entry.
  constexpr bool covers_every_row_and_column() const noexcept {
    for (index i = 0; i < M; ++i)
      if (count_in_row(i) == 0) return false;
    for (index j = 0; j < N; ++j)
      if (count_in_column(j) == 0) return false;
    return true;
  }

  /// The packed words (bit b of the pattern is bit b % 32 of word b / 32).
  constexpr const std::uint32_t* words() const noexcept { return words_; }

 private:
  /// Set bits of a word, by the classic SWAR reduction (no intrinsic, same result on every target).
  static constexpr index popcount(std::uint32_t v) noexcept {
    v = v - ((v >> 1) & 0x55555555u);
    v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
    v = (v + (v >> 4)) & 0x0F0F0F0Fu;
    return static_cast<index>((v * 0x01010101u) >> 24);
  }

  std::uint32_t words_[word_count] = {};
};

/// Marks as observed exactly the finite entries of A (and clears the others): data whose dropouts
/// were recorded as NaN give their own mask.
template <class MA, index M, index N>
void observe_finite(const MA& a_in, BitMask<M, N>& mask) noexcept {
  const auto a = as_view(a_in);
  static_assert(decltype(a)::rows == M && decltype(a)::cols == N,
                "lowrank::observe_finite: the mask must have the dimensions of A");
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) mask.set(i, j, std::isfinite(a(i, j)));
}

namespace detail {

/// out = P(X Y^T - A) B, row by row, where P keeps the entries (i, j) with keep(i, j); returns
/// 1/2 ||P(X Y^T - A)||_F^2. B is n x k: Y itself for the gradient, or another matrix (feedback
/// alignment's B). Each row's sum of squares is accumulated in T, rows in double (as in
/// residual_norm_squared).
template <class Keep, class VA, class VX, class VY, class VB, class VOut>
double masked_residual_times(const Keep& keep, VA a, VX x, VY y, VB b, VOut out) noexcept {
  using T = typename VA::value_type;
  constexpr index d = VX::cols;
  constexpr index k = VB::cols;
  static_assert(VX::rows == VA::rows && VY::rows == VA::cols && VY::cols == d,
                "lowrank: X must be m x d and Y n x d for an m x n A");
  static_assert(VB::rows == VA::cols && VOut::rows == VA::rows && VOut::cols == k,
                "lowrank: B must be n x k and the product m x k");
  double total = 0.0;
  for (index i = 0; i < VA::rows; ++i) {
    T xi[d];  // row i of X, contiguous whatever X's layout
    for (index p = 0; p < d; ++p) xi[p] = x(i, p);
    T accumulated[k] = {};
    T row_sum = T(0);
    for (index j = 0; j < VA::cols; ++j) {
      if (!keep(i, j)) continue;
      T approx = T(0);
      for (index p = 0; p < d; ++p) approx += xi[p] * y(j, p);
      const T r = approx - a(i, j);
      row_sum += r * r;
      for (index q = 0; q < k; ++q) accumulated[q] += r * b(j, q);
    }
    for (index q = 0; q < k; ++q) out(i, q) = accumulated[q];
    total += static_cast<double>(row_sum);
  }
  return 0.5 * total;
}

/// out = P(X Y^T - A)^T X (n x d), accumulated over the rows of the residual.
template <class Keep, class VA, class VX, class VY, class VOut>
void masked_residual_transpose_times_x(const Keep& keep, VA a, VX x, VY y, VOut out) noexcept {
  using T = typename VA::value_type;
  constexpr index d = VX::cols;
  static_assert(VOut::rows == VA::cols && VOut::cols == d, "lowrank: grad_Y must be n x d");
  fill(out, T(0));
  for (index i = 0; i < VA::rows; ++i) {
    T xi[d];
    for (index p = 0; p < d; ++p) xi[p] = x(i, p);
    for (index j = 0; j < VA::cols; ++j) {
      if (!keep(i, j)) continue;
      T approx = T(0);
      for (index p = 0; p < d; ++p) approx += xi[p] * y(j, p);
      const T r = approx - a(i, j);
      for (index p = 0; p < d; ++p) out(j, p) += r * xi[p];
    }
  }
}

/// ||P(A - X Y^T)||_F^2, exactly, entry by entry.
template <class Keep, class VA, class VX, class VY>
double masked_residual_norm_squared(const Keep& keep, VA a, VX x, VY y) noexcept {
  using T = typename VA::value_type;
  constexpr index d = VX::cols;
  double total = 0.0;
  for (index i = 0; i < VA::rows; ++i) {
    T xi[d];
    for (index p = 0; p < d; ++p) xi[p] = x(i, p);
    T row_sum = T(0);
    for (index j = 0; j < VA::cols; ++j) {
      if (!keep(i, j)) continue;
      T approx = T(0);
      for (index p = 0; p < d; ++p) approx += xi[p] * y(j, p);
      const T r = a(i, j) - approx;
      row_sum += r * r;
    }
    total += static_cast<double>(row_sum);
  }
  return total;
}

}  // namespace detail

namespace problems {

/// Matrix completion, f(X, Y) = 1/2 ||P_Omega(X Y^T - A)||_F^2, with the same interface as
/// problems::full, so every method (AGD, GD, ScaledGD, PrecGD, feedback alignment) runs on it as is.
///
/// A's unobserved entries carry no information and may hold anything, NaN included. validate()
/// overwrites them with 0, so that matrix() is P_Omega(A): that is what the initializations that
/// sample the column span of A (init::colspan, init::proposed, init::nystrom) must see, and it costs
/// no second m x n buffer. A must therefore be writable, and outlive the problem, as must the mask.
///
/// The driver's relative error is measured on the observed entries:
///   ||P_Omega(A - X Y^T)||_F^2 / ||P_Omega(A)||_F^2.
/// How well the unobserved entries are recovered depends on the sampling (enough entries, spread
/// over every row and column) and on A being low-rank and incoherent; it cannot be measured here.
template <class T, index M, index N>
class masked_matrix {
 public:
  using value_type = T;
  static constexpr index rows = M;
  static constexpr index cols = N;

  /// The problem for A (writable: see above) observed where `observed` is set.
  masked_matrix(View<T, M, N> a, const BitMask<M, N>& observed) noexcept : a_(a), observed_(&observed) {}

  /// Checks the data and prepares A, in this order: invalid_input if an observed entry is NaN or Inf
  /// (unobserved ones are never read); unobservable if a row or a column of A has no observed entry
  /// (that row of X, or row of Y, would be left to its initial value: it is not determined); then
  /// zeroes the unobserved entries of A and returns zero_input if every observed entry is 0, else ok.
  /// Records ||P_Omega(A)||_F^2, the denominator of every relative error.
  status validate() noexcept {
    bool finite = true;
    norm_squared_ = 0.0;
    for (index i = 0; i < M; ++i) {
      T row_sum = T(0);
      for (index j = 0; j < N; ++j) {
        if (!observed_->test(i, j)) continue;
        const T v = a_(i, j);
        finite = finite && std::isfinite(v);
        row_sum += v * v;
      }
      norm_squared_ += static_cast<double>(row_sum);
    }
    if (!finite) return status::invalid_input;
    if (!observed_->covers_every_row_and_column()) return status::unobservable;
    for (index i = 0; i < M; ++i)
      for (index j = 0; j < N; ++j)
        if (!observed_->test(i, j)) a_(i, j) = T(0);
    return norm_squared_ == 0.0 ? status::zero_input : status::ok;
  }

  /// ||P_Omega(A)||_F^2, once validate() has run.
  double norm_squared() const noexcept { return norm_squared_; }
  /// P_Omega(A) (unobserved entries 0), once validate() has run: what initializations sample.
  View<const T, M, N> matrix() const noexcept { return a_; }
  /// The observation pattern.
  const BitMask<M, N>& observed() const noexcept { return *observed_; }

  /// grad = R Y with R = P_Omega(X Y^T - A), row by row. gram_y and gemm_ws are not used (the mask
  /// defeats the Gram form); they are in the signature so that every method can call any problem.
  /// Also computes f(X, Y) exactly, for loss_from_gradient_x.
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_x(const MX& x, const MY& y, const MG& /*gram_y*/, MGrad& grad, Gemm& /*gemm_ws*/) const noexcept {
    loss_ = detail::masked_residual_times(observed_entries(), a_, as_view(x), as_view(y), as_view(y), as_view(grad));
  }

  /// grad = R^T X with R = P_Omega(X Y^T - A). gram_x and gemm_ws are not used.
  template <class MX, class MY, class MG, class MGrad, class Gemm>
  void gradient_y(const MX& x, const MY& y, const MG& /*gram_x*/, MGrad& grad, Gemm& /*gemm_ws*/) const noexcept {
    detail::masked_residual_transpose_times_x(observed_entries(), a_, as_view(x), as_view(y), as_view(grad));
  }

  /// f(X, Y) at the X and Y of the last gradient_x call, which computed it exactly, entry by entry,
  /// while forming R (every method calls gradient_x, then this, at the same iterate). The masked
  /// loss is not a function of the Gram matrices, so it cannot be recovered from the arguments as
  /// problems::full does; keeping the byproduct costs nothing. It is a `mutable` member because
  /// gradient_x is const in the problem interface (methods hold the problem by const reference). A
  /// consequence: one problem object serves one solve at a time.
  template <class MX, class MGrad, class MG>
  double loss_from_gradient_x(const MX& /*x*/, const MGrad& /*grad_x*/, const MG& /*gram_x*/,
                              const MG& /*gram_y*/) const noexcept {
    return loss_;
  }

  /// ||P_Omega(A - X Y^T)||_F^2, exactly (O(|Omega| d), no m x n buffer).
  template <class MX, class MY>
  double residual_norm_squared(const MX& x, const MY& y) const noexcept {
    return detail::masked_residual_norm_squared(observed_entries(), a_, as_view(x), as_view(y));
  }

  /// out = P_Omega(X Y^T - A) B for an n x k B (feedback alignment's X step). `scratch` is unused
  /// here (problems::full needs it for Y^T B).
  template <class MX, class MY, class MB, class MS, class MOut, class Gemm>
  void residual_times(const MX& x, const MY& y, const MB& b, MS& /*scratch*/, MOut& out,
                      Gemm& /*gemm_ws*/) const noexcept {
    detail::masked_residual_times(observed_entries(), a_, as_view(x), as_view(y), as_view(b), as_view(out));
  }

 private:
  auto observed_entries() const noexcept {
    return [mask = observed_](index i, index j) noexcept { return mask->test(i, j); };
  }

  View<T, M, N> a_;
  const BitMask<M, N>* observed_;
  double norm_squared_ = 0.0;
  mutable double loss_ = 0.0;  ///< f at the last gradient_x (see loss_from_gradient_x)
};

/// The completion problem for a writable Matrix or view A and its observation mask (both must
/// outlive the problem; validate() zeroes A's unobserved entries).
template <class MA, index M, index N>
masked_matrix<scalar_of<MA>, M, N> masked(MA& a, const BitMask<M, N>& observed) noexcept {
  static_assert(view_of<MA>::rows == M && view_of<MA>::cols == N,
                "lowrank::problems::masked: the mask must have the dimensions of A");
  static_assert(!std::is_const_v<typename view_of<MA>::element_type>,
                "lowrank::problems::masked: A must be writable (validate() zeroes its unobserved entries)");
  return masked_matrix<scalar_of<MA>, M, N>(as_view(a), observed);
}

}  // namespace problems
}  // namespace lowrank
