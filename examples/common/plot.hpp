// Line plots for the examples, written as standalone SVG (and long-format CSV) with the standard
// library only: no plotting package, no Python. Host-only code, not part of the embedded core.
//
//   lowrank::examples::Figure fig;
//   fig.title = "100 x 100, rank 5";
//   fig.x_label = "iteration";
//   fig.y_label = "relative error";
//   fig.log_y = true;
//   auto& s = fig.add_series("random init", lowrank::examples::palette(0));
//   for (int k = 0; k < 100; ++k) s.add(k, err[k]);
//   lowrank::examples::write_svg(fig, "convergence.svg");
//   lowrank::examples::write_csv(fig, "convergence.csv");
//
// Several series may share a name (say five runs from one initialization): the legend lists each
// name once, drawn in the style of its first series.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace lowrank::examples {

struct Point {
  double x;
  double y;
};

struct Series {
  std::string name;             ///< legend label; series with the same name share one entry
  std::string colour = "#1f77b4";  ///< any SVG colour: "#d62728", "black", "rgb(0,0,0)"
  bool dashed = false;
  bool markers = false;  ///< also draw a dot at every point
  double width = 1.75;   ///< stroke width in pixels
  std::vector<Point> points;

  void add(double x, double y) { points.push_back({x, y}); }
};

/// Where the legend goes: a corner inside the plot area, outside to the right, or nowhere.
enum class LegendPosition { top_right, top_left, bottom_right, bottom_left, outside_right, none };

struct Figure {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  /// Axis limits; NaN (the default) means automatic, rounded out to whole ticks (decades on a log
  /// axis). Data outside explicit limits is clipped.
  double x_min = std::numeric_limits<double>::quiet_NaN();
  double x_max = std::numeric_limits<double>::quiet_NaN();
  double y_min = std::numeric_limits<double>::quiet_NaN();
  double y_max = std::numeric_limits<double>::quiet_NaN();
  LegendPosition legend = LegendPosition::top_right;
  std::vector<Series> series;

  /// Appends a series and returns it (the reference is valid until the next add_series).
  Series& add_series(std::string name, std::string colour, bool dashed = false) {
    Series s;
    s.name = std::move(name);
    s.colour = std::move(colour);
    s.dashed = dashed;
    series.push_back(std::move(s));
    return series.back();
  }
};

/// A 10-colour qualitative palette (Tableau 10), cycled.
inline const char* palette(std::size_t i) {
  static const char* const colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return colours[i % 10];
}

