// The register-tile algorithm, written once over an ISA's op set (isa/*.hpp, the list in
// contract.hpp), as Eigen's arch/ and Highway do: each ISA says how to load, broadcast, multiply-add
// and sum a vector, and this file says what to do with them.
//
// Tile: R rows of NV vectors of accumulators; per k step NV vectors of op(B)'s row are loaded, then
// for each row one value of op(A) is broadcast and multiplied into that row's NV accumulators (BLIS's
// Haswell/SkylakeX scheme). Where the op set multiplies by a lane (fma_lane: AArch64), op(A) is
// loaded as vectors instead, a column of R values (rows adjacent) or each row's next `lanes` values
// along k, and each multiply-add takes its value from a lane: one load per vector of op(A) rather
// than one per value (as Eigen's and OpenBLAS's AArch64 kernels do). Two shapes per ISA: a wide one
// (NV = 2, Rows2 rows) and a narrow one for tiles at most one vector wide (NV = 1, Rows1 rows), so
// that a narrow product (C 8 columns wide, as A Y with d = 8) still gets as many independent
// accumulators as the wide shape.
//
// Edges, the BLIS way: a partial tile computes all R rows and stores only the valid ones. Rows past
// the last valid one re-read the last valid row of op(A) (their pointers are clamped), so nothing
// outside the operands is read; a partial last column vector is loaded with the op set's partial
// load. One instantiation per shape and layout instead of one per edge shape (a tall wide shape also
// comes in half height: wide_has_half).
//
// The dot form (vectors along k, for the last few columns of a narrow product: blocking.hpp's
// gemm_dot) is here too: R rows by C columns of accumulators, each reduced by one horizontal sum.
#pragma once

#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "contract.hpp"

namespace lowrank::kernels {

/// The micro-kernel of kernels/contract.hpp for op set Ops: packed `run`, direct `tile`/`tile2`, the
/// dot form and the inlinable `fixed` tile. SmallLayouts: whether blocking.hpp may lay small products
/// out at compile time with `fixed` (code for speed; off where flash is scarce).
template <class Ops, index Rows2, index Rows1, bool SmallLayouts>
struct register_tile {
  static_assert(contract::check_ops<Ops>(), "see the op set's static_assert above");
  using V = Ops;                               ///< the op set
  using value_type = typename V::value_type;  ///< the scalar type
  using T = value_type;                       ///< shorthand for value_type
  using reg = typename V::reg;                ///< a vector register of `lanes` values
  using mask = typename V::mask;              ///< a lane mask for partial loads and stores
  static constexpr index lanes = V::lanes;    ///< values per register
  static constexpr index mr = Rows2;  ///< rows of the packed `run` tile
  static constexpr index nr = 2 * lanes;  ///< columns of the packed `run` tile: two registers
  static constexpr bool small_layouts = SmallLayouts;  ///< whether blocking.hpp may use `fixed` layouts
  /// k steps per pass of a tile whose op(A) rows are contiguous: the op set's `k_unroll` if it has one
  /// (contract.hpp), else 1.
  static constexpr index k_unroll = contract::k_unroll_of<Ops>();
  /// Row-tile height for a tile with `cols` live columns.
  static constexpr index rows_for(index cols) noexcept { return cols <= lanes ? Rows1 : Rows2; }
  /// Rows-adjacent op(A) with fewer rows than a vector is better read with its rows apart where op(A)
  /// is loaded by lane: a vector of k values per row instead of one value per row and k step.
  static constexpr bool few_rows_apart = contract::has_lane_ops<Ops>();

  /// The packed contract: `a` holds k groups of mr values, `b` k groups of nr values.
  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b, T* LOWRANK_RESTRICT c,
                  index ldc, T alpha, T beta) noexcept {
    const segment<T> s{a, mr, b, nr, k};
    block<Rows2, 2, true, true, false, false>(mr, nr, s, s, c, ldc, 1, alpha, beta);
  }

