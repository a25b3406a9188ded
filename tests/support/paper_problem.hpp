// The test problems of Ward & Kolda, Section 6: A = U Sigma V^T, 100 x 100, rank 5, U and V random
// orthonormal, singular values evenly from 1 down to 0.9, optionally with noise (Fig. 4).
#pragma once

#include <random>

#include <lowrank/matrix.hpp>

#include "support/svd.hpp"

namespace lowrank::test {

inline constexpr index paper_m = 100;
inline constexpr index paper_n = 100;
inline constexpr index paper_r = 5;

/// Fills A with the paper's matrix (seeded); returns the planted factorization (U, s, V in double).
template <class T>
SvdResult make_paper_matrix(Matrix<T, paper_m, paper_n>& a, std::uint64_t seed = 1, double noise = 0.0) {
  std::mt19937_64 rng(seed);
  return make_low_rank(a, linspace(paper_r, 1.0, 0.9), rng, noise);
}

}  // namespace lowrank::test