namespace plot_detail {

inline void append_escaped(std::string& out, const std::string& text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
}

inline std::string escaped(const std::string& text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

/// A pixel coordinate: two decimals, trailing zeros dropped.
inline std::string px(double v) {
  if (!std::isfinite(v)) v = 0.0;
  v = std::clamp(v, -1e6, 1e6);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

/// Shortest text that reads back as the same double.
inline std::string exact(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

inline std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// Rough width of text in a sans-serif font (DejaVu Sans: about 0.6 em per glyph, plus a margin).
inline double text_width(const std::string& text, double font_size) {
  return 0.62 * font_size * static_cast<double>(text.size());
}

struct Tick {
  double value;
  std::string label;  ///< empty: an unlabelled tick
  bool major;         ///< gets a grid line and a long tick mark
};

struct Axis {
  bool log = false;
  double lo = 0.0;  ///< the axis range, in data units
  double hi = 1.0;
  std::vector<Tick> ticks;

  /// 0 at lo, 1 at hi.
  double fraction(double v) const {
    if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    return (v - lo) / (hi - lo);
  }
};

inline bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0.0); }

inline double nice_step(double raw) {
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / decade;
  const double m = r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 5.0 ? 5.0 : 10.0;
  return m * decade;
}

/// "1e-6"; "0.01" to "100" as plain numbers when the whole axis lies in that range.
inline std::string decade_label(int e, bool plain) {
  static const char* const small[] = {"0.01", "0.1", "1", "10", "100"};
  if (plain && e >= -2 && e <= 2) return small[e + 2];
  if (e == 0) return "1";
  return "1e" + std::to_string(e);
}

/// The range and ticks of one axis: data_lo/hi are the finite (positive, for log) data extremes, or
/// NaN without data; want_lo/hi the requested limits (NaN: automatic); target the number of ticks.
inline Axis make_axis(bool log, double data_lo, double data_hi, double want_lo, double want_hi, double target) {
  Axis a;
  a.log = log;
  const bool auto_lo = !usable(want_lo, log);
  const bool auto_hi = !usable(want_hi, log);
  double lo = auto_lo ? data_lo : want_lo;
  double hi = auto_hi ? data_hi : want_hi;
  if (!usable(lo, log) || !usable(hi, log)) {  // no data: a default range
    if (!usable(lo, log)) lo = usable(hi, log) ? (log ? hi / 100.0 : hi - 1.0) : (log ? 1e-2 : 0.0);
    if (!usable(hi, log)) hi = log ? lo * 100.0 : lo + 1.0;
  }
  if (lo > hi) std::swap(lo, hi);

  if (log) {
    double elo = std::floor(std::log10(lo) + 1e-9);
    double ehi = std::ceil(std::log10(hi) - 1e-9);
    if (hi / lo < 1.0 + 1e-12) {  // one value: a decade either side
      if (auto_lo) elo -= 1.0;
      if (auto_hi) ehi += 1.0;
    }
    if (auto_lo) lo = std::pow(10.0, elo);
    if (auto_hi) hi = std::pow(10.0, ehi);
    if (!(hi > lo)) hi = lo * 10.0;
    a.lo = lo;
    a.hi = hi;
    const int first = static_cast<int>(elo), last = static_cast<int>(ehi);
    const int decades = std::max(1, last - first);
    int stride = 1;
    for (const int s : {1, 2, 3, 4, 5, 10, 20, 25, 50, 100}) {
      stride = s;
      if (decades / s <= static_cast<int>(target) + 1) break;
    }
    const bool minors = decades <= 6;
    const bool plain = first >= -2 && last <= 2;
    int inside = 0;
    for (int e = first; e <= last; ++e) {
      const double v = std::pow(10.0, e);
      if (v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9)) ++inside;
    }
    for (int e = first; e <= last; ++e) {
      const double v = std::pow(10.0, e);
      if (v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9))
        a.ticks.push_back({v, ((e % stride) + stride) % stride == 0 ? decade_label(e, plain) : "", true});
      if (!minors || e == last) continue;
      for (int k = 2; k <= 9; ++k) {
        const double m = k * v;
        if (m < lo * (1.0 - 1e-9) || m > hi * (1.0 + 1e-9)) continue;
        std::string label;
        // Less than a decade shown: label the minor ticks instead; one decade: label 2x and 5x.
        if (inside < 2 || (decades == 1 && (k == 2 || k == 5))) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", m);
          label = buf;
        }
        a.ticks.push_back({m, label, false});
      }
    }
    return a;
  }

  if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {  // one value
    const double pad = lo == 0.0 ? 1.0 : 0.1 * std::fabs(lo);
    if (auto_lo) lo -= pad;
    if (auto_hi) hi += pad;
    if (!(hi > lo)) hi = lo + pad;
  }
  const double step = nice_step((hi - lo) / std::max(1.0, target));
  if (auto_lo) lo = std::floor(lo / step + 1e-9) * step;
  if (auto_hi) hi = std::ceil(hi / step - 1e-9) * step;
  a.lo = lo;
  a.hi = hi;
  const double biggest = std::max(std::fabs(lo), std::fabs(hi));
  const bool scientific = biggest >= 1e6 || step < 1e-4;
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  const double k0 = std::ceil(lo / step - 1e-9), k1 = std::floor(hi / step + 1e-9);
  for (double k = k0; k <= k1; k += 1.0) {
    double v = k * step;
    if (std::fabs(v) < 1e-9 * step) v = 0.0;
    char buf[32];
    if (scientific)
      std::snprintf(buf, sizeof buf, "%.3g", v);
    else
      std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    a.ticks.push_back({v, buf, true});
  }
  return a;
}

struct LegendEntry {
  const Series* style;  ///< the first series with this name
};

inline std::vector<LegendEntry> legend_entries(const Figure& f) {
  std::vector<LegendEntry> out;
  for (const Series& s : f.series) {
    if (s.name.empty()) continue;
    bool seen = false;
    for (const LegendEntry& e : out) seen = seen || e.style->name == s.name;
    if (!seen) out.push_back({&s});
  }
  return out;
}

constexpr double font_tick = 11.0;
constexpr double font_label = 13.0;
constexpr double font_title = 15.0;
constexpr double font_legend = 12.0;

inline std::string dasharray(const Series& s) {
  return px(4.0 * std::max(1.0, s.width)) + " " + px(2.5 * std::max(1.0, s.width));
}

