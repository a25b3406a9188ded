// Dimension checks at the entry points, before anything deeper is instantiated: one static_assert
// per mistake, and the compiler's "in instantiation of ... <expected, given>" line right above it
// shows the two sizes.
#pragma once

#include <type_traits>

#include "../config.hpp"

namespace lowrank::contracts {

template <index Expected, index Given>
struct rows_of_x_must_equal_rows_of_a {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: X must be m x d for an m x n problem (<m, X's rows> above)");
};
template <index Expected, index Given>
struct rows_of_y_must_equal_columns_of_a {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: Y must be n x d for an m x n problem (<n, Y's rows> above)");
};
template <index Expected, index Given>
struct columns_of_y_must_equal_columns_of_x {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: X and Y must have the same number of columns d (<X's d, Y's d> above)");
};
template <index Rank, index M, index N>
struct rank_must_be_between_1_and_min_m_n {
  static constexpr bool value = Rank >= 1 && Rank <= M && Rank <= N;
  static_assert(value, "lowrank: the factor rank d must satisfy 1 <= d <= min(m, n) (<d, m, n> above)");
};
template <index Expected, index Given>
struct workspace_rows_must_equal_rows_of_a {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: the workspace was declared for another m (<m, the workspace's m> above)");
};
template <index Expected, index Given>
struct workspace_columns_must_equal_columns_of_a {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: the workspace was declared for another n (<n, the workspace's n> above)");
};
template <index Expected, index Given>
struct workspace_rank_must_equal_d {
  static constexpr bool value = Expected == Given;
  static_assert(value, "lowrank: the workspace was declared for another rank d (<d, the workspace's d> above)");
};
template <bool Same>
struct workspace_scalar_must_be_the_problems {
  static constexpr bool value = Same;
  static_assert(value, "lowrank: the workspace, the factors and the problem must have the same scalar type");
};

/// All of them for an m x n problem P, factors X (m x d) and Y (n x d), workspace W.
template <class P, class X, class Y, class W>
constexpr bool check_shapes() {
  return rows_of_x_must_equal_rows_of_a<P::rows, X::rows>::value &&
         rows_of_y_must_equal_columns_of_a<P::cols, Y::rows>::value &&
         columns_of_y_must_equal_columns_of_x<X::cols, Y::cols>::value &&
         rank_must_be_between_1_and_min_m_n<X::cols, P::rows, P::cols>::value &&
         workspace_rows_must_equal_rows_of_a<P::rows, W::rows>::value &&
         workspace_columns_must_equal_columns_of_a<P::cols, W::cols>::value &&
         workspace_rank_must_equal_d<X::cols, W::rank>::value &&
         workspace_scalar_must_be_the_problems<std::is_same_v<typename P::value_type, typename W::value_type> &&
                                               std::is_same_v<typename P::value_type, typename X::value_type> &&
                                               std::is_same_v<typename P::value_type, typename Y::value_type>>::value;
}

}  // namespace lowrank::contracts
