// Real data: the 1797 x 64 matrix of the UCI handwritten digits (8 x 8 grey levels, from the Debian
// package python3-sklearn; get_digits.sh extracts it), raw and column-centred (PCA), factorized at
// rank d = 5, 10 and 20 by the default (lowrank::factorize) and by each method with its default step.
// Every run's error is compared with the truncated-SVD optimum, computed independently by the
// one-sided Jacobi SVD of tests/support in double.
//
// Prints a Markdown table (iterations and milliseconds until the error is within 1% and 0.1% of the
// optimum, the status and iteration the run stopped at, and the final gap, all on the squared
// relative error ||A - X Y^T||_F^2 / ||A||_F^2), and writes digits.svg: the gap to the optimum
// against iterations for every method at d = 10.
//
// Usage: digits digits.csv [output.svg]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "common/plot.hpp"
#include "support/svd.hpp"

namespace {

constexpr lowrank::index images = 1797;
constexpr lowrank::index pixels = 64;
using Data = lowrank::Matrix<double, images, pixels>;

Data raw, centred;

bool read_csv(const char* path, Data& a) {
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return false;
  bool ok = true;
  for (lowrank::index i = 0; i < images && ok; ++i) {
    for (lowrank::index j = 0; j < pixels && ok; ++j) ok = std::fscanf(f, "%lf,", &a(i, j)) == 1;
    int label = 0;
    ok = ok && std::fscanf(f, "%d", &label) == 1;
  }
  std::fclose(f);
  return ok;
}

void centre_columns(const Data& a, Data& c) {
  for (lowrank::index j = 0; j < pixels; ++j) {
    double mean = 0;
    for (lowrank::index i = 0; i < images; ++i) mean += a(i, j);
    mean /= static_cast<double>(images);
    for (lowrank::index i = 0; i < images; ++i) c(i, j) = a(i, j) - mean;
  }
}

/// One run: errors per iteration with the time each was reached.
struct Trace {
  std::string method;
  std::vector<double> error, milliseconds;
  lowrank::solve_report<double> report;
  double final_error = 0;  ///< independent: ||A - X Y^T||^2 / ||A||^2 of the factors returned
};

template <lowrank::index D>
struct Run {
  lowrank::Matrix<double, images, D> x;
  lowrank::Matrix<double, pixels, D> y;
  lowrank::Workspace<double, images, pixels, D> w;

  template <class Solve>
  Trace trace(const char* name, const Data& a, Solve&& solve) {
    Trace t;
    t.method = name;
    const auto start = std::chrono::steady_clock::now();
    auto record = [&](const lowrank::iteration_info<double>& info) {
      t.error.push_back(info.relative_error);
      t.milliseconds.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    };
    t.report = solve(a, x, y, w, record);
    t.final_error = lowrank::test::relative_error_squared(a, x, y);
    return t;
  }