/// One figure as SVG elements inside a w x h box at (ox, oy); `id` makes the clip path unique.
inline void draw_panel(std::string& out, const Figure& f, double ox, double oy, double w, double h, std::size_t id) {
  // Data extremes.
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const Series& s : f.series)
    for (const Point& p : s.points) {
      if (!usable(p.x, f.log_x) || !usable(p.y, f.log_y)) continue;
      xlo = std::min(xlo, p.x);
      xhi = std::max(xhi, p.x);
      ylo = std::min(ylo, p.y);
      yhi = std::max(yhi, p.y);
    }
  if (xlo > xhi) xlo = xhi = ylo = yhi = std::numeric_limits<double>::quiet_NaN();

  const std::vector<LegendEntry> entries = legend_entries(f);
  LegendPosition where = entries.empty() ? LegendPosition::none : f.legend;
  double legend_text = 0.0;
  for (const LegendEntry& e : entries) legend_text = std::max(legend_text, text_width(e.style->name, font_legend));
  const double sample = 28.0, pad = 8.0, row = 18.0;
  const double legend_w = pad + sample + 6.0 + legend_text + pad;
  const double legend_h = pad + row * static_cast<double>(entries.size()) + pad - 4.0;
  // A legend outside that would leave the plot less than 60% of the panel goes inside instead.
  if (where == LegendPosition::outside_right && legend_w + 24.0 > 0.4 * w) where = LegendPosition::top_right;

  // Margins: the y tick labels decide the left one, so make the y axis first.
  const double top = f.title.empty() ? 14.0 : 38.0;
  const double bottom = 10.0 + font_tick + 8.0 + (f.x_label.empty() ? 0.0 : font_label + 14.0);
  const double right = where == LegendPosition::outside_right ? legend_w + 24.0 : 18.0;
  const double plot_h = std::max(20.0, h - top - bottom);
  const Axis y = make_axis(f.log_y, ylo, yhi, f.y_min, f.y_max, std::max(2.0, plot_h / 60.0));
  double tick_w = 0.0;
  for (const Tick& t : y.ticks) tick_w = std::max(tick_w, text_width(t.label, font_tick));
  const double left = 12.0 + (f.y_label.empty() ? 0.0 : font_label + 10.0) + tick_w + 10.0;
  const double plot_w = std::max(20.0, w - left - right);
  const Axis x = make_axis(f.log_x, xlo, xhi, f.x_min, f.x_max, std::max(2.0, plot_w / 90.0));

  const double x0 = ox + left, x1 = x0 + plot_w, y0 = oy + top, y1 = y0 + plot_h;
  auto map_x = [&](double v) { return x0 + x.fraction(v) * plot_w; };
  auto map_y = [&](double v) { return y1 - y.fraction(v) * plot_h; };
  const std::string clip = "lowrank-clip-" + std::to_string(id);

  out += "<g>\n";
  out += "<clipPath id=\"" + clip + "\"><rect x=\"" + px(x0) + "\" y=\"" + px(y0) + "\" width=\"" +
         px(plot_w) + "\" height=\"" + px(plot_h) + "\"/></clipPath>\n";

  // Grid lines (minor ones fainter), then tick marks and labels.
  out += "<g stroke-width=\"1\" shape-rendering=\"crispEdges\">\n";
  for (const Tick& t : x.ticks) {
    const std::string xs = px(map_x(t.value));
    out += "<line x1=\"" + xs + "\" y1=\"" + px(y0) + "\" x2=\"" + xs + "\" y2=\"" + px(y1) + "\" stroke=\"" +
           (t.major ? "#e3e3e3" : "#f3f3f3") + "\"/>\n";
  }
  for (const Tick& t : y.ticks) {
    const std::string ys = px(map_y(t.value));
    out += "<line x1=\"" + px(x0) + "\" y1=\"" + ys + "\" x2=\"" + px(x1) + "\" y2=\"" + ys + "\" stroke=\"" +
           (t.major ? "#e3e3e3" : "#f3f3f3") + "\"/>\n";
  }
  for (const Tick& t : x.ticks) {
    const std::string xs = px(map_x(t.value));
    out += "<line x1=\"" + xs + "\" y1=\"" + px(y1) + "\" x2=\"" + xs + "\" y2=\"" +
           px(y1 + (t.major ? 5.0 : 3.0)) + "\" stroke=\"#444444\"/>\n";
  }
  for (const Tick& t : y.ticks) {
    const std::string ys = px(map_y(t.value));
    out += "<line x1=\"" + px(x0 - (t.major ? 5.0 : 3.0)) + "\" y1=\"" + ys + "\" x2=\"" + px(x0) + "\" y2=\"" +
           ys + "\" stroke=\"#444444\"/>\n";
  }
  out += "</g>\n";
  out += "<g font-size=\"" + px(font_tick) + "\" fill=\"#333333\">\n";
  for (const Tick& t : x.ticks) {
    if (t.label.empty()) continue;
    out += "<text x=\"" + px(map_x(t.value)) + "\" y=\"" + px(y1 + 8.0 + font_tick) +
           "\" text-anchor=\"middle\">" + escaped(t.label) + "</text>\n";
  }
  for (const Tick& t : y.ticks) {
    if (t.label.empty()) continue;
    out += "<text x=\"" + px(x0 - 8.0) + "\" y=\"" + px(map_y(t.value)) + "\" dy=\"0.35em\" text-anchor=\"end\">" +
           escaped(t.label) + "</text>\n";
  }
  out += "</g>\n";

  // The series, clipped to the plot area.
  out += "<g clip-path=\"url(#" + clip + ")\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n";
  for (const Series& s : f.series) {
    // Points within two pixels of the last one drawn add bytes, not ink: skip them (the last point
    // of the series is always drawn, so curves end where the data ends).
    std::string pts;
    std::size_t count = 0;
    double last_x = 0.0, last_y = 0.0;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const Point& p = s.points[i];
      if (!usable(p.x, f.log_x) || !usable(p.y, f.log_y)) continue;
      const double sx = map_x(p.x), sy = map_y(p.y);
      const bool last = i + 1 == s.points.size();
      if (count > 0 && !last && std::fabs(sx - last_x) < 2.0 && std::fabs(sy - last_y) < 2.0) continue;
      if (count++ > 0) pts += ' ';
      pts += px(sx) + "," + px(sy);
      last_x = sx;
      last_y = sy;
    }
    if (count == 0) continue;
    out += "<polyline stroke=\"" + escaped(s.colour) + "\" stroke-width=\"" + px(s.width) + "\"";
    if (s.dashed) out += " stroke-dasharray=\"" + dasharray(s) + "\"";
    out += " points=\"" + pts + "\"/>\n";
    if (s.markers || count == 1) {
      out += "<g fill=\"" + escaped(s.colour) + "\" stroke=\"none\">";
      for (const Point& p : s.points) {
        if (!usable(p.x, f.log_x) || !usable(p.y, f.log_y)) continue;
        out += "<circle cx=\"" + px(map_x(p.x)) + "\" cy=\"" + px(map_y(p.y)) + "\" r=\"" +
               px(1.2 * s.width + 1.0) + "\"/>";
      }
      out += "</g>\n";
    }
  }
  out += "</g>\n";

  // Frame, title, axis labels.
  out += "<rect x=\"" + px(x0) + "\" y=\"" + px(y0) + "\" width=\"" + px(plot_w) + "\" height=\"" + px(plot_h) +
         "\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\" shape-rendering=\"crispEdges\"/>\n";
  if (!f.title.empty())
    out += "<text x=\"" + px(x0 + 0.5 * plot_w) + "\" y=\"" + px(oy + 24.0) + "\" font-size=\"" + px(font_title) +
           "\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222222\">" + escaped(f.title) + "</text>\n";
  if (!f.x_label.empty())
    out += "<text x=\"" + px(x0 + 0.5 * plot_w) + "\" y=\"" + px(y1 + 8.0 + font_tick + 8.0 + font_label) +
           "\" font-size=\"" + px(font_label) + "\" text-anchor=\"middle\" fill=\"#222222\">" + escaped(f.x_label) +
           "</text>\n";
  if (!f.y_label.empty())
    out += "<text transform=\"translate(" + px(ox + 12.0 + font_label) + "," + px(y0 + 0.5 * plot_h) +
           ") rotate(-90)\" font-size=\"" + px(font_label) + "\" text-anchor=\"middle\" fill=\"#222222\">" +
           escaped(f.y_label) + "</text>\n";

  // Legend: one entry per distinct name.
  if (where != LegendPosition::none) {
    double lx = x1 - 10.0 - legend_w, ly = y0 + 10.0;
    if (where == LegendPosition::top_left || where == LegendPosition::bottom_left) lx = x0 + 10.0;
    if (where == LegendPosition::bottom_left || where == LegendPosition::bottom_right) ly = y1 - 10.0 - legend_h;
    if (where == LegendPosition::outside_right) {
      lx = x1 + 14.0;
      ly = y0;
    }
    out += "<g class=\"legend\">\n<rect x=\"" + px(lx) + "\" y=\"" + px(ly) + "\" width=\"" + px(legend_w) +
           "\" height=\"" + px(legend_h) +
           "\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const Series& s = *entries[i].style;
      const double cy = ly + pad + 7.0 + row * static_cast<double>(i);
      // As the series is drawn: a one-point series is a dot only; markers add a dot to the line.
      const bool dot_only = s.points.size() == 1;
      if (!dot_only) {
        out += "<line x1=\"" + px(lx + pad) + "\" y1=\"" + px(cy) + "\" x2=\"" + px(lx + pad + sample) + "\" y2=\"" +
               px(cy) + "\" stroke=\"" + escaped(s.colour) + "\" stroke-width=\"" + px(s.width) + "\"";
        if (s.dashed) out += " stroke-dasharray=\"" + dasharray(s) + "\"";
        out += "/>\n";
      }
      if (dot_only || s.markers)
        out += "<circle cx=\"" + px(lx + pad + 0.5 * sample) + "\" cy=\"" + px(cy) + "\" r=\"" + px(1.2 * s.width + 1.0) +
               "\" fill=\"" + escaped(s.colour) + "\"/>\n";
      out += "<text class=\"legend-label\" x=\"" + px(lx + pad + sample + 6.0) + "\" y=\"" + px(cy) +
             "\" dy=\"0.35em\" font-size=\"" + px(font_legend) + "\" fill=\"#222222\">" + escaped(s.name) +
             "</text>\n";
    }
    out += "</g>\n";
  }
  out += "</g>\n";
}

}  // namespace plot_detail

