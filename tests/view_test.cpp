// Views: element addressing, sub-blocks and transposes see the owning matrix's memory, no copies.
#include <gtest/gtest.h>

#include <lowrank/matrix.hpp>

namespace lowrank::test {
namespace {

Matrix<double, 4, 5> numbered() {
  Matrix<double, 4, 5> m;
  for (index i = 0; i < 4; ++i)
    for (index j = 0; j < 5; ++j) m(i, j) = 10.0 * static_cast<double>(i) + static_cast<double>(j);
  return m;
}

TEST(View, MatrixIsRowMajorAndAligned) {
  Matrix<double, 4, 5> m = numbered();
  EXPECT_EQ(m.data()[1 * 5 + 3], 13.0);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.data()) % storage_alignment, 0u);
  static_assert(sizeof(Matrix<float, 100, 100>) == 100 * 100 * sizeof(float), "storage is inline");
}

TEST(View, TransposeSwapsIndicesWithoutCopying) {
  Matrix<double, 4, 5> m = numbered();
  View<double, 5, 4> t = transpose(m);
  static_assert(decltype(t)::rows == 5 && decltype(t)::cols == 4);
  for (index i = 0; i < 5; ++i)
    for (index j = 0; j < 4; ++j) EXPECT_EQ(t(i, j), m(j, i));
  t(2, 1) = -1.0;
  EXPECT_EQ(m(1, 2), -1.0);
  EXPECT_EQ(transpose(t).data(), m.data());
}

TEST(View, BlockAddressesTheParent) {
  Matrix<double, 4, 5> m = numbered();
  auto b = block<1, 2, 2, 3>(m.view());
  static_assert(decltype(b)::rows == 2 && decltype(b)::cols == 3);
  EXPECT_EQ(b(0, 0), 12.0);
  EXPECT_EQ(b(1, 2), 24.0);
  auto bt = block<1, 0, 2, 2>(transpose(m));  // a block of a transpose
  EXPECT_EQ(bt(0, 0), m(0, 1));
  EXPECT_EQ(bt(1, 1), m(1, 2));
  b(1, 1) = 0.5;
  EXPECT_EQ(m(2, 3), 0.5);
}

TEST(View, RowsAndColumns) {
  Matrix<double, 4, 5> m = numbered();
  auto c = column(m.view(), 3);
  auto r = row(m.view(), 2);
  for (index i = 0; i < 4; ++i) EXPECT_EQ(c(i, 0), m(i, 3));
  for (index j = 0; j < 5; ++j) EXPECT_EQ(r(0, j), m(2, j));
}

TEST(View, ConstMatrixGivesReadOnlyView) {
  const Matrix<double, 4, 5> m = numbered();
  View<const double, 4, 5> v = m.view();
  static_assert(std::is_const_v<decltype(v)::element_type>);
  EXPECT_EQ(v(3, 4), 34.0);
}

}  // namespace
}  // namespace lowrank::test
