// The initialization contract: an initialization is a small struct of parameters with
//   status validate() const;                       its parameters in range; writes nothing
//   static constexpr bool needs_data_products;     (optional) samples A's column span: the problem
//                                                  must offer data_times / data_transpose_times
// and an overload of init::start(init, problem, eta, x, y, w) (or (init, problem, eta, x, w) for a
// symmetric problem) in namespace lowrank::init that sets the start in problem units for a validated
// problem and the method's step eta (problem units) and returns ok or why not.
#pragma once

#include <utility>

#include "detect.hpp"
#include "problem.hpp"

namespace lowrank::contracts {

template <class I>
using init_validate_op = decltype(std::declval<const I&>().validate());
template <class I>
using init_flag_op = decltype(I::needs_data_products);

template <class I>
constexpr bool init_needs_data_products() {
  if constexpr (is_detected<init_flag_op, I>) return I::needs_data_products;
  return false;
}

/// The checks made of an initialization on problem P with workspace W, one static_assert each.
template <class I, class P, class W>
constexpr bool check_initialization() {
  constexpr bool has_validate = is_detected<init_validate_op, I>;
  constexpr bool data_ok = !init_needs_data_products<I>() || has_data_products<P, W>;
  static_assert(has_validate, "lowrank: the initialization has no `status validate() const` "
                              "(see contracts/initialization.hpp)");
  static_assert(data_ok, "lowrank: this initialization (init::proposed, colspan or nystrom) samples the column "
                         "span of A and needs problem.data_times / data_transpose_times, which this problem "
                         "lacks (problems::sensing has no matrix): start it from init::random");
  return has_validate && data_ok;
}

}  // namespace lowrank::contracts
