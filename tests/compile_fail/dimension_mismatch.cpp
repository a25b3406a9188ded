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
#elif defined(CASE_SCALAR_TYPE)
Matrix<int, 2, 2> m;
#else
#error "no CASE defined"
#endif
