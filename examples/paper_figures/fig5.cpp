// Figure 5, beyond Ward & Kolda: plain, alternating, scaled and preconditioned gradient descent on an
// over-parameterized, ill-conditioned problem (the setting of Zhang, Fattahi & Zhang's PrecGD and of
// tests/methods/precgd_test.cpp):
//
//   A = U diag(sigma) V^T, 64 x 64, rank r = 3, sigma = 1, 1/sqrt(kappa), 1/kappa (geometric), U and V
//   random orthonormal (the same for every kappa); factors of rank d = 6 > r; kappa = 1, 10, 100, one
//   panel each; double precision.
//
//   GD, AGD    the best fixed step of {0.1, 0.2, 0.5, 0.9}, per method and kappa: the lowest median
//              error at the cap (a diverging step loses; ties go to the larger step);
//   ScaledGD   eta = 0.5 (Tong, Ma & Chi's suggestion, methods/scaled_gd.hpp);
//   PrecGD     eta = 0.5, damping lambda_t = sqrt(f(X_t, Y_t)) (methods/precgd.hpp's defaults);
//
// every method from the same small random start (init::random, seeds 1-3: three runs each), exact
// relative error ||A - X Y^T||_F^2 / ||A||_F^2 every iteration, runs stopped at 1e-14 or after 500
// iterations. The top row shows all 500 iterations, the bottom row the first 60. PrecGD from
// init::nystrom is run as well and reported in the summary only: with d >= rank A the Nystrom start is
// already the solution to rounding (there is no curve to draw).
#include "fig5.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "common/plot.hpp"
#include "support/svd.hpp"