  /// The direct contract, one product.
  template <bool RowsAdjacent>
  static void tile(index rows, index cols, const segment<T>& s, T* c, index rsc, index csc, T alpha,
                   T beta) noexcept {
    shaped<RowsAdjacent, RowsAdjacent, false, false>(rows, cols, s, s, c, rsc, csc, alpha, beta);
  }

  /// The direct contract, two products in the same registers.
  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc,
                    index csc, T alpha, T beta) noexcept {
    shaped<RowsAdjacent1, RowsAdjacent2, true, Subtract2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
  }

  /// The dot form: C (rows x cols) = alpha (op(A1) op(B1) [+- op(A2) op(B2)]) + beta C with op(A)'s
  /// rows contiguous (a[i * as + p]) and op(B) given transposed (op(B)(p, j) = b[j * rsb + p]). Every
  /// lane does useful work whatever the width of C; each entry costs one horizontal sum.
  /// cols <= dot_cols, rows <= dot_rows(cols). No dot form below 4 lanes (dot_cols = 0).
  static constexpr index dot_cols = contract::dot_cols_of<Ops>();
  /// Row-tile height of the dot form for `cols` columns: 8 for one, 6 for two.
  static constexpr index dot_rows(index cols) noexcept { return cols <= 1 ? 8 : 6; }
  /// The dot form (above): Two adds the second product, Subtract2 subtracts it instead.
  template <bool Two, bool Subtract2>
  static void dot(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c, index rsc, index csc,
                  T alpha, T beta) noexcept {
    if constexpr (dot_cols >= 2) {
      if (cols == 2) return dot_block<6, 2, Two, Subtract2>(rows, s1, s2, c, rsc, csc, alpha, beta);
    }
    dot_block<8, 1, Two, Subtract2>(rows, s1, s2, c, rsc, csc, alpha, beta);
  }

  /// One R x (NV vectors) tile with exactly R rows, inlined where it is called: for small products
  /// whose shape is known at compile time (blocking.hpp, gemm_small). Arguments as `tile2`.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2>
  static LOWRANK_ALWAYS_INLINE void fixed(index cols, const segment<T>& s1, const segment<T>& s2,
                                          T* LOWRANK_RESTRICT c, index rsc, index csc, T alpha, T beta) noexcept {
    compute<R, NV, RA1, RA2, Two, Sub2>(R, cols, s1, s2, c, rsc, csc, alpha, beta);
  }

 private:
  /// Whether the wide tile also comes in half height, for products with at most Rows2 / 2 rows (X^T A
  /// with d = 6 under AVX-512's 12-row tile, the last 2 rows of a 10-row one under NEON's 4): a
  /// partial tile computes all its rows, so without the half such a product does up to twice its
  /// arithmetic. The half's fewer accumulators may leave part of the FMA latency uncovered, which costs
  /// less than the idle rows. Not below 4 rows (MVE's 3, where flash is scarce). Not for the narrow
  /// tile: there a half would only shorten the last row tile of a tall product, for more code than it
  /// saves.
  static constexpr bool wide_has_half = Rows2 >= 4;
  /// And in quarter height where op(A) is loaded by lane (AArch64's 8 rows: the last 2 rows of X^T A
  /// with d = 10 would otherwise do 4 rows' multiply-adds, through a load per row and k step).
  static constexpr bool wide_has_quarter = contract::has_lane_ops<Ops>() && Rows2 >= 8;

  /// The tile shape for rows x cols: wide (full or half height) or narrow.
  template <bool RA1, bool RA2, bool Two, bool Sub2>
  static LOWRANK_ALWAYS_INLINE void shaped(index rows, index cols, const segment<T>& s1, const segment<T>& s2,
                                           T* c, index rsc, index csc, T alpha, T beta) noexcept {
    if (cols > lanes) {
      if constexpr (wide_has_quarter) {
        if (rows <= Rows2 / 4) return block<Rows2 / 4, 2, RA1, RA2, Two, Sub2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
      }
      if constexpr (wide_has_half) {
        if (rows <= Rows2 / 2) return block<Rows2 / 2, 2, RA1, RA2, Two, Sub2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
      }
      return block<Rows2, 2, RA1, RA2, Two, Sub2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
    }
    block<Rows1, 1, RA1, RA2, Two, Sub2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
  }

  /// acc +- a b; `a` is a reg, or whatever the op set's broadcast gives (a scalar on MVE).
  template <bool Subtract, class A>
  static LOWRANK_ALWAYS_INLINE reg update(A a, reg b, reg acc) noexcept {
    return Subtract ? V::fnma(a, b, acc) : V::fma(a, b, acc);
  }

  /// Whether the op set multiplies by a lane (contract.hpp's fma_lane): op(A) is then loaded as vectors.
  static constexpr bool by_lane = contract::has_lane_ops<Ops>();

  /// f(std::integral_constant<index, I>) for I = 0 .. N - 1: a lane number must be a constant.
  template <class F, index... I>
  static LOWRANK_ALWAYS_INLINE void each(std::integer_sequence<index, I...>, F&& f) noexcept {
    (f(std::integral_constant<index, I>{}), ...);
  }

  /// acc +- a[L] b.
  template <bool Subtract, index L>
  static LOWRANK_ALWAYS_INLINE reg update_lane(reg a, reg b, reg acc) noexcept {
    if constexpr (Subtract) {
      return V::template fnma_lane<L>(a, b, acc);
    } else {
      return V::template fma_lane<L>(a, b, acc);
    }
  }

  /// One row's accumulators +-= a bv, with a from a broadcast; by lane 0 where the op set can, since
  /// GCC turns a subtracted broadcast into a negation per row otherwise (AArch64: fneg then fmla,
  /// where fmls by element does both).
  template <bool Subtract, index NV, class A>
  static LOWRANK_ALWAYS_INLINE void update_row(reg (&acc)[NV], A a, const reg (&bv)[NV]) noexcept {
#pragma GCC unroll 2
    for (index j = 0; j < NV; ++j) {
      if constexpr (by_lane) acc[j] = update_lane<Subtract, 0>(a, bv[j], acc[j]);
      else acc[j] = update<Subtract>(a, bv[j], acc[j]);
    }
  }

  /// Rows [0, G lanes) +-= bv times their values of op(A), lane i % lanes of av[i / lanes].
  template <bool Subtract, index G, index R, index NV>
  static LOWRANK_ALWAYS_INLINE void update_by_lane(reg (&acc)[R][NV], const reg (&av)[G], const reg (&bv)[NV]) noexcept {
    each(std::make_integer_sequence<index, G * lanes>{}, [&](auto i) LOWRANK_INLINE_LAMBDA {
      constexpr index I = decltype(i)::value;
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) acc[I][j] = update_lane<Subtract, I % lanes>(av[I / lanes], bv[j], acc[I][j]);
    });
  }

  /// The NV vectors of op(B)'s row at b, the last one partial under m when Masked.
  template <index NV, bool Masked>
  static LOWRANK_ALWAYS_INLINE void load_row(reg (&bv)[NV], const T* b, mask m) noexcept {
#pragma GCC unroll 2
    for (index j = 0; j < NV; ++j) bv[j] = (Masked && j == NV - 1) ? V::load(b + j * lanes, m) : V::load(b + j * lanes);
  }

  /// One k step with op(A)'s column of R values contiguous at a, loaded as R / lanes vectors and each
  /// row's value taken from its lane.
  template <index R, index NV, bool Subtract, bool Masked>
  static LOWRANK_ALWAYS_INLINE void step_by_lane(reg (&acc)[R][NV], const T* a, const T* b, mask m) noexcept {
    reg bv[NV];
    load_row<NV, Masked>(bv, b, m);
    reg av[R / lanes];
#pragma GCC unroll 8
    for (index g = 0; g < R / lanes; ++g) av[g] = V::load(a + g * lanes);
    update_by_lane<Subtract>(acc, av, bv);
  }

  /// `lanes` k steps with each row's op(A) values contiguous along k (row i's at at(i)): one load per
  /// row, then per step one lane of it. Returns op(B)'s row after the last step.
  template <index R, index NV, bool Subtract, bool Masked, class At>
  static LOWRANK_ALWAYS_INLINE const T* steps_by_lane(reg (&acc)[R][NV], const T* b, index rsb, mask m, At&& at) noexcept {
    reg av[R];
#pragma GCC unroll 24
    for (index i = 0; i < R; ++i) av[i] = V::load(at(i));
    each(std::make_integer_sequence<index, lanes>{}, [&](auto q) LOWRANK_INLINE_LAMBDA {
      constexpr index Q = decltype(q)::value;
      reg bv[NV];
      load_row<NV, Masked>(bv, b, m);
#pragma GCC unroll 24
      for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
        for (index j = 0; j < NV; ++j) acc[i][j] = update_lane<Subtract, Q>(av[i], bv[j], acc[i][j]);
      }
      b += rsb;
    });
    return b;
  }

  /// One k step: the NV vectors of op(B)'s row at b (the last one partial under m when Masked), the
  /// R broadcasts of op(A)'s column through `at`.
  template <index R, index NV, bool Subtract, bool Masked, class At>
  static LOWRANK_ALWAYS_INLINE void step(reg (&acc)[R][NV], const T* b, mask m, At&& at) noexcept {
    reg bv[NV];
    load_row<NV, Masked>(bv, b, m);
#pragma GCC unroll 24
    for (index i = 0; i < R; ++i) update_row<Subtract>(acc[i], V::broadcast(at(i)), bv);
  }

  /// The k loop of a partial rows-adjacent tile with at least one whole vector of valid rows: its first
  /// W whole vectors by lane, the rows after them broadcast (those past the last valid row re-read
  /// it). One loop per W, so that the lane numbers stay constants.
  template <index R, index NV, bool Subtract, bool Masked>
  static LOWRANK_ALWAYS_INLINE void accumulate_part_by_lane(reg (&acc)[R][NV], index rows, const segment<T>& s,
                                                            mask m) noexcept {
    each(std::make_integer_sequence<index, R / lanes>{}, [&](auto w) LOWRANK_INLINE_LAMBDA {
      constexpr index W = decltype(w)::value;
      if constexpr (W > 0) {
        if (rows / lanes != W) return;
        index at[R];
#pragma GCC unroll 24
        for (index i = W * lanes; i < R; ++i) at[i] = i < rows ? i : rows - 1;
        const T* LOWRANK_RESTRICT a = s.a;
        const T* LOWRANK_RESTRICT b = s.b;
#pragma GCC unroll 1
        for (index steps = s.k; steps != 0; --steps) {  // counted down, as in accumulate
          reg bv[NV];
          load_row<NV, Masked>(bv, b, m);
          reg av[W];
#pragma GCC unroll 8
          for (index g = 0; g < W; ++g) av[g] = V::load(a + g * lanes);
          update_by_lane<Subtract>(acc, av, bv);
#pragma GCC unroll 24
          for (index i = W * lanes; i < R; ++i) update_row<Subtract>(acc[i], V::broadcast(a + at[i]), bv);
          a += s.as;
          b += s.rsb;
        }
      }
    });
  }

  /// The k loop of one product over all R rows. Whole: all R rows are valid, addressed by immediates
  /// (rows adjacent) or by one pointer per three rows and the scaled-index forms (rows `as` apart).
  /// Not whole: rows >= `rows` re-read row `rows - 1` through a clamped pointer per row.
  template <index R, index NV, bool RowsAdjacent, bool Subtract, bool Masked, bool Whole>
  static LOWRANK_ALWAYS_INLINE void accumulate(reg (&acc)[R][NV], index rows, const segment<T>& s, mask m) noexcept {
    const index k = s.k, as = s.as, rsb = s.rsb;
    const T* LOWRANK_RESTRICT b = s.b;
    if constexpr (!Whole && RowsAdjacent && by_lane && R > lanes && R % lanes == 0) {
      if (rows >= lanes) return accumulate_part_by_lane<R, NV, Subtract, Masked>(acc, rows, s, m);
    }
    if constexpr (!Whole) {
      const index step_a = RowsAdjacent ? as : 1;
      const index apart = RowsAdjacent ? 1 : as;
      const T* row[R];
#pragma GCC unroll 24
      for (index i = 0; i < R; ++i) row[i] = s.a + (i < rows ? i : rows - 1) * apart;
      index p = 0;
      if constexpr (by_lane && !RowsAdjacent) {
#pragma GCC unroll 1
        for (; p + lanes <= k; p += lanes) b = steps_by_lane<R, NV, Subtract, Masked>(acc, b, rsb, m, [&](index i) { return row[i] + p; });
      }
      // Never unrolled: with k known at compile time GCC would otherwise peel the whole loop.
#pragma GCC unroll 1
      for (; p < k; ++p) {
        const index off = p * step_a;
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return row[i] + off; });
        b += rsb;
      }
    } else if constexpr (RowsAdjacent && by_lane && R % lanes == 0) {
      const T* LOWRANK_RESTRICT a = s.a;
      // Two steps per pass, counted down to zero: the loop's own instructions are a quarter of a
      // by-lane step's, and GCC keeps (and copies) an up-counter beside the pointers. Not ended on a
      // pointer: a stride may be 0 (a view repeating one row).
#pragma GCC unroll 1
      for (index passes = k / 2; passes != 0; --passes) {
        step_by_lane<R, NV, Subtract, Masked>(acc, a, b, m);
        step_by_lane<R, NV, Subtract, Masked>(acc, a + as, b + rsb, m);
        a += 2 * as;
        b += 2 * rsb;
      }
      if (k % 2 != 0) step_by_lane<R, NV, Subtract, Masked>(acc, a, b, m);
    } else if constexpr (RowsAdjacent) {
      const T* LOWRANK_RESTRICT a = s.a;
#pragma GCC unroll 1
      for (index p = 0; p < k; ++p) {
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return a + i; });
        a += as;
        b += rsb;
      }
    } else if constexpr (k_unroll > 1) {
      // One pointer per row, moved once per k_unroll steps: the loads take immediate offsets, for ISAs
      // without indexed addressing (RISC-V) and enough address registers for a pointer per row.
      const T* row[R];
#pragma GCC unroll 24
      for (index i = 0; i < R; ++i) row[i] = s.a + i * as;
      index p = 0;
#pragma GCC unroll 1
      for (; p + k_unroll <= k; p += k_unroll) {
#pragma GCC unroll 8
        for (index q = 0; q < k_unroll; ++q) {
          step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return row[i] + q; });
          b += rsb;
        }
