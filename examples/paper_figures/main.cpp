// Reproduces the experiments of Ward & Kolda, "Convergence of Alternating Gradient Descent for Matrix
// Factorization" (NeurIPS 2023), Section 6, Figures 1 to 4, with this library's solver:
//
//   A = U Sigma V^T, 100 x 100, rank 5, U and V random orthonormal, sigma = 1, 0.975, ..., 0.9
//   (one matrix for every run; Fig. 4 adds 10% Gaussian noise), five runs (seeds 1..5) per
//   initialization, relative error ||A - X Y^T||_F^2 / ||A||_F^2 recorded exactly every iteration.
//
//   Fig. 1  alternating GD, d = 10: proposed vs random, at the theory step and at eta = 0.1,
//           with the bound of Theorem 5.1 dashed (theory-step panel).
//   Fig. 2  GD at the theory step, all four initializations, d = 10 and d = 6, bound dashed.
//   Fig. 3  GD at larger steps eta = 0.01, 0.1, 0.5, 1 (at 1 nothing converges), d = 10.
//   Fig. 4  GD with 10% noise, d = 10, at the theory step, 0.1 and 0.5: the error levels off at the
//           best rank-d error of a truncated SVD (dashed); beside each panel, the excess over it.
//   Fig. 5  not the paper's (fig5.cpp): GD, AGD, ScaledGD and PrecGD on an over-parameterized
//           (d = 6 > r = 3), ill-conditioned 64 x 64 problem, kappa = 1, 10, 100.
//
// The theory step is Corollary 5.2's, eq. (8), for relative error 1e-6, with sigma_1 = 1,
// sigma_r = 0.9, r = 5 known and f_0 from Proposition 4.3's bound (lowrank::agd_theory). Runs stop
// at relative error 1e-12, at the iteration cap (1000 to 3000), or on divergence (the curve ends).
//
// Usage: paper_figures [output-directory]   (default "figures"); writes figN.csv and figN.svg there
// and prints, per figure and initialization, the median iterations to reach 1e-6 (Fig. 5: per method
// and condition number, to 1e-10).
//
// A host example: it uses the standard library freely (the solver itself allocates nothing).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "common/plot.hpp"
#include "fig5.hpp"
#include "support/paper_problem.hpp"