namespace lowrank::paper_figures {
namespace {

constexpr index n = 64, r = 3, d = 6;
constexpr std::uint64_t matrix_seed = 11;  // U and V, shared by the three panels
constexpr std::uint64_t runs = 3;          // init::random seeds 1..3 per method
constexpr index cap = 500;                 // iteration cap
constexpr double stop_level = 1e-14;       // runs stop here
constexpr double report_level = 1e-10;     // "iterations to 1e-10" in the summary
constexpr index zoom = 60;                 // the figure's second row: the first 60 iterations
constexpr double kappas[] = {1.0, 10.0, 100.0};
constexpr double scan_steps[] = {0.1, 0.2, 0.5, 0.9};  // GD and AGD: the best of these
constexpr double preconditioned_step = 0.5;            // ScaledGD and PrecGD

using Square = Matrix<double, n, n>;

enum class Method { gd, agd, scaled_gd, precgd, precgd_nystrom };
constexpr Method plotted[] = {Method::gd, Method::agd, Method::scaled_gd, Method::precgd};

const char* label(Method m) {
  switch (m) {
    case Method::gd: return "GD";
    case Method::agd: return "AGD";
    case Method::scaled_gd: return "ScaledGD";
    case Method::precgd: return "PrecGD";
    case Method::precgd_nystrom: return "PrecGD (Nystr\u00f6m)";
  }
  return "?";
}

const char* key(Method m) {  // the CSV's method and init columns
  switch (m) {
    case Method::gd: return "gd,random";
    case Method::agd: return "agd,random";
    case Method::scaled_gd: return "scaled_gd,random";
    case Method::precgd: return "precgd,random";
    case Method::precgd_nystrom: return "precgd,nystrom";
  }
  return "?,?";
}

const char* colour(Method m) {
  switch (m) {
    case Method::gd: return "#d62728";              // red
    case Method::agd: return "#ff7f0e";             // orange
    case Method::scaled_gd: return "#2ca02c";       // green
    case Method::precgd: return "#1f77b4";          // blue
    case Method::precgd_nystrom: return "#9467bd";  // purple
  }
  return "black";
}

struct Run {
  Method method;
  double eta;
  std::uint64_t seed;
  lowrank::status status;
  std::vector<double> error;  ///< relative error at iterations 0, 1, ...
};

/// The factors and scratch, allocated once.
struct State {
  Matrix<double, n, d> x;
  Matrix<double, n, d> y;
  Workspace<double, n, n, d> w;
};

template <class M, class I>
Run run_with(const Square& a, const M& method, const I& start, Method which, double eta, std::uint64_t seed) {
  static const std::unique_ptr<State> state = std::make_unique<State>();
  auto problem = problems::full(a);
  solve_options<double> options;
  options.target_relative_error = stop_level;
  options.max_iterations = cap;
  options.stall_window = 0;  // a sublinear curve is the point: run it to the cap
  options.exact_error_every_iteration = true;
  Run run{which, eta, seed, status::ok, {}};
  run.error.reserve(cap + 1);
  auto record = [&run](const iteration_info<double>& info) { run.error.push_back(info.relative_error); };
  run.status = solve(problem, method, start, state->x, state->y, state->w, options, record).status;
  return run;
}

Run run_one(const Square& a, Method m, double eta, std::uint64_t seed) {
  const init::random start{seed};
  switch (m) {
    case Method::gd: return run_with(a, methods::gd<double>(eta), start, m, eta, seed);
    case Method::agd: return run_with(a, methods::agd<double>(eta), start, m, eta, seed);
    case Method::scaled_gd: return run_with(a, methods::scaled_gd<double>(eta), start, m, eta, seed);
    case Method::precgd: return run_with(a, methods::precgd<double>(eta), start, m, eta, seed);
    case Method::precgd_nystrom:
      return run_with(a, methods::precgd<double>(eta), init::nystrom{seed}, m, eta, seed);
  }
  return Run{m, eta, seed, status::invalid_argument, {}};
}

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

/// A run's error where it stopped; infinite if it diverged.
double final_error(const Run& run) {
  if (run.status == status::diverged || run.error.empty() || !std::isfinite(run.error.back()))
    return std::numeric_limits<double>::infinity();
  return run.error.back();
}

struct Scan {
  Method method;
  double eta;
  double median_final;  ///< median over the seeds of the error at the cap (infinite: diverged)
};

struct Panel {
  double kappa = 1.0;
  double step[2] = {0.0, 0.0};  ///< the chosen GD and AGD steps
  std::vector<Scan> scan;
  std::vector<Run> results;  ///< plotted runs, method by method
  std::vector<Run> nystrom;  ///< PrecGD from init::nystrom
};

/// The step of {0.1, 0.2, 0.5, 0.9} with the lowest median error at the cap; its runs go to `keep`.
double best_step(const Square& a, Method m, Panel& p, std::vector<Run>& keep) {
  double best = std::numeric_limits<double>::infinity(), chosen = scan_steps[0];
  for (const double eta : scan_steps) {
    std::vector<Run> these;
    std::vector<double> finals;
    for (std::uint64_t seed = 1; seed <= runs; ++seed) {
      these.push_back(run_one(a, m, eta, seed));
      finals.push_back(final_error(these.back()));
    }
    const double score = median(finals);
    p.scan.push_back({m, eta, score});
    if (score <= best || keep.empty()) {
      best = score;
      chosen = eta;
      keep = std::move(these);
    }
  }
  return chosen;
}

Panel run_panel(Square& a, double kappa) {
  Panel p;
  p.kappa = kappa;
  std::vector<double> sigma(r);
  for (index i = 0; i < r; ++i) sigma[i] = std::pow(kappa, -static_cast<double>(i) / static_cast<double>(r - 1));
  std::mt19937_64 rng(matrix_seed);
  test::make_low_rank(a, sigma, rng);
  for (const Method m : plotted) {
    if (m == Method::gd || m == Method::agd) {
      std::vector<Run> keep;
      p.step[m == Method::agd ? 1 : 0] = best_step(a, m, p, keep);
      p.results.insert(p.results.end(), keep.begin(), keep.end());
      continue;
    }
    for (std::uint64_t seed = 1; seed <= runs; ++seed) p.results.push_back(run_one(a, m, preconditioned_step, seed));
  }
  for (std::uint64_t seed = 1; seed <= runs; ++seed)
    p.nystrom.push_back(run_one(a, Method::precgd_nystrom, preconditioned_step, seed));
  return p;
}

/// First iteration at which a run's error is <= level, or -1.
long first_below(const Run& run, double level) {
  for (std::size_t t = 0; t < run.error.size(); ++t)
    if (run.error[t] <= level) return static_cast<long>(t);
  return -1;
}

std::string number(double v, int digits = 10) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string step_label(Method m, double eta) { return std::string(label(m)) + ", \u03b7 = " + number(eta, 3); }

/// One panel: every plotted run against the iteration, up to `last` (the cap, or a zoom on the start).
lowrank::examples::Figure make_figure(const Panel& p, char tag, index last) {
  lowrank::examples::Figure f;
  f.title = std::string("(") + tag + ") \u03ba = " + number(p.kappa, 4) +
            (last < cap ? ", the first " + std::to_string(last) + " iterations" : ": 64 \u00d7 64, r = 3, d = 6");
  f.x_label = "iteration";
  f.y_label = "relative error \u2016A \u2212 XY\u1d40\u2016\u00b2 / \u2016A\u2016\u00b2";
  f.log_y = true;
  f.x_min = 0.0;
  f.x_max = static_cast<double>(last);
  f.y_min = 1e-15;
  f.y_max = 10.0;  // ScaledGD's first step from a small start overshoots to ~5
  // Below GD's curves, right of PrecGD's; the zoomed row shares the top row's legend.
  f.legend = last < cap ? lowrank::examples::LegendPosition::none : lowrank::examples::LegendPosition::bottom_right;
  for (const Run& run : p.results) {
    // AGD dashed: it lies on top of GD.
    auto& s = f.add_series(step_label(run.method, run.eta), colour(run.method), run.method == Method::agd);
    s.width = 1.5;
    for (std::size_t t = 0; t < run.error.size() && t <= last; ++t) s.add(static_cast<double>(t), run.error[t]);
  }
  return f;
}

/// Long format: one row per (panel, run, iteration); a run's last row is where it stopped.
bool write_csv(const std::vector<Panel>& panels, const std::string& path) {
  std::string out = "panel,kappa,method,init,eta,seed,iteration,relative_error\n";
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const Panel& p = panels[k];
    std::vector<const Run*> all;
    for (const Run& run : p.results) all.push_back(&run);
    for (const Run& run : p.nystrom) all.push_back(&run);
    for (const Run* run : all) {
      const std::string head = std::to_string(k) + "," + number(p.kappa, 6) + "," + key(run->method) + "," +
                               number(run->eta, 6) + "," + std::to_string(run->seed) + ",";
      for (std::size_t t = 0; t < run->error.size(); ++t)
        out += head + std::to_string(t) + "," + number(run->error[t]) + "\n";
    }
  }
  return lowrank::examples::write_text(out, path.c_str());
}

/// The summary cell of one method: the median run's iterations to 1e-10, with "(k/3)" if only k runs
/// got there, or "> cap (e)" with the median error e at the cap.
std::string cell(const std::vector<Run>& all, Method m) {
  std::vector<long> its;
  std::vector<double> finals;
  int reached = 0;
  for (const Run& run : all) {
    if (run.method != m) continue;
    const long t = first_below(run, report_level);
    reached += t >= 0;
    its.push_back(t >= 0 ? t : std::numeric_limits<long>::max());
    finals.push_back(final_error(run));
  }
  if (its.empty()) return "-";
  std::sort(its.begin(), its.end());
  const long mid = its[(its.size() - 1) / 2];
  char buf[64];
  if (mid == std::numeric_limits<long>::max())
    std::snprintf(buf, sizeof buf, ">%zu (%.1e)", static_cast<std::size_t>(cap), median(finals));
  else if (reached < static_cast<int>(its.size()))
    std::snprintf(buf, sizeof buf, "%ld (%d/%zu)", mid, reached, its.size());
  else
    std::snprintf(buf, sizeof buf, "%ld", mid);
  return buf;
}

void print_summary(const std::vector<Panel>& panels, double seconds) {
  std::printf("\nFigure 5: over-parameterized (d = 6 > r = 3) and ill-conditioned: 64 x 64, sigma = 1, 1/sqrt(kappa),\n"
              "1/kappa; %zu runs per method from init::random (seeds 1-%zu), cap %zu, stop at %g. Cells: the median\n"
              "run's iterations to relative error %g, or '>%zu (e)': not reached, median error e at the cap.\n",
              static_cast<std::size_t>(runs), static_cast<std::size_t>(runs), static_cast<std::size_t>(cap), stop_level,
              report_level, static_cast<std::size_t>(cap));
  std::printf("  %-7s%26s%26s%20s%18s%18s\n", "kappa", "GD", "AGD", "ScaledGD, eta 0.5", "PrecGD, eta 0.5",
              "PrecGD, Nystrom");
  for (const Panel& p : panels) {
    char gd_head[32], agd_head[32];
    std::snprintf(gd_head, sizeof gd_head, "[eta %g] ", p.step[0]);
    std::snprintf(agd_head, sizeof agd_head, "[eta %g] ", p.step[1]);
    std::printf("  %-7g%26s%26s%20s%18s%18s\n", p.kappa, (gd_head + cell(p.results, Method::gd)).c_str(),
                (agd_head + cell(p.results, Method::agd)).c_str(), cell(p.results, Method::scaled_gd).c_str(),
                cell(p.results, Method::precgd).c_str(), cell(p.nystrom, Method::precgd_nystrom).c_str());
  }
  std::printf("  GD/AGD step scan, median error at the cap ('diverged': the step diverges):\n");
  for (const Panel& p : panels)
    for (const Method m : {Method::gd, Method::agd}) {
      std::printf("    kappa %-4g %-4s", p.kappa, label(m));
      for (const Scan& s : p.scan)
        if (s.method == m) {
          if (std::isfinite(s.median_final))
            std::printf("  %g: %.1e", s.eta, s.median_final);
          else
            std::printf("  %g: diverged", s.eta);
        }
      std::printf("\n");
    }
  double nystrom_start = 0.0;
  for (const Panel& p : panels)
    for (const Run& run : p.nystrom)
      if (!run.error.empty()) nystrom_start = std::max(nystrom_start, run.error.front());
  std::printf("  PrecGD from init::nystrom starts at relative error <= %.1e (d >= rank A: the start is the\n"
              "  solution to rounding), so it is not drawn. Figure 5 took %.2f s.\n",
              nystrom_start, seconds);
}

}  // namespace

bool figure5(const std::string& dir) {
  const auto started = std::chrono::steady_clock::now();
  const std::unique_ptr<Square> a = std::make_unique<Square>();
  std::vector<Panel> panels;
  for (const double kappa : kappas) panels.push_back(run_panel(*a, kappa));

  std::vector<lowrank::examples::Figure> figures;
  char tag = 'a';
  for (const Panel& p : panels) figures.push_back(make_figure(p, tag++, cap));
  for (const Panel& p : panels) figures.push_back(make_figure(p, tag++, zoom));
  const std::string svg = dir + "/fig5.svg";
  const std::string csv = dir + "/fig5.csv";
  const bool ok = lowrank::examples::write_svg_panels(figures, svg.c_str(), 3, 560.0, 420.0) && write_csv(panels, csv);
  if (!ok) std::fprintf(stderr, "paper_figures: cannot write %s or %s\n", svg.c_str(), csv.c_str());
  print_summary(panels, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return ok;
}

}  // namespace lowrank::paper_figures