/// Figures as one SVG document: `columns` panels per row, each panel_width x panel_height pixels.
inline std::string svg_string(const std::vector<Figure>& figures, std::size_t columns = 1,
                              double panel_width = 720.0, double panel_height = 480.0) {
  const std::size_t n = figures.size();
  columns = std::max<std::size_t>(1, std::min(columns, std::max<std::size_t>(1, n)));
  const std::size_t rows = std::max<std::size_t>(1, (n + columns - 1) / columns);
  const double w = panel_width * static_cast<double>(columns);
  const double h = panel_height * static_cast<double>(rows);
  using plot_detail::px;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + px(w) + "\" height=\"" + px(h) +
         "\" viewBox=\"0 0 " + px(w) + " " + px(h) +
         "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  for (std::size_t i = 0; i < n; ++i)
    plot_detail::draw_panel(out, figures[i], panel_width * static_cast<double>(i % columns),
                            panel_height * static_cast<double>(i / columns), panel_width, panel_height, i);
  out += "</svg>\n";
  return out;
}

inline std::string svg_string(const Figure& figure, double width = 720.0, double height = 480.0) {
  return svg_string(std::vector<Figure>{figure}, 1, width, height);
}

/// Long-format CSV, header `series,x,y`, one row per point (every point, non-finite ones too).
inline std::string csv_string(const Figure& figure) {
  std::string out = "series,x,y\n";
  for (const Series& s : figure.series)
    for (const Point& p : s.points)
      out += plot_detail::csv_field(s.name) + "," + plot_detail::exact(p.x) + "," + plot_detail::exact(p.y) + "\n";
  return out;
}

