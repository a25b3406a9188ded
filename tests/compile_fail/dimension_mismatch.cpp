// Each CASE must fail to compile with the static_assert message its test expects (tests/CMakeLists.txt).
#include <lowrank/lowrank.hpp>

using namespace lowrank;

#if defined(CASE_GEMM_INNER)
void f(Matrix<float, 4, 5>& a, Matrix<float, 6, 3>& b, Matrix<float, 4, 3>& c) { gemm(1.0f, a, b, 0.0f, c); }
#elif defined(CASE_GEMM_ROWS)
void f(Matrix<float, 4, 5>& a, Matrix<float, 5, 3>& b, Matrix<float, 7, 3>& c) { gemm(1.0f, a, b, 0.0f, c); }
#elif defined(CASE_GEMM_SCALAR)
void f(Matrix<float, 4, 5>& a, Matrix<double, 5, 3>& b, Matrix<float, 4, 3>& c) { gemm(1.0f, a, b, 0.0f, c); }
#elif defined(CASE_BLOCK_RANGE)
void f(Matrix<float, 4, 5>& a) { block<3, 0, 2, 2>(a.view()); }
#elif defined(CASE_RANK_TOO_LARGE)
Workspace<float, 8, 6, 7> w;
#elif defined(CASE_SOLVE_SHAPES)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 8, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<float>(0.1f), x, y, w);
}
#elif defined(CASE_SOLVE_X_ROWS)
void f(Matrix<float, 8, 6>& a, Matrix<float, 7, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<float>(), x, y, w);
}
#elif defined(CASE_SOLVE_RANKS)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 3>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<float>(), x, y, w);
}
#elif defined(CASE_WORKSPACE_SIZE)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 5, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::scaled_agd<float>(), init::nystrom{}, x, y, w);
}
#elif defined(CASE_WORKSPACE_SCALAR)
void f(Matrix<double, 8, 6>& a, Matrix<double, 8, 2>& x, Matrix<double, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<double>(), x, y, w);
}
#elif defined(CASE_FEEDBACK_ON_ROBUST)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, RobustWorkspace<float, 8, 6, 2>& w) {
  auto p = problems::robust(a, problems::robust_options<float>{});
  solve(p, methods::feedback_alignment<float, 6, 2>(), x, y, w);
}
#elif defined(CASE_SCALED_GD_FROM_PROPOSED)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::scaled_gd<float>(), init::proposed<float>{}, x, y, w);
}
#elif defined(CASE_FLOAT_METHOD_ON_DOUBLE)
void f(Matrix<double, 8, 6>& a, Matrix<double, 8, 2>& x, Matrix<double, 6, 2>& y, Workspace<double, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<float>(), init::random{}, x, y, w);
}
#elif defined(CASE_FLOAT_START_ON_DOUBLE)
void f(Matrix<double, 8, 6>& a, Matrix<double, 8, 2>& x, Matrix<double, 6, 2>& y, Workspace<double, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, methods::agd<double>(), init::proposed<float>{}, x, y, w);
}
#elif defined(CASE_ROBUST_WORKSPACE)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::robust(a, problems::robust_options<float>{});
  solve(p, methods::agd<float>(), init::random{}, x, y, w);
}
#elif defined(CASE_AGD_SYMMETRIC)
void f(Matrix<float, 6, 6>& a, Matrix<float, 6, 2>& x, SymmetricWorkspace<float, 6, 2>& w) {
  auto p = problems::symmetric(a);
  solve_symmetric(p, methods::agd<float>(), x, w);
}
#elif defined(CASE_SYMMETRIC_IN_SOLVE)
void f(Matrix<float, 6, 6>& a, Matrix<float, 6, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 6, 6, 2>& w) {
  auto p = problems::symmetric(a);
  solve(p, methods::scaled_gd<float>(), x, y, w);
}
#elif defined(CASE_SENSING_WORKSPACE)
void f(Matrix<float, 10, 1>& b, Matrix<float, 6, 2>& x, SymmetricWorkspace<float, 6, 2>& w) {
  auto p = problems::sensing<6>(1, b);
  solve_symmetric(p, methods::precgd<float>(), x, w);
}
#elif defined(CASE_NYSTROM_ON_SENSING)
void f(Matrix<float, 10, 1>& b, Matrix<float, 6, 2>& x, SensingWorkspace<float, 6, 2>& w) {
  auto p = problems::sensing<6>(1, b);
  solve_symmetric(p, methods::precgd<float>(), init::nystrom{}, x, w);
}
#elif defined(CASE_TOY_METHOD_WITHOUT_BEGIN)
struct toy_method {  // a method written in a test, missing one capability of contracts/method.hpp
  using value_type = float;
  struct state {
    float step = 0.1f;
  };
  status validate() const noexcept { return status::ok; }
  template <class P, class X, class Y, class W>
  evaluation evaluate(const P&, const X&, const Y&, W&, state&) const noexcept { return {}; }
  template <class P, class X, class Y, class W>
  void advance(const P&, X&, Y&, W&, state&) const noexcept {}
};
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  solve(p, toy_method{}, x, y, w);
}
#elif defined(CASE_TOY_PROBLEM_WITHOUT_RESIDUAL)
struct toy_problem {  // a problem written in a test, missing residual_norm_squared
  using value_type = float;
  static constexpr index rows = 8, cols = 6;
  status validate() noexcept { return status::ok; }
  double norm_squared() const noexcept { return 1.0; }
  const data_scale<float>& scale() const noexcept { return scale_; }
  template <class X, class Y, class G, class Grad, class W>
  double gradient_x(const X&, const Y&, const G&, const G&, Grad&, W&) const noexcept { return 0.0; }
  template <class X, class Y, class G, class Grad, class W>
  void gradient_y(const X&, const Y&, const G&, Grad&, W&) const noexcept {}
  data_scale<float> scale_;
};
void f(Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  toy_problem p;
  solve(p, methods::agd<float>(0.1f), x, y, w);
}
#elif defined(CASE_SCALAR_TYPE)
Matrix<int, 2, 2> m;
#elif defined(CASE_MAKE_SOLVER_SHAPES)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 8, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  const methods::agd<float> method;
  auto run = make_solver(p, method, x, y, w);
  (void)run;
}
#elif defined(CASE_MAKE_SOLVER_TEMPORARY_METHOD)
void f(Matrix<float, 8, 6>& a, Matrix<float, 8, 2>& x, Matrix<float, 6, 2>& y, Workspace<float, 8, 6, 2>& w) {
  auto p = problems::full(a);
  auto run = make_solver(p, methods::agd<float>(), x, y, w);  // the solver would keep a dangling method
  (void)run;
}
#else
#error "no CASE defined"
#endif
