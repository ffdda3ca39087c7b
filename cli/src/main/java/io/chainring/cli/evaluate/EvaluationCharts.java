package io.chainring.cli.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG charts of an evaluation report (JFreeChart, drawn off screen). */
final class EvaluationCharts {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 560;
    /** One colour per setting, in {@link Setting#all()} order: blues = LINEARIZABLE, greens = MAJORITY, reds = ONE reads. */
    private static final Color[] PALETTE = {
        new Color(8, 48, 107), new Color(33, 113, 181), new Color(107, 174, 214),
        new Color(0, 68, 27), new Color(35, 139, 69), new Color(116, 196, 118),
        new Color(103, 0, 13), new Color(203, 24, 29), new Color(251, 106, 74)};

    private EvaluationCharts() {
    }

    /** Writes every chart into {@code dir}; returns the file names, in the order the report shows them. */
    static List<String> write(Path dir, List<CellResult> results) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<String> files = new ArrayList<>();
        files.add(bars(dir, "throughput.png", "Throughput per setting and condition", "acknowledged ops/s", results,
                CellResult::throughput, false));
        files.add(bars(dir, "read-p99.png", "Read p99 latency", "ms (log scale)", results, CellResult::readP99Ms, true));
        files.add(bars(dir, "write-p99.png", "Write p99 latency", "ms (log scale)", results, CellResult::writeP99Ms, true));
        files.add(bars(dir, "stale-rate.png", "Stale reads (share of reads)", "% of reads", results,
                r -> r.staleRate() * 100, false));
        files.add(bars(dir, "failures.png", "Operations failed or timed out (share of operations)", "% of operations", results,
                r -> r.failureRate() * 100, false));
        files.add(stalenessCdf(dir, results));
        for (String condition : conditions(results)) {
            files.add(visibility(dir, condition, results.stream().filter(r -> r.condition().equals(condition)).toList()));
        }
        return files;
    }

    private static Set<String> conditions(List<CellResult> results) {
        Set<String> out = new LinkedHashSet<>();
        results.forEach(r -> out.add(r.condition()));
        return out;
    }

    private static String bars(Path dir, String file, String title, String axis, List<CellResult> results,
                               ToDoubleFunction<CellResult> value, boolean log) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (CellResult r : results) {
            double v = value.applyAsDouble(r);
            data.addValue(log ? Math.max(0.1, v) : v, r.setting(), r.condition());
        }
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        colour(renderer, data.getRowKeys());
        CategoryAxis x = new CategoryAxis("condition");
        x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        NumberAxis y;
        if (log) {
            LogAxis l = new LogAxis(axis);
            l.setBase(10);
            l.setSmallestValue(0.1);
            l.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
            CategoryPlot plot = new CategoryPlot(data, x, l, renderer);
            return save(dir, file, title, plot);
        }
        y = new NumberAxis(axis);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        return save(dir, file, title, plot);
    }

    private static void colour(BarRenderer renderer, List<?> settings) {
        List<String> order = Setting.all().stream().map(Setting::label).toList();
        for (int i = 0; i < settings.size(); i++) {
            int k = order.indexOf(String.valueOf(settings.get(i)));
            renderer.setSeriesPaint(i, PALETTE[Math.max(0, k) % PALETTE.length]);
        }
    }

    private static String stalenessCdf(Path dir, List<CellResult> results) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (CellResult r : results) {
            if (r.staleMillis().size() < 5) {
                continue;
            }
            XYSeries s = new XYSeries(r.setting() + " @ " + r.condition());
            List<Double> v = r.staleMillis();
            for (int i = 0; i < v.size(); i++) {
                s.add(Math.max(0.1, v.get(i)), (i + 1) / (double) v.size());
            }
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("staleness: ms since the missed write was acknowledged (log scale)");
        x.setBase(10);
        x.setSmallestValue(0.1);
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        NumberAxis y = new NumberAxis("share of stale reads at most this stale");
        y.setRange(0, 1.02);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        return save(dir, "staleness-cdf.png", data.getSeriesCount() == 0 ? "Staleness CDF (no cell had 5 stale reads)"
                : "Staleness of stale reads (CDF, cells with at least 5)", plot);
    }

    private static String visibility(Path dir, String condition, List<CellResult> cells) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        List<String> order = Setting.all().stream().map(Setting::label).toList();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (CellResult r : cells) {
            XYSeries s = new XYSeries(r.setting());
            for (CellResult.VisibilityPoint p : r.visibility()) {
                if (p.reads() > 0) {
                    s.add(p.upToMs(), p.probability());
                }
            }
            int i = data.getSeriesCount();
            data.addSeries(s);
            renderer.setSeriesPaint(i, PALETTE[Math.max(0, order.indexOf(r.setting())) % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        LogAxis x = new LogAxis("t: ms between a write's ack and the start of a read (log scale)");
        x.setBase(10);
        x.setSmallestValue(1);
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        NumberAxis y = new NumberAxis("P(read sees the write)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        return save(dir, "t-visibility-" + condition + ".png", "t-visibility under " + condition, plot);
    }

    private static String save(Path dir, String file, String title, org.jfree.chart.plot.Plot plot) throws IOException {
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof CategoryPlot c) {
            c.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (plot instanceof XYPlot x) {
            x.setRangeGridlinePaint(Color.LIGHT_GRAY);
            x.setDomainGridlinePaint(Color.LIGHT_GRAY);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