/// Several figures as one CSV, header `panel,series,x,y`; panel is the figure's 0-based index.
inline std::string csv_string(const std::vector<Figure>& figures) {
  std::string out = "panel,series,x,y\n";
  for (std::size_t i = 0; i < figures.size(); ++i)
    for (const Series& s : figures[i].series)
      for (const Point& p : s.points)
        out += std::to_string(i) + "," + plot_detail::csv_field(s.name) + "," + plot_detail::exact(p.x) + "," +
               plot_detail::exact(p.y) + "\n";
  return out;
}

/// Writes `text` to `path`; false if the file cannot be written.
inline bool write_text(const std::string& text, const char* path) {
  std::FILE* file = std::fopen(path, "wb");
  if (file == nullptr) return false;
  const bool wrote = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  return std::fclose(file) == 0 && wrote;
}

/// One figure as a standalone SVG file (720 x 480 by default). False if the file cannot be written.
inline bool write_svg(const Figure& figure, const char* path, double width = 720.0, double height = 480.0) {
  return write_text(svg_string(figure, width, height), path);
}

/// Several figures side by side in one SVG file, `columns` per row (the paper's subplots).
inline bool write_svg_panels(const std::vector<Figure>& figures, const char* path, std::size_t columns,
                             double panel_width = 480.0, double panel_height = 360.0) {
  return write_text(svg_string(figures, columns, panel_width, panel_height), path);
}

/// One figure as long-format CSV (`series,x,y`).
inline bool write_csv(const Figure& figure, const char* path) { return write_text(csv_string(figure), path); }

/// Several figures as one long-format CSV (`panel,series,x,y`).
inline bool write_csv(const std::vector<Figure>& figures, const char* path) {
  return write_text(csv_string(figures), path);
}

}  // namespace lowrank::examples