#pragma GCC unroll 24
        for (index i = 0; i < R; ++i) row[i] += k_unroll;
      }
#pragma GCC unroll 1
      for (; p < k; ++p) {
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return row[i]; });
        b += rsb;
#pragma GCC unroll 24
        for (index i = 0; i < R; ++i) ++row[i];
      }
    } else {
      // One pointer per three rows, each serving rows r, r + 1 and r + 2 through base + {0, 1, 2} * as:
      // 12 rows need 4 address registers, not 12.
      constexpr index bases = (R + 2) / 3;
      const T* base[bases];
#pragma GCC unroll 8
      for (index g = 0; g < bases; ++g) base[g] = s.a + 3 * g * as;
      index p = 0;
      if constexpr (by_lane) {
        p = k - k % lanes;
#pragma GCC unroll 1
        for (index passes = k / lanes; passes != 0; --passes) {  // counted down, as above
          b = steps_by_lane<R, NV, Subtract, Masked>(acc, b, rsb, m, [&](index i) { return base[i / 3] + (i % 3) * as; });
#pragma GCC unroll 8
          for (index g = 0; g < bases; ++g) base[g] += lanes;
        }
      }
#pragma GCC unroll 1
      for (; p < k; ++p) {
        step<R, NV, Subtract, Masked>(acc, b, m, [&](index i) { return base[i / 3] + (i % 3) * as; });
#pragma GCC unroll 8
        for (index g = 0; g < bases; ++g) ++base[g];
        b += rsb;
      }
    }
  }

  /// Whether a tile accumulates -(op(A1) op(B1) - op(A2) op(B2)) and negates alpha: the same values
  /// exactly (negation is exact), with the subtraction on the first product, the short one in the
  /// gradients X (Y^T Y) - A Y. It matters where a subtraction costs more than an addition (MVE's
  /// vector-by-scalar VFMA has no subtracting form: each step negates its op(B) vectors).
  template <bool Two, bool Sub2>
  static constexpr bool negated = Two && Sub2;

  /// Both products of a tile through `accumulate`, whole or clamped, masked or not; the first one
  /// subtracted when `negated`.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2, bool Whole>
  static LOWRANK_ALWAYS_INLINE void accumulate_all(reg (&acc)[R][NV], index rows, index tail, const segment<T>& s1,
                                                   const segment<T>& s2) noexcept {
    const mask m = V::first(tail);
    constexpr bool neg = negated<Two, Sub2>;
    if constexpr (contract::partial_loads_free_of<Ops>()) {  // one loop, the last vector always partial
      accumulate<R, NV, RA1, neg, true, Whole>(acc, rows, s1, m);
      if constexpr (Two) accumulate<R, NV, RA2, false, true, Whole>(acc, rows, s2, m);
    } else if (tail == lanes) {
      accumulate<R, NV, RA1, neg, false, Whole>(acc, rows, s1, m);
      if constexpr (Two) accumulate<R, NV, RA2, false, false, Whole>(acc, rows, s2, m);
    } else {
      accumulate<R, NV, RA1, neg, true, Whole>(acc, rows, s1, m);
      if constexpr (Two) accumulate<R, NV, RA2, false, true, Whole>(acc, rows, s2, m);
    }
  }

  /// The tile: accumulate, then C = alpha acc + beta C on the valid rows x cols.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2>
  static LOWRANK_ALWAYS_INLINE void compute(index rows, index cols, const segment<T>& s1, const segment<T>& s2,
                                            T* LOWRANK_RESTRICT c, index rsc, index csc, T alpha, T beta) noexcept {
    reg acc[R][NV];
#pragma GCC unroll 24
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) acc[i][j] = V::zero();
    }
    const index tail = cols - (NV - 1) * lanes;  // live lanes of the last column vector, 1..lanes
    if (rows == R) accumulate_all<R, NV, RA1, RA2, Two, Sub2, true>(acc, rows, tail, s1, s2);
    else accumulate_all<R, NV, RA1, RA2, Two, Sub2, false>(acc, rows, tail, s1, s2);
    const reg va = V::splat(negated<Two, Sub2> ? -alpha : alpha);
    if (rows == R && csc == 1) {
      const mask m = V::first(tail);
      const reg vb = V::splat(beta);
#pragma GCC unroll 24
      for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
        for (index j = 0; j < NV; ++j) {
          T* cij = c + i * rsc + j * lanes;
          const bool whole = j < NV - 1 || tail == lanes;
          if (beta == T(0)) {  // C is written, never read
            if (whole) V::store(cij, V::mul(va, acc[i][j]));
            else V::store(cij, V::mul(va, acc[i][j]), tail);
          } else if (whole) {
            V::store(cij, V::fma(va, acc[i][j], V::mul(vb, V::load(cij))));
          } else {
            V::store(cij, V::fma(va, acc[i][j], V::mul(vb, V::load(cij, m))), tail);
          }
        }
      }
      return;
    }
    // A partial tile, or C with strided columns (a transposed result): the full tile to a local
    // array, then its valid part to C.
    alignas(storage_alignment) T out[R][NV * lanes];