namespace {

using lowrank::index;
using lowrank::test::paper_m;
using lowrank::test::paper_n;
using lowrank::test::paper_r;
using PaperMatrix = lowrank::Matrix<double, paper_m, paper_n>;

constexpr std::uint64_t matrix_seed = 1;  // the one matrix shared by every run of every figure
constexpr std::uint64_t runs = 5;         // seeds 1..5 per initialization
constexpr double report_level = 1e-6;     // "iterations to 1e-6" in the summary
constexpr double stop_level = 1e-12;      // runs stop here, so fast curves still show their slope
constexpr double noise_level = 0.1;       // Fig. 4: ||N||_F = 0.1 ||L||_F

// ---- runs ---------------------------------------------------------------------------------------

enum class Init { proposed, colspan, random, random_asym };
enum class Method { agd, gd };

const char* init_label(Init i) {
  switch (i) {
    case Init::proposed: return "Proposed";
    case Init::colspan: return "ColSpan(A)";
    case Init::random: return "Random";
    case Init::random_asym: return "Random-Asym";
  }
  return "?";
}

const char* init_colour(Init i) {
  switch (i) {
    case Init::proposed: return "#1f77b4";     // blue
    case Init::colspan: return "#2ca02c";      // green
    case Init::random: return "#d62728";       // red
    case Init::random_asym: return "#ff7f0e";  // orange
  }
  return "black";
}

struct Run {
  Init init;
  std::uint64_t seed;
  lowrank::status status;
  std::vector<double> error;  ///< relative error at iterations 0, 1, ... (the curve)
};

/// The factors and scratch for one factor rank; large, so allocated once and reused.
template <index D>
struct State {
  lowrank::Matrix<double, paper_m, D> x;
  lowrank::Matrix<double, paper_n, D> y;
  lowrank::Workspace<double, paper_m, paper_n, D> w;
};

template <index D, class M, class I>
Run run_with(const PaperMatrix& a, const M& method, const I& start, index cap, Init init, std::uint64_t seed) {
  static const std::unique_ptr<State<D>> state = std::make_unique<State<D>>();
  auto problem = lowrank::problems::full(a);
  lowrank::solve_options<double> options;
  options.target_relative_error = stop_level;
  options.max_iterations = cap;
  options.stall_window = 0;  // keep going to the cap: a flat curve is part of the picture
  options.exact_error_every_iteration = true;
  Run run{init, seed, lowrank::status::ok, {}};
  run.error.reserve(cap + 1);
  auto record = [&run](const lowrank::iteration_info<double>& info) { run.error.push_back(info.relative_error); };
  run.status = lowrank::solve(problem, method, start, state->x, state->y, state->w, options, record).status;
  return run;
}

template <index D, class M>
Run run_init(const PaperMatrix& a, const M& method, Init init, std::uint64_t seed, index cap) {
  switch (init) {
    case Init::proposed: {
      lowrank::init::proposed<double> start;  // C = 4, nu = 1e-10: the paper's defaults
      start.seed = seed;
      start.sigma_1 = 1.0;  // known, as in the paper
      return run_with<D>(a, method, start, cap, init, seed);
    }
    case Init::colspan: return run_with<D>(a, method, lowrank::init::colspan{seed}, cap, init, seed);
    case Init::random: return run_with<D>(a, method, lowrank::init::random{seed}, cap, init, seed);
    case Init::random_asym: return run_with<D>(a, method, lowrank::init::random_asym{seed}, cap, init, seed);
  }
  return Run{init, seed, lowrank::status::invalid_argument, {}};
}

template <index D>
Run run_one(const PaperMatrix& a, Method method, double eta, Init init, std::uint64_t seed, index cap) {
  if (method == Method::agd) return run_init<D>(a, lowrank::methods::agd<double>(eta), init, seed, cap);
  return run_init<D>(a, lowrank::methods::gd<double>(eta), init, seed, cap);
}

// ---- panels -------------------------------------------------------------------------------------

struct Panel {
  std::string title;
  Method method;
  index d;
  double eta;
  bool theory_step;          ///< eta is the step of Corollary 5.2: draw the bound of Theorem 5.1
  const PaperMatrix* a;      ///< the matrix to factorize
  double floor;              ///< best rank-d relative error (noisy problem), NaN if none
  index cap;                 ///< iteration cap
  std::vector<Init> inits;
  std::vector<Run> results;  ///< filled by run_panel
  std::vector<double> bound;  ///< the bound's relative error at t = 0..cap (theory step only)
  int bound_violations = 0;   ///< proposed-run iterates above the bound (the theorem says none)
};

lowrank::agd_theory theory_for(index d) {
  return lowrank::agd_theory{1.0, 0.9, paper_r, d};  // sigma_1 = 1, sigma_r = 0.9, r = 5 known
}

/// Corollary 5.2's step for target relative error 1e-6, with f_0 from Proposition 4.3's bound.
double theory_step(index d, double norm_squared) {
  const lowrank::agd_theory theory = theory_for(d);
  return theory.step(theory.initial_loss_bound(norm_squared), report_level * norm_squared);
}

void run_panel(Panel& p) {
  for (const Init init : p.inits)
    for (std::uint64_t seed = 1; seed <= runs; ++seed)
      p.results.push_back(p.d == 10 ? run_one<10>(*p.a, p.method, p.eta, init, seed, p.cap)
                                    : run_one<6>(*p.a, p.method, p.eta, init, seed, p.cap));
  if (!p.theory_step) return;
  // Theorem 5.1: ||A - X_t Y_t^T||^2 <= 2 exp(-beta t / 4) f_0 with f_0 = f(X_0, Y_0) of the proposed
  // runs (the largest of the five, so the curve bounds all of them).
  const double norm = lowrank::test::frobenius_norm_squared(*p.a);
  double f0 = 0.0;
  for (const Run& r : p.results)
    if (r.init == Init::proposed && !r.error.empty()) f0 = std::max(f0, 0.5 * r.error.front() * norm);
  const lowrank::agd_theory theory = theory_for(p.d);
  const index last = std::min(p.cap, theory.window(p.eta, f0));  // where the guarantee holds
  for (index t = 0; t <= last; ++t) p.bound.push_back(theory.residual_bound(t, f0) / norm);
  for (const Run& r : p.results)
    if (r.init == Init::proposed)
      for (std::size_t t = 0; t < r.error.size() && t < p.bound.size(); ++t)
        p.bound_violations += r.error[t] > p.bound[t];
}

/// First iteration at which a run's error is <= level, or -1.
long first_below(const Run& r, double level) {
  for (std::size_t t = 0; t < r.error.size(); ++t)
    if (r.error[t] <= level) return static_cast<long>(t);
  return -1;
}

/// The median (3rd of 5) of the runs' iterations to `level`, counting a run that never got there as
/// infinitely slow; -1 if the median run did not get there. `reached` counts the runs that did.
long median_iterations(const Panel& p, Init init, double level, int& reached) {
  std::vector<long> its;
  reached = 0;
  for (const Run& r : p.results) {
    if (r.init != init) continue;
    const long t = first_below(r, level);
    if (t >= 0) ++reached;
    its.push_back(t >= 0 ? t : std::numeric_limits<long>::max());
  }
  if (its.empty()) return -1;
  std::sort(its.begin(), its.end());
  const long m = its[(its.size() - 1) / 2];
  return m == std::numeric_limits<long>::max() ? -1 : m;
}

// ---- output -------------------------------------------------------------------------------------

/// One panel as a plot: the relative error of every run against the iteration, or with `excess`
/// (noisy problems) the relative error minus the best rank-d one, which shows the approach to it.
lowrank::examples::Figure make_figure(const Panel& p, bool excess = false) {
  lowrank::examples::Figure f;
  f.title = p.title;
  const std::size_t step_at = p.title.find(", \u03b7");  // "(a) excess over best rank-10, eta = 0.1"
  if (excess && step_at != std::string::npos)
    f.title = p.title.substr(0, 4) + "excess over best rank-" + std::to_string(p.d) + p.title.substr(step_at);
  f.x_label = "iteration";
  f.y_label = excess ? "relative error \u2212 best rank-" + std::to_string(p.d)
                     : std::string("relative error \u2016A \u2212 XY\u1d40\u2016\u00b2 / \u2016A\u2016\u00b2");
  f.log_y = true;
  f.x_min = 0.0;
  f.x_max = static_cast<double>(p.cap);
  // One scale for every panel of a kind; runs stop at 1e-12 (a diverging one leaves at the top).
  f.y_min = excess ? 1e-6 : std::isfinite(p.floor) ? 1e-3 : 1e-13;
  f.y_max = 3.0;
  f.legend = lowrank::examples::LegendPosition::outside_right;
  for (const Run& r : p.results) {
    auto& s = f.add_series(init_label(r.init), init_colour(r.init));
    s.width = 1.4;
    for (std::size_t t = 0; t < r.error.size(); ++t)
      s.add(static_cast<double>(t), excess ? r.error[t] - p.floor : r.error[t]);
  }
  if (excess) return f;
  if (!p.bound.empty()) {
    auto& s = f.add_series("Theory bound", "#000000", true);
    s.width = 1.6;
    for (std::size_t t = 0; t < p.bound.size(); ++t) s.add(static_cast<double>(t), p.bound[t]);
  }
  if (std::isfinite(p.floor)) {
    auto& s = f.add_series("Best rank-" + std::to_string(p.d) + " (SVD)", "#000000", true);
    s.width = 1.6;
    s.add(0.0, p.floor);
    s.add(static_cast<double>(p.cap), p.floor);
  }
  return f;
}

std::string number(double v, int digits = 10) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

/// Long format: one row per (panel, curve, iteration); panel is the 0-based panel of the SVG (as in
/// its title, (a) = 0). Runs carry their initialization and seed; the reference curves (theory bound,
/// best rank-d) have an empty seed. A run's last row is where it stopped (1e-12, the cap, divergence).
bool write_csv(const std::vector<Panel>& panels, const std::string& path) {
  std::string out = "panel,method,d,eta,noise,series,seed,iteration,relative_error\n";
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const Panel& p = panels[k];
    const std::string head = std::to_string(k) + "," + (p.method == Method::agd ? "agd" : "gd") + "," +
                             std::to_string(p.d) + "," + number(p.eta, 6) + "," +
                             (std::isfinite(p.floor) ? number(noise_level) : "0") + ",";
    for (const Run& r : p.results) {
      const std::string run = head + init_label(r.init) + "," + std::to_string(r.seed) + ",";
      for (std::size_t t = 0; t < r.error.size(); ++t)
        out += run + std::to_string(t) + "," + number(r.error[t]) + "\n";
    }
    for (std::size_t t = 0; t < p.bound.size(); ++t)
      out += head + "theory bound,," + std::to_string(t) + "," + number(p.bound[t]) + "\n";
    if (std::isfinite(p.floor))
      for (const index t : {index{0}, p.cap})
        out += head + "best rank-d,," + std::to_string(t) + "," + number(p.floor) + "\n";
  }
  return lowrank::examples::write_text(out, path.c_str());
}

