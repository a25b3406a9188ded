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
#include "random/uniform.hpp"
#include "random/gaussian.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/residual_norm.hpp"
#include "workspace.hpp"
#include "problems/full.hpp"
#include "methods/gd.hpp"
#include "methods/agd.hpp"
#include "spectral_norm.hpp"
#include "theory.hpp"
#include "init.hpp"
#include "factors.hpp"
#include "solve.hpp"
