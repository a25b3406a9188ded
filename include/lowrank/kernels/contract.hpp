// The micro-kernel contract, stated once (in the manner of BLIS's kernel documentation) and checked at
// compile time. Everything above a micro-kernel (blocking.hpp) relies on this and on nothing else;
// everything below it (isa/*.hpp, register_tile.hpp) provides this and knows nothing of matrices.
//
// ## The tile
// A micro-kernel K computes one register tile of C = alpha op(A) op(B) + beta C: at most K::mr rows by
// K::nr columns, accumulated over a depth k (k may be 0). It declares
//   value_type (float or double), mr, nr (the tile), lanes (the vector width in values, 1: scalar).
//
// ## Packed operands: `K::run(k, a, b, c, ldc, alpha, beta)`
// - `a` is an MR-row micro-panel of op(A): k groups of mr consecutive values, group p = column p;
// - `b` is an NR-column micro-panel of op(B): k groups of nr consecutive values, group p = row p;
// - the k loop runs p = 0 .. k-1, one rank-1 update of the mr x nr accumulators per step;
// - C is a whole mr x nr tile, rows `ldc` apart, each row contiguous.
// The blocking framework pads the last panels with zeros, so `run` only ever sees whole tiles.
//
// ## Operands in place (the direct contract, optional): `K::tile<RowsAdjacent>(rows, cols, s, c, rsc,
//    csc, alpha, beta)` and `K::tile2<RA1, RA2, Subtract2>(rows, cols, s1, s2, ...)`
// - `s` is a `segment`: op(A)(i, p) is a[i + p * as] (RowsAdjacent) or a[i * as + p], row p of op(B)
//   is the contiguous run b + p * rsb; rows <= K::rows_for(cols), cols <= nr;
// - only the first `rows` rows of op(A) and the first `cols` values of each row of op(B) are read;
// - tile2 accumulates op(A1) op(B1) +- op(A2) op(B2) in the same registers (a gradient in one pass);
// - `K::few_rows_apart` (optional, default false): a tile of fewer than `lanes` rows of a rows-adjacent
//   op(A) should be given those rows apart instead; the blocking copies them, once per depth block.
//
// ## alpha, beta and C
// C(i, j) = alpha acc(i, j) + beta C(i, j); element (i, j) is c[i * rsc + j * csc] (packed: csc = 1).
// beta == 0 means C is written, never read (NaN in C does not survive, as in BLAS).
//
// ## Edges
// The BLIS way: the kernel computes a full register tile and stores the valid rows x cols part; it
// never writes outside the tile and never reads outside the operands it was given. There is no
// function per edge shape.
//
// ## Dense runs (optional): `K::axpy_run(count, alpha, x, y)` and `K::dot_run(a, b, count)`
// The O(n d) glue between the products (elementwise.hpp: y += alpha x, <A, B>) over `count`
// contiguous values. axpy_run sets y[i] += alpha x[i] (x and y do not overlap); dot_run returns
// sum a[i] b[i] in value_type, in 8 running sums (value i goes to sum i % 8) added as
// ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)), then the rest one by one: the order
// elementwise.hpp's blocked sums use. For a core where the compiler's loop costs several instructions
// per value (Cortex-M4: a load, a multiply-add and a store each, where one VLDM moves eight).
//
// ## The op set of an ISA (isa/*.hpp), from which register_tile.hpp builds the kernel
//   reg, mask, lanes        the vector, a partial-vector selector, the values per vector
//   zero(), splat(x)        vector of zeros / of x
//   load(p), store(p, v)    whole vectors, unaligned
//   first(live), load(p, m), store(p, v, live)
//                           partial vectors: lanes [0, live) only, nothing past them is touched
//   broadcast(p)            every lane = *p; or, where the ISA multiplies a vector by a scalar register
//                           (MVE), the scalar itself, with fma/fnma overloads that take it first
//   mul(a, b), fma(a, b, c) = a b + c, fnma(a, b, c) = c - a b
//   sum(v)                  the sum of the lanes (the dot form, vectors along k)
//   k_unroll (optional)     k steps per pass where op(A)'s rows are contiguous, with one pointer per
//                           row and immediate offsets (ISAs without indexed addressing); default 1
//   fma_lane<L>(a, b, c), fnma_lane<L>(a, b, c)
//                           (optional) a[L] b + c and c - a[L] b, lane L of a as the multiplier
//                           (AArch64's by-element fmla): the tile then loads op(A) as whole vectors,
//                           a column of R values or a row's next `lanes` values, where it would
//                           otherwise broadcast each value with its own load
//   dot_cols                (optional) columns per block of the dot form (register_tile.hpp), where
//                           the register file holds more accumulators than the default lanes / 4,
//                           at most 2; C's last columns go to the dot form when there are at most
//                           max(lanes / 4, dot_cols) of them
//   partial_loads_free      (optional) true where a partial load costs what a whole one does
//                           (AVX-512's masked loads): the tile then runs one k loop for whole and
//                           partial last vectors alike, half the code; default false
#pragma once