/// figN.svg (the panels, `columns` per row; with `excess`, each panel followed by its excess-error
/// view, side by side) and figN.csv.
bool write_figure(const std::vector<Panel>& panels, const std::string& dir, const std::string& name,
                  std::size_t columns, bool excess = false) {
  std::vector<lowrank::examples::Figure> figures;
  for (const Panel& p : panels) {
    figures.push_back(make_figure(p));
    if (excess) figures.push_back(make_figure(p, true));
  }
  const std::string svg = dir + "/" + name + ".svg";
  const std::string csv = dir + "/" + name + ".csv";
  const bool ok = lowrank::examples::write_svg_panels(figures, svg.c_str(), columns, 640.0, 400.0) &&
                  write_csv(panels, csv);
  if (!ok) std::fprintf(stderr, "paper_figures: cannot write %s or %s\n", svg.c_str(), csv.c_str());
  return ok;
}

/// `text` left-aligned in `width` columns (counting UTF-8 characters, not bytes: the titles hold
/// Greek letters).
std::string padded(const std::string& text, std::size_t width) {
  std::size_t chars = 0;
  for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return text + std::string(chars < width ? width - chars : 0, ' ');
}

/// Summary: per panel, the median iterations to `level` of each initialization's five runs.
void print_summary(const std::string& heading, const std::vector<Panel>& panels, double level,
                   bool relative_to_floor) {
  std::printf("\n%s\n", heading.c_str());
  std::printf("  %s%6s", padded("panel", 44).c_str(), "cap");
  for (const Init i : {Init::proposed, Init::colspan, Init::random, Init::random_asym})
    std::printf("%16s", init_label(i));
  std::printf("\n");
  for (const Panel& p : panels) {
    const std::string name = p.title.substr(std::min(p.title.find(' ') + 1, p.title.size()));  // drop "(a) "
    std::printf("  %s%6zu", padded(name, 44).c_str(), p.cap);
    for (const Init i : {Init::proposed, Init::colspan, Init::random, Init::random_asym}) {
      if (std::find(p.inits.begin(), p.inits.end(), i) == p.inits.end()) {
        std::printf("%16s", "-");
        continue;
      }
      int reached = 0;
      const double target = relative_to_floor ? level * p.floor : level;
      const long m = median_iterations(p, i, target, reached);
      char cell[48];
      if (m < 0)
        std::snprintf(cell, sizeof cell, "not reached");
      else if (reached < static_cast<int>(runs))
        std::snprintf(cell, sizeof cell, "%ld (%d/%d)", m, reached, static_cast<int>(runs));
      else
        std::snprintf(cell, sizeof cell, "%ld", m);
      std::printf("%16s", cell);
    }
    int diverged = 0;
    for (const Run& r : p.results) diverged += r.status == lowrank::status::diverged;
    if (diverged > 0) std::printf("   [%d of %zu runs diverged]", diverged, p.results.size());
    if (!p.bound.empty())
      std::printf(p.bound_violations == 0 ? "   [all proposed runs under the Thm 5.1 bound]"
                                          : "   [%d proposed iterates ABOVE the Thm 5.1 bound]",
                  p.bound_violations);
    std::printf("\n");
  }
}

