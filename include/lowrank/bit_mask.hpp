// A fixed-size pattern of bits, one per entry of an M x N matrix: the observed entries of matrix
// completion, the support of robust PCA's sparse part. One bit per entry (16 x 128: 256 bytes, where
// a bool per entry would take 2 KB).
#pragma once

#include <cmath>
#include <cstdint>

#include "config.hpp"
#include "matrix.hpp"

namespace lowrank {

/// A fixed-size M x N pattern of bits, packed row-major in 32-bit words (entry (i, j) is bit
/// i N + j). For matrix completion a set bit means "observed"; problems::robust_pca uses one for the
/// support of its sparse part. All bits start clear.
template <index M, index N>
class BitMask {
  static_assert(M > 0 && N > 0, "lowrank::BitMask: dimensions must be at least 1");

 public:
  static constexpr index rows = M;           ///< number of rows
  static constexpr index cols = N;           ///< number of columns
  static constexpr index bits_per_word = 32;  ///< bits in each word of words()
  /// Words of storage, M N / 32 rounded up (the bits past entry M N - 1 are padding, always clear).
  static constexpr index word_count = (M * N + bits_per_word - 1) / bits_per_word;

  /// Sets entry (i, j) to `value` (true: set, false: clear).
  LOWRANK_ALWAYS_INLINE constexpr void set(index i, index j, bool value = true) noexcept {
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
  LOWRANK_ALWAYS_INLINE constexpr bool test(index i, index j) const noexcept {
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

}  // namespace lowrank