  std::vector<Trace> all(const Data& a) {
    namespace m = lowrank::methods;
    namespace init = lowrank::init;
    lowrank::solve_options<double> options;
    options.max_iterations = 3000;
    std::vector<Trace> traces;
    traces.push_back(trace("factorize (default)", a, [&](auto& A, auto& X, auto& Y, auto& W, auto& cb) {
      return lowrank::factorize(A, X, Y, W, options, cb);
    }));
    auto with = [&](const auto& method, const auto& start) {
      return [&, method, start](auto& A, auto& X, auto& Y, auto& W, auto& cb) {
        auto problem = lowrank::problems::full(A);
        return lowrank::solve(problem, method, start, X, Y, W, options, cb);
      };
    };
    traces.push_back(trace("scaled_gd + nystrom", a, with(m::scaled_gd<double>(), init::nystrom{})));
    traces.push_back(trace("precgd + nystrom", a, with(m::precgd<double>(), init::nystrom{})));
    traces.push_back(trace("agd + proposed", a, with(m::agd<double>(), init::proposed<double>{})));
    traces.push_back(trace("agd + nystrom", a, with(m::agd<double>(), init::nystrom{})));
    traces.push_back(trace("gd + random", a, with(m::gd<double>(), init::random{})));
    return traces;
  }
};

/// The first iteration (and its time) at which the error is within `gap` of the optimum; -1 if never.
void first_within(const Trace& t, double optimum, double gap, char* out, std::size_t size) {
  for (std::size_t k = 0; k < t.error.size(); ++k)
    if (t.error[k] <= optimum * (1.0 + gap)) {
      std::snprintf(out, size, "%zu (%.2f ms)", k, t.milliseconds[k]);
      return;
    }
  std::snprintf(out, size, "never");
}

template <lowrank::index D>
std::vector<Trace> report(const char* data, const Data& a) {
  static Run<D> run;  // large: static storage, as firmware would declare it
  const double optimum = lowrank::test::best_rank_relative_error_squared(a, D);
  std::vector<Trace> traces = run.all(a);
  for (const Trace& t : traces) {
    char one[48], tenth[48];
    first_within(t, optimum, 1e-2, one, sizeof one);
    first_within(t, optimum, 1e-3, tenth, sizeof tenth);
    std::printf("| %s | %d | %.4f | %s | %s | %s | %s at %d (%.2f ms) | %.1e |\n", data, static_cast<int>(D), optimum,
                t.method.c_str(), one, tenth, lowrank::to_string(t.report.status), static_cast<int>(t.report.iterations),
                t.milliseconds.empty() ? 0.0 : t.milliseconds.back(), (t.final_error - optimum) / optimum);
  }
  return traces;
}

lowrank::examples::Figure plot(const char* title, const std::vector<Trace>& traces, double optimum) {
  lowrank::examples::Figure f;
  f.title = title;
  f.x_label = "iteration";
  f.y_label = "error / optimum - 1";
  f.log_x = true;
  f.log_y = true;
  f.y_min = 1e-12;
  f.y_max = 1e2;
  for (std::size_t s = 0; s < traces.size(); ++s) {
    auto& series = f.add_series(traces[s].method, lowrank::examples::palette(s));
    for (std::size_t k = 0; k < traces[s].error.size(); ++k)
      series.add(static_cast<double>(k + 1), std::fmax(traces[s].error[k] / optimum - 1.0, 1e-12));
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !read_csv(argv[1], raw)) {
    std::fprintf(stderr, "usage: digits digits.csv [output.svg]  (examples/digits/get_digits.sh writes digits.csv)\n");
    return 2;
  }
  centre_columns(raw, centred);
  std::printf("| data | d | optimum | method | within 1%% at | within 0.1%% at | stopped | final gap |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  report<5>("raw", raw);
  const auto raw10 = report<10>("raw", raw);
  report<20>("raw", raw);
  report<5>("centred", centred);
  const auto centred10 = report<10>("centred", centred);
  report<20>("centred", centred);

  std::vector<lowrank::examples::Figure> panels;
  panels.push_back(plot("digits 1797 x 64, raw, d = 10", raw10, lowrank::test::best_rank_relative_error_squared(raw, 10)));
  panels.push_back(
      plot("digits, column-centred (PCA), d = 10", centred10, lowrank::test::best_rank_relative_error_squared(centred, 10)));
  const char* svg = argc > 2 ? argv[2] : "digits.svg";
  if (!lowrank::examples::write_svg_panels(panels, svg, 2, 560.0, 420.0)) return 1;
  std::printf("\nplot: %s\n", svg);

  // The default must reach the optimum and stop there by itself.
  for (const auto* traces : {&raw10, &centred10}) {
    const Trace& t = traces->front();
    const double optimum = lowrank::test::best_rank_relative_error_squared(traces == &raw10 ? raw : centred, 10);
    if (!lowrank::succeeded(t.report.status) || t.final_error > optimum * 1.001) return 1;
  }
  return 0;
}
