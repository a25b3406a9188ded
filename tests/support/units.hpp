// Problems and methods work in problem units (the data over s, the factors over sqrt(s); see
// data_scale.hpp). These helpers call them with factors in the user's units and give the results back
// in the user's units, so that tests compare them with plain loops on A itself.
#pragma once

#include <lowrank/lowrank.hpp>

namespace lowrank::test {

/// Copies of X and Y in problem units.
template <class P, class MX>
auto in_problem_units(const P& problem, const MX& x) {
  auto copy_of_x = x;
  scale(problem.scale().inverse_root, copy_of_x);
  return copy_of_x;
}

/// grad_X f and grad_Y f at (X, Y) (user's units) into w.grad_x and w.grad_y (user's units), with
/// w.gram_x and w.gram_y the problem-unit Grams; returns f(X, Y) in the user's units.
template <class P, class MX, class MY, class W>
double user_gradients(const P& problem, const MX& x, const MY& y, W& w) {
  const auto xs = in_problem_units(problem, x);
  const auto ys = in_problem_units(problem, y);
  gram(xs, w.gram_x, w.gemm);
  gram(ys, w.gram_y, w.gemm);
  const double f = problem.gradient_x(xs, ys, w.gram_x, w.gram_y, w.grad_x, w);
  problem.gradient_y(xs, ys, w.gram_x, w.grad_y, w);
  const auto s = problem.scale();
  scale(s.unit * s.root, w.grad_x);
  scale(s.unit * s.root, w.grad_y);
  return f * static_cast<double>(s.unit) * static_cast<double>(s.unit);
}

/// ||A - X Y^T||^2 as the problem computes it (user's units in and out).
template <class P, class MX, class MY, class W>
double user_residual(const P& problem, const MX& x, const MY& y, W& w) {
  const double unit = static_cast<double>(problem.scale().unit);
  return problem.residual_norm_squared(in_problem_units(problem, x), in_problem_units(problem, y), w) * unit * unit;
}

/// ||A - X X^T||^2 as a symmetric problem computes it.
template <class P, class MX, class W>
double user_residual(const P& problem, const MX& x, W& w) {
  const double unit = static_cast<double>(problem.scale().unit);
  return problem.residual_norm_squared(in_problem_units(problem, x), w) * unit * unit;
}

/// The problem's norm_squared() in the user's units.
template <class P>
double user_norm_squared(const P& problem) {
  const double unit = static_cast<double>(problem.scale().unit);
  return problem.norm_squared() * unit * unit;
}

/// One iteration of `method` from (X, Y) (user's units, updated in place): begin, evaluate, advance,
/// as the driver does. Returns f(X_t, Y_t) in the user's units.
template <class P, class M, class MX, class MY, class W>
double user_step(const P& problem, const M& method, MX& x, MY& y, W& w) {
  typename M::state state;
  method.begin(problem, w, state);
  const auto s = problem.scale();
  scale(s.inverse_root, x);
  scale(s.inverse_root, y);
  const double f = method.evaluate(problem, x, y, w, state).loss;
  method.advance(problem, x, y, w, state);
  scale(s.root, x);
  scale(s.root, y);
  return f * static_cast<double>(s.unit) * static_cast<double>(s.unit);
}

/// The same for a symmetric problem.
template <class P, class M, class MX, class W>
double user_step(const P& problem, const M& method, MX& x, W& w) {
  typename M::state state;
  method.begin(problem, w, state);
  const auto s = problem.scale();
  scale(s.inverse_root, x);
  const double f = method.evaluate(problem, x, w, state).loss;
  method.advance(problem, x, w, state);
  scale(s.root, x);
  return f * static_cast<double>(s.unit) * static_cast<double>(s.unit);
}

}  // namespace lowrank::test

namespace lowrank::test {

/// grad f at X (user's units) of a symmetric problem into w.grad_x (user's units), with w.gram_x the
/// problem-unit Gram; returns f(X) in the user's units.
template <class P, class MX, class W>
double user_gradient(const P& problem, const MX& x, W& w) {
  const auto xs = in_problem_units(problem, x);
  gram(xs, w.gram_x, w.gemm);
  const double f = problem.gradient(xs, w.gram_x, w.grad_x, w);
  const auto s = problem.scale();
  scale(s.unit * s.root, w.grad_x);
  return f * static_cast<double>(s.unit) * static_cast<double>(s.unit);
}

}  // namespace lowrank::test
