// The detection idiom (C++17): is_detected<Op, Args...> is true when Op<Args...> is a valid type.
// The contracts use it to turn a missing capability into one static_assert with a sentence, instead
// of an overload-resolution failure deep inside a template.
#pragma once

#include <type_traits>

namespace lowrank::contracts {

namespace detail {
template <class, template <class...> class Op, class... Args>
struct detector : std::false_type {};
template <template <class...> class Op, class... Args>
struct detector<std::void_t<Op<Args...>>, Op, Args...> : std::true_type {};
}  // namespace detail

template <template <class...> class Op, class... Args>
constexpr bool is_detected = detail::detector<void, Op, Args...>::value;

/// The value of an optional `static constexpr bool` flag of C, false where C does not declare it.
/// Flag<C> names the flag as std::bool_constant<C::flag>, which is detected only where it exists.
template <template <class> class Flag, class C>
constexpr bool flag_or_false() {
  if constexpr (is_detected<Flag, C>) return Flag<C>::value;
  return false;
}

/// Method flags (contracts/method.hpp).
template <class M>
using flag_op_residual_times = std::bool_constant<M::needs_residual_times>;

}  // namespace lowrank::contracts
