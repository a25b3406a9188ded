// The data scan behind every problem's validate() (data_scale.hpp) against a long double reference:
// the same squared norm and scale whether A is dense, a transposed (strided) view or a block whose
// rows are contiguous but not adjacent; Inf and NaN anywhere, including past the last whole block of
// 64 values, give invalid_input; signed zeros are zero.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <lowrank/problems/full.hpp>

namespace lowrank::test {
namespace {

template <class T>
class DataScan : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(DataScan, Scalars);

/// ||A||_F^2 / s^2 for the problem's s, in long double.
template <class V>
long double reference_norm_squared(V a, long double unit) {
  long double sum = 0;
  for (index i = 0; i < V::rows; ++i)
    for (index j = 0; j < V::cols; ++j) sum += static_cast<long double>(a(i, j)) * a(i, j);
  return sum / (unit * unit);
}

TYPED_TEST(DataScan, DenseStridedAndBlockViewsMeasureAlike) {
  using T = TypeParam;
  std::mt19937_64 rng(31);
  std::normal_distribution<double> gaussian;
  static Matrix<T, 37, 53> a;  // 1961 values: 30 blocks of 64 and a tail of 41
  for (index i = 0; i < 37; ++i)
    for (index j = 0; j < 53; ++j) a(i, j) = static_cast<T>(1e3 * gaussian(rng));
  const double tolerance = 8.0 * static_cast<double>(std::numeric_limits<T>::epsilon());
  auto dense = problems::full(a);
  ASSERT_EQ(dense.validate(), status::ok);
  const long double expected = reference_norm_squared(a.view(), dense.scale().unit);
  EXPECT_NEAR(dense.norm_squared(), static_cast<double>(expected), tolerance * static_cast<double>(expected));
  auto strided = problems::full(transpose(a.view()));
  ASSERT_EQ(strided.validate(), status::ok);
  EXPECT_EQ(strided.scale().unit, dense.scale().unit);
  EXPECT_NEAR(strided.norm_squared(), dense.norm_squared(), tolerance * dense.norm_squared());
  const auto part = block<2, 3, 30, 40>(a.view());
  auto rows = problems::full(part);
  ASSERT_EQ(rows.validate(), status::ok);
  const long double expected_part = reference_norm_squared(part, rows.scale().unit);
  EXPECT_NEAR(rows.norm_squared(), static_cast<double>(expected_part), tolerance * static_cast<double>(expected_part));
}

TYPED_TEST(DataScan, NonFiniteAnywhereIsInvalidInput) {
  using T = TypeParam;
  static Matrix<T, 37, 53> a;
  for (const T bad : {std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                      std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::quiet_NaN()})
    for (const index at : {index(0), index(63), index(64), index(37 * 53 - 1)}) {
      fill(a, T(1));
      a(at / 53, at % 53) = bad;
      auto dense = problems::full(a);
      EXPECT_EQ(dense.validate(), status::invalid_input) << bad << " at " << at;
      auto strided = problems::full(transpose(a.view()));
      EXPECT_EQ(strided.validate(), status::invalid_input) << bad << " at " << at << ", strided";
    }
}

TYPED_TEST(DataScan, SignedZerosAreZeroAndTheLargestNormalIsOutOfRange) {
  using T = TypeParam;
  static Matrix<T, 5, 7> a;
  fill(a, T(-0.0));
  a(2, 3) = T(0);
  auto zero = problems::full(a);
  EXPECT_EQ(zero.validate(), status::zero_input);
  a(4, 6) = std::numeric_limits<T>::max();
  auto huge = problems::full(a);
  EXPECT_EQ(huge.validate(), status::out_of_range);
  a(4, 6) = -std::numeric_limits<T>::denorm_min();  // the smallest magnitude is still data
  auto tiny = problems::full(a);
  EXPECT_EQ(tiny.validate(), status::ok);
}

}  // namespace
}  // namespace lowrank::test
