// lowrank: fixed-size matrix factorization A ~ X Y^T by gradient methods, with no heap.
// The umbrella header: include this one.
#pragma once

#include "config.hpp"
#include "status.hpp"
#include "view.hpp"
#include "matrix.hpp"
#include "kernels/target.hpp"
#include "kernels/gemm.hpp"
#include "kernels/small.hpp"