#pragma GCC unroll 24
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < NV; ++j) V::store(&out[i][j * lanes], V::mul(va, acc[i][j]));
    }
    store_part(rows, cols, &out[0][0], NV * lanes, c, rsc, csc, beta);
  }

  /// C = out + beta C on rows x cols (beta == 0: C written, never read).
  static void store_part(index rows, index cols, const T* out, index ldo, T* c, index rsc, index csc,
                         T beta) noexcept {
    for (index i = 0; i < rows; ++i) {
      for (index j = 0; j < cols; ++j) {
        T& x = c[i * rsc + j * csc];
        x = beta == T(0) ? out[i * ldo + j] : out[i * ldo + j] + beta * x;
      }
    }
  }

  // Kept out of line: inlined into a caller with its own live values, the accumulators spill.
  template <index R, index NV, bool RA1, bool RA2, bool Two, bool Sub2>
  __attribute__((noinline)) static void block(index rows, index cols, const segment<T>& s1, const segment<T>& s2, T* c,
                                              index rsc, index csc, T alpha, T beta) noexcept {
    compute<R, NV, RA1, RA2, Two, Sub2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
  }

  /// acc[i][j] +-= sum over p of a_i[p] bt_j[p], a vector of k at a time, the last one partial; rows
  /// past `rows` re-read the last valid row.
  template <index R, index C, bool Subtract>
  static LOWRANK_ALWAYS_INLINE void dot_accumulate(reg (&acc)[R][C], index rows, const segment<T>& s) noexcept {
    const T* row[R];
#pragma GCC unroll 8
    for (index i = 0; i < R; ++i) row[i] = s.a + (i < rows ? i : rows - 1) * s.as;
    index p = 0;
    for (; p + lanes <= s.k; p += lanes) {
      reg bv[C];
#pragma GCC unroll 2
      for (index j = 0; j < C; ++j) bv[j] = V::load(s.b + j * s.rsb + p);
#pragma GCC unroll 8
      for (index i = 0; i < R; ++i) {
        const reg ai = V::load(row[i] + p);
#pragma GCC unroll 2
        for (index j = 0; j < C; ++j) acc[i][j] = update<Subtract>(ai, bv[j], acc[i][j]);
      }
    }
    if (p < s.k) {
      const mask m = V::first(s.k - p);
      reg bv[C];
#pragma GCC unroll 2
      for (index j = 0; j < C; ++j) bv[j] = V::load(s.b + j * s.rsb + p, m);
#pragma GCC unroll 8
      for (index i = 0; i < R; ++i) {
        const reg ai = V::load(row[i] + p, m);
#pragma GCC unroll 2
        for (index j = 0; j < C; ++j) acc[i][j] = update<Subtract>(ai, bv[j], acc[i][j]);
      }
    }
  }

  template <index R, index C, bool Two, bool Sub2>
  __attribute__((noinline)) static void dot_block(index rows, const segment<T>& s1, const segment<T>& s2,
                                                  T* LOWRANK_RESTRICT c, index rsc, index csc, T alpha,
                                                  T beta) noexcept {
    reg acc[R][C];
#pragma GCC unroll 8
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < C; ++j) acc[i][j] = V::zero();
    }
    dot_accumulate<R, C, negated<Two, Sub2>>(acc, rows, s1);
    if constexpr (Two) dot_accumulate<R, C, false>(acc, rows, s2);
    if constexpr (negated<Two, Sub2>) alpha = -alpha;
    T out[R][C];
#pragma GCC unroll 8
    for (index i = 0; i < R; ++i) {
#pragma GCC unroll 2
      for (index j = 0; j < C; ++j) out[i][j] = alpha * V::sum(acc[i][j]);
    }
    store_part(rows, C, &out[0][0], C, c, rsc, csc, beta);
  }
};

}  // namespace lowrank::kernels
