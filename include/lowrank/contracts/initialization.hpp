// The initialization contract: an initialization is a small struct of parameters with
//   status validate() const;                       its parameters in range; writes nothing
//   static constexpr bool needs_data_products;     (optional) samples A's column span: the problem
//                                                  must offer data_times / data_transpose_times
//   static constexpr bool tiny_product;            (optional) X_0 Y_0^T is far smaller than A, which
//                                                  a method with needs_product_of_data_size refuses
//   static constexpr bool start_may_be_exact;      (optional) the start can already be the answer (a
//                                                  projection of A): its error is measured exactly
//                                                  before any gradient, which is skipped if it meets
//                                                  the target (unless the problem's residual reads
//                                                  the gradient's state: contracts/problem.hpp)
// and an overload of init::start(init, problem, eta, x, y, w) (or (init, problem, eta, x, w) for a
// symmetric problem) in namespace lowrank::init that sets the start in problem units for a validated
// problem and the method's step eta (problem units) and returns ok or why not.
#pragma once

#include <type_traits>
#include <utility>

#include "detect.hpp"
#include "problem.hpp"

namespace lowrank::contracts {

template <class I>
using init_validate_op = decltype(std::declval<const I&>().validate());
template <class I>
using init_flag_op = std::bool_constant<I::needs_data_products>;
template <class I>
using init_value_type_op = typename I::value_type;
template <class I>
using init_tiny_op = std::bool_constant<I::tiny_product>;
template <class I>
using init_exact_op = std::bool_constant<I::start_may_be_exact>;
template <class M>
using method_product_size_op = std::bool_constant<M::needs_product_of_data_size>;

template <class I>
constexpr bool init_needs_data_products() {
  return flag_or_false<init_flag_op, I>();
}

template <class I>
constexpr bool init_has_tiny_product() {
  return flag_or_false<init_tiny_op, I>();
}

template <class I>
constexpr bool init_start_may_be_exact() {
  return flag_or_false<init_exact_op, I>();
}

template <class M>
constexpr bool method_needs_product_of_data_size() {
  return flag_or_false<method_product_size_op, M>();
}

/// True unless the initialization has a value_type (init::proposed<T>) other than T.
template <class I, class T>
constexpr bool init_scalar_is() {
  if constexpr (is_detected<init_value_type_op, I>) return std::is_same_v<typename I::value_type, T>;
  return true;
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
  constexpr bool scalar_ok = init_scalar_is<I, typename P::value_type>();
  static_assert(scalar_ok, "lowrank: the initialization's scalar type is not the problem's (init::proposed<float> "
                           "on a double matrix?): write init::proposed<T> with the problem's T");
  return has_validate && data_ok && scalar_ok;
}

/// Whether method M can run from start I: a method that moves both factors at once with
/// preconditioned steps (simultaneous ScaledGD) overshoots by about ||A|| / ||X_0 Y_0^T|| from a
/// start whose product is tiny (the cross term of its two steps), so it refuses init::proposed.
template <class M, class I>
constexpr bool check_start() {
  constexpr bool tiny = init_has_tiny_product<I>();
  constexpr bool needs_size = method_needs_product_of_data_size<M>();
  static_assert(!(tiny && needs_size), "lowrank: methods::scaled_gd moves X and Y at once and overshoots from "
                                       "init::proposed, whose X_0 Y_0^T is nu A (tiny): start it from init::nystrom "
                                       "(or random, colspan), or use methods::scaled_agd or precgd");
  return !(tiny && needs_size);
}

}  // namespace lowrank::contracts