#include <type_traits>

#include "../config.hpp"
#include "../contracts/detect.hpp"

namespace lowrank::kernels {

/// One product op(A) op(B) of depth k as a direct micro-kernel reads it, with both operands in place:
/// - op(A)(i, p) is a[i + p * as] (rows adjacent: a column of op(A) is contiguous, as in A^T of a
///   row-major A, or a packed panel) or a[i * as + p] (a row of op(A) is contiguous, as in a
///   row-major A); which of the two is a template argument of the kernel;
/// - row p of op(B) is the contiguous run of values at b + p * rsb.
template <class T>
struct segment {
  const T* a;   ///< op(A)'s values, element (0, 0)
  index as;     ///< op(A)'s stride between columns (rows adjacent) or rows, in elements
  const T* b;   ///< op(B)'s values, row 0
  index rsb;    ///< op(B)'s row stride, in elements
  index k;      ///< the depth of the product
};

namespace contract {

template <class O, class = void>
struct has_vector_types : std::false_type {};
template <class O>
struct has_vector_types<O, std::void_t<typename O::value_type, decltype(sizeof(typename O::reg)),
                                       decltype(sizeof(typename O::mask)), decltype(O::lanes)>> : std::true_type {};

// Vector types carry attributes that template arguments drop (GCC warns), so every expression below
// is wrapped in void(...): only whether it is well-formed matters.
template <class O, class = void>
struct has_whole_vector_ops : std::false_type {};
template <class O>
struct has_whole_vector_ops<
    O, std::void_t<decltype(void(O::zero())), decltype(void(O::splat(typename O::value_type{}))),
                   decltype(void(O::load(static_cast<const typename O::value_type*>(nullptr)))),
                   decltype(void(O::store(static_cast<typename O::value_type*>(nullptr), O::zero()))),
                   decltype(void(O::broadcast(static_cast<const typename O::value_type*>(nullptr))))>>
    : std::true_type {};

// fma's result must feed fma and store again (it is a reg), sum's must be a value_type.
template <class O, class = void>
struct has_arithmetic_ops : std::false_type {};
template <class O>
struct has_arithmetic_ops<
    O, std::void_t<decltype(void(O::mul(O::zero(), O::zero()))),
                   decltype(void(O::store(static_cast<typename O::value_type*>(nullptr),
                                          O::fma(O::fma(O::zero(), O::zero(), O::zero()), O::zero(), O::zero())))),
                   decltype(void(O::fnma(O::zero(), O::zero(), O::zero()))),
                   std::enable_if_t<std::is_same_v<decltype(O::sum(O::zero())), typename O::value_type>>>>
    : std::true_type {};

template <class O, class = void>
struct has_partial_ops : std::false_type {};
template <class O>
struct has_partial_ops<
    O, std::void_t<decltype(void(O::load(static_cast<const typename O::value_type*>(nullptr), O::first(index{1})))),
                   decltype(void(O::store(static_cast<typename O::value_type*>(nullptr), O::zero(), index{1})))>>
    : std::true_type {};

template <class O, class = void>
struct has_k_unroll : std::false_type {};
template <class O>
struct has_k_unroll<O, std::void_t<decltype(O::k_unroll)>> : std::true_type {};

/// The op set's optional k_unroll, else 1.
template <class O>
constexpr index k_unroll_of() noexcept {
  if constexpr (has_k_unroll<O>::value) {
    return O::k_unroll;
  } else {
    return 1;
  }
}

template <class O>
using lane_ops_op = decltype(void(O::template fma_lane<0>(O::zero(), O::zero(), O::zero())),
                             void(O::template fnma_lane<0>(O::zero(), O::zero(), O::zero())));

/// Whether the op set has the optional fma_lane and fnma_lane.
template <class O>
constexpr bool has_lane_ops() noexcept {
  return contracts::is_detected<lane_ops_op, O>;
}

template <class O>
using dot_cols_op = std::integral_constant<index, O::dot_cols>;

/// The op set's optional dot_cols, else lanes / 4 (at most 2).
template <class O>
constexpr index dot_cols_of() noexcept {
  if constexpr (contracts::is_detected<dot_cols_op, O>) {
    return O::dot_cols;
  } else {
    return O::lanes / 4 < 2 ? O::lanes / 4 : 2;
  }
}

template <class O>
using partial_loads_free_op = std::bool_constant<O::partial_loads_free>;

/// The op set's optional partial_loads_free, else false.
template <class O>
constexpr bool partial_loads_free_of() noexcept {
  return contracts::flag_or_false<partial_loads_free_op, O>();
}

/// Compile-time check of an ISA's op set against the list at the top of this file.
template <class O>
constexpr bool check_ops() noexcept {
  static_assert(has_vector_types<O>::value,
                "lowrank kernel op set: needs the types value_type, reg, mask and the constant lanes");
  if constexpr (has_vector_types<O>::value) {
    static_assert(O::lanes >= 1, "lowrank kernel op set: lanes must be at least 1");
    static_assert(has_whole_vector_ops<O>::value,
                  "lowrank kernel op set: needs zero(), splat(x), load(p), store(p, v) and broadcast(p)");
    static_assert(has_arithmetic_ops<O>::value,
                  "lowrank kernel op set: needs mul(a, b), fma(a, b, c) and fnma(a, b, c) returning a reg, and "
                  "sum(v) returning a value_type");
    static_assert(has_partial_ops<O>::value,
                  "lowrank kernel op set: needs first(live), load(p, mask) and store(p, v, live) for the edges");
  }
  return true;
}

template <class K, class = void>
struct has_tile_shape : std::false_type {};
template <class K>
struct has_tile_shape<K, std::void_t<typename K::value_type, decltype(K::mr), decltype(K::nr), decltype(K::lanes)>>
    : std::true_type {};

template <class K, class = void>
struct has_packed_run : std::false_type {};
template <class K>
struct has_packed_run<
    K, std::void_t<decltype(K::run(index{0}, static_cast<const typename K::value_type*>(nullptr),
                                   static_cast<const typename K::value_type*>(nullptr),
                                   static_cast<typename K::value_type*>(nullptr), index{0},
                                   typename K::value_type{}, typename K::value_type{}))>> : std::true_type {};

template <class K>
using run_ops_op = decltype(void(K::axpy_run(index{0}, typename K::value_type{},
                                             static_cast<const typename K::value_type*>(nullptr),
                                             static_cast<typename K::value_type*>(nullptr))),
                            void(static_cast<typename K::value_type>(
                                K::dot_run(static_cast<const typename K::value_type*>(nullptr),
                                           static_cast<const typename K::value_type*>(nullptr), index{0}))));

/// Whether the micro-kernel has the optional axpy_run and dot_run.
template <class K>
constexpr bool has_run_ops() noexcept {
  return contracts::is_detected<run_ops_op, K>;
}

/// Compile-time check of a micro-kernel against the contract above (the packed part is required, the
/// direct part optional: blocking.hpp asks for it with has_direct_tile).
template <class K>
constexpr bool check_microkernel() noexcept {
  static_assert(has_tile_shape<K>::value, "lowrank micro-kernel: needs value_type and the constants mr, nr, lanes");
  if constexpr (has_tile_shape<K>::value) {
    static_assert(std::is_floating_point_v<typename K::value_type>, "lowrank micro-kernel: value_type must be float or double");
    static_assert(K::mr >= 1 && K::nr >= 1, "lowrank micro-kernel: the tile must be at least 1 x 1");
    static_assert(K::nr % K::lanes == 0, "lowrank micro-kernel: nr must be a whole number of vectors");
    static_assert(has_packed_run<K>::value,
                  "lowrank micro-kernel: needs static run(k, a, b, c, ldc, alpha, beta) (the packed contract)");
  }
  return true;
}

}  // namespace contract
}  // namespace lowrank::kernels