std::string step_text(double eta, bool theory) {
  char buf[48];
  if (theory)
    std::snprintf(buf, sizeof buf, "\u03b7 = %.2e (theory)", eta);
  else
    std::snprintf(buf, sizeof buf, "\u03b7 = %g", eta);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  const std::string dir = argc > 1 ? argv[1] : "figures";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "paper_figures: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }

  static PaperMatrix a, noisy;
  lowrank::test::make_paper_matrix(a, matrix_seed);
  lowrank::test::make_paper_matrix(noisy, matrix_seed, noise_level);
  const double norm = lowrank::test::frobenius_norm_squared(a);
  const double noisy_norm = lowrank::test::frobenius_norm_squared(noisy);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Init> all = {Init::proposed, Init::colspan, Init::random, Init::random_asym};
  const std::vector<Init> two = {Init::proposed, Init::random};

  std::printf("Ward & Kolda, Section 6: A is 100 x 100, rank 5, sigma 1 ... 0.9, ||A||_F^2 = %.4f\n", norm);
  std::printf("Five runs per initialization (seeds 1-5). Cells: the median run's iterations to relative error\n"
              "%g ('not reached': not within the cap; '(k/5)': only k runs got there).\n",
              report_level);
  bool ok = true;

  // Fig. 1: alternating GD, d = 10, proposed vs random, theory step and eta = 0.1.
  {
    const double eta = theory_step(10, norm);
    std::vector<Panel> panels = {
        {"(a) AGD, d = 10, \u03ba = 1.11, " + step_text(eta, true), Method::agd, 10, eta, true, &a, nan, 3000, two, {}, {}},
        {"(b) AGD, d = 10, \u03ba = 1.11, " + step_text(0.1, false), Method::agd, 10, 0.1, false, &a, nan, 1000, two, {}, {}},
    };
    for (Panel& p : panels) run_panel(p);
    ok = write_figure(panels, dir, "fig1", 2) && ok;
    print_summary("Figure 1: alternating gradient descent (AGD)", panels, report_level, false);
  }

  // Fig. 2: GD at the theory step, d = 10 and d = 6.
  {
    const double eta10 = theory_step(10, norm), eta6 = theory_step(6, norm);
    std::vector<Panel> panels = {
        {"(a) GD, d = 10, " + step_text(eta10, true), Method::gd, 10, eta10, true, &a, nan, 3000, all, {}, {}},
        {"(b) GD, d = 6, " + step_text(eta6, true), Method::gd, 6, eta6, true, &a, nan, 3000, all, {}, {}},
    };
    for (Panel& p : panels) run_panel(p);
    ok = write_figure(panels, dir, "fig2", 2) && ok;
    print_summary("Figure 2: gradient descent (GD) at the theory step", panels, report_level, false);
  }

  // Fig. 3: GD at larger steps, d = 10.
  {
    std::vector<Panel> panels;
    const char* tags[] = {"(a)", "(b)", "(c)", "(d)"};
    int k = 0;
    for (const double eta : {0.01, 0.1, 0.5, 1.0})
      panels.push_back({std::string(tags[k++]) + " GD, 100 \u00d7 100 rank 5, d = 10, " + step_text(eta, false), Method::gd, 10, eta, false,
                        &a, nan, 1000, all, {}, {}});
    for (Panel& p : panels) run_panel(p);
    ok = write_figure(panels, dir, "fig3", 2) && ok;
    print_summary("Figure 3: GD at larger steps", panels, report_level, false);
  }

  // Fig. 4: 10% noise, d = 10: the error levels off at the best rank-10 error of a truncated SVD.
  {
    const double floor = lowrank::test::best_rank_relative_error_squared(noisy, 10);
    const double eta = theory_step(10, noisy_norm);
    std::vector<Panel> panels = {
        {"(a) GD, 10% noise, d = 10, " + step_text(eta, true), Method::gd, 10, eta, false, &noisy, floor, 2000, all, {}, {}},
        {"(b) GD, 10% noise, d = 10, " + step_text(0.1, false), Method::gd, 10, 0.1, false, &noisy, floor, 2000, all, {}, {}},
        {"(c) GD, 10% noise, d = 10, " + step_text(0.5, false), Method::gd, 10, 0.5, false, &noisy, floor, 1000, all, {}, {}},
    };
    for (Panel& p : panels) run_panel(p);
    ok = write_figure(panels, dir, "fig4", 2, /*excess=*/true) && ok;
    std::printf("\nFigure 4: GD with 10%% noise; best rank-10 relative error (truncated SVD) = %.6f\n", floor);
    print_summary("  median iterations to within 50% of the best rank-10 error (down to the noise)", panels, 1.5, true);
    print_summary("  median iterations to within 1% of the best rank-10 error", panels, 1.01, true);
  }

  // Fig. 5: GD, AGD, ScaledGD and PrecGD, d = 6 > r = 3, kappa = 1, 10, 100 (fig5.cpp).
  ok = lowrank::paper_figures::figure5(dir) && ok;

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("\nwrote fig1..fig5 (.svg, .csv) to %s in %.1f s\n", dir.c_str(), seconds);
  return ok ? 0 : 1;
}
