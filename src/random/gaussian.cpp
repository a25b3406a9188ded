// The compiled part of the random generator: the Box-Muller generator for float and double, and the
// raw-array fills that the Matrix/View fills fall back on for contiguous rows.
#include "lowrank/random/gaussian.hpp"

namespace lowrank::random {

template class GaussianGenerator<float>;
template class GaussianGenerator<double>;

namespace {
template <class T>
void fill_gaussian_array(GaussianGenerator<T>& generator, T* first, index count) noexcept {
  for (index k = 0; k < count; ++k) first[k] = generator.next();
}
}  // namespace

void fill_gaussian(GaussianGenerator<float>& generator, float* first, index count) noexcept {
  fill_gaussian_array(generator, first, count);
}

void fill_gaussian(GaussianGenerator<double>& generator, double* first, index count) noexcept {
  fill_gaussian_array(generator, first, count);
}

}  // namespace lowrank::random
