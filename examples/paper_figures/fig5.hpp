// Figure 5 (beyond Ward & Kolda): GD, AGD, ScaledGD and PrecGD on an over-parameterized (d = 6 > r = 3),
// ill-conditioned 64 x 64 problem, kappa = 1, 10, 100. See fig5.cpp.
#pragma once

#include <string>

namespace lowrank::paper_figures {

/// Runs Figure 5, writes fig5.svg and fig5.csv into `dir` and prints its summary. False if a file
/// could not be written.
bool figure5(const std::string& dir);

}  // namespace lowrank::paper_figures
