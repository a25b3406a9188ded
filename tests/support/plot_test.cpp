// The examples' plot writer: the SVG is well formed, has one polyline per series and one legend
// entry per distinct name; the CSV has one row per point.
#include <common/plot.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace lowrank::examples {
namespace {

std::string read_file(const std::string& path) {
  std::string text;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return text;
  char buf[4096];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, got);
  std::fclose(file);
  return text;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// True if every element is closed in order (a small XML tokenizer: declarations, comments,
/// self-closing and paired tags; attribute values may not contain '>' unescaped).
bool balanced_tags(const std::string& text, std::string& why) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = text.find('<', at)) != std::string::npos) {
    const std::size_t end = text.find('>', at);
    if (end == std::string::npos) {
      why = "unterminated tag at " + std::to_string(at);
      return false;
    }
    const std::string tag = text.substr(at + 1, end - at - 1);
    at = end + 1;
    if (tag.empty()) {
      why = "empty tag";
      return false;
    }
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (tag.back() == '/') continue;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        why = "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">");
        return false;
      }
      open.pop_back();
      continue;
    }
    open.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
  }
  if (!open.empty()) {
    why = "<" + open.back() + "> never closed";
    return false;
  }
  return true;
}

Figure convergence_figure() {
  Figure f;
  f.title = "100 x 100, rank 5 <noise & \"quotes\">";
  f.x_label = "iteration";
  f.y_label = "relative error";
  f.log_y = true;
  for (int run = 0; run < 3; ++run) {  // three runs of one initialization: one legend entry
    Series& s = f.add_series("random init", palette(0));
    for (int k = 0; k <= 50; ++k) s.add(k, std::pow(0.7 + 0.05 * run, k));
  }
  Series& spectral = f.add_series("spectral init", palette(1), true);
  for (int k = 0; k <= 50; ++k) spectral.add(k, 1e-3 * std::pow(0.5, k));
  // Points a log axis cannot show are skipped, not drawn.
  spectral.add(51, 0.0);
  spectral.add(52, -1.0);
  spectral.add(53, std::numeric_limits<double>::quiet_NaN());
  Series& floor = f.add_series("optimum, with a comma", "black", true);
  floor.add(0, 1e-12);
  floor.add(50, 1e-12);
  return f;
}

TEST(Plot, LegendDrawsADotForSeriesDrawnAsDots) {
  Figure f;
  f.add_series("line", palette(0)).add(0, 1);
  f.series.back().add(1, 2);
  for (int k = 0; k < 4; ++k) f.add_series("spikes", palette(3)).add(k, 3);  // one-point series: dots
  const std::string svg = svg_string(f);
  const std::size_t legend = svg.find("<g class=\"legend\">");
  ASSERT_NE(legend, std::string::npos);
  const std::string entries = svg.substr(legend);
  EXPECT_EQ(count(entries, "<line"), 1u);    // the line series only
  EXPECT_EQ(count(entries, "<circle"), 1u);  // the dot series, once
}

TEST(Plot, SvgIsWellFormedWithOnePolylinePerSeriesAndOneLegendEntryPerName) {
  const Figure f = convergence_figure();
  const std::string path = testing::TempDir() + "lowrank_plot_test.svg";
  ASSERT_TRUE(write_svg(f, path.c_str()));
  const std::string svg = read_file(path);
  ASSERT_FALSE(svg.empty());
  std::string why;
  EXPECT_TRUE(balanced_tags(svg, why)) << why;
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), f.series.size());
  EXPECT_EQ(count(svg, "class=\"legend-label\""), 3u);
  EXPECT_EQ(count(svg, ">random init<"), 1u);
  EXPECT_NE(svg.find("&lt;noise &amp; &quot;quotes&quot;&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">1e-12<"), std::string::npos);  // decade labels
  EXPECT_NE(svg.find(">1<"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Plot, CsvHasOneRowPerPoint) {
  const Figure f = convergence_figure();
  const std::string path = testing::TempDir() + "lowrank_plot_test.csv";
  ASSERT_TRUE(write_csv(f, path.c_str()));
  const std::string csv = read_file(path);
  std::size_t points = 0;
  for (const Series& s : f.series) points += s.points.size();
  EXPECT_EQ(count(csv, "\n"), 1 + points);
  EXPECT_EQ(csv.rfind("series,x,y\n", 0), 0u);
  EXPECT_NE(csv.find("\nrandom init,0,1\n"), std::string::npos);
  EXPECT_NE(csv.find("\n\"optimum, with a comma\",50,1e-12\n"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Plot, PanelsSideBySide) {
  std::vector<Figure> panels(3, convergence_figure());
  panels[1].log_y = false;
  panels[1].title = "linear";
  panels[2].series.clear();  // an empty panel still gets axes
  panels[2].title = "empty";
  const std::string path = testing::TempDir() + "lowrank_plot_panels.svg";
  ASSERT_TRUE(write_svg_panels(panels, path.c_str(), 2));
  const std::string svg = read_file(path);
  std::string why;
  EXPECT_TRUE(balanced_tags(svg, why)) << why;
  EXPECT_NE(svg.find("width=\"960\" height=\"720\""), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), 2 * panels[0].series.size());
  EXPECT_EQ(count(svg, "<clipPath id="), 3u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  const std::string csv_path = testing::TempDir() + "lowrank_plot_panels.csv";
  ASSERT_TRUE(write_csv(panels, csv_path.c_str()));
  const std::string csv = read_file(csv_path);
  std::size_t points = 0;
  for (const Figure& f : panels)
    for (const Series& s : f.series) points += s.points.size();
  EXPECT_EQ(count(csv, "\n"), 1 + points);
  EXPECT_EQ(csv.rfind("panel,series,x,y\n", 0), 0u);
  std::remove(path.c_str());
  std::remove(csv_path.c_str());
}

TEST(Plot, UnwritablePathFails) {
  EXPECT_FALSE(write_svg(Figure{}, "/nonexistent-directory/x.svg"));
  EXPECT_FALSE(write_csv(Figure{}, "/nonexistent-directory/x.csv"));
}

}  // namespace
}  // namespace lowrank::examples
