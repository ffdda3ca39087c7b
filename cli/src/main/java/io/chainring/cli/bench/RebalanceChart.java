package io.chainring.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG of {@code chainring bench rebalance --chart}: foreground throughput (top) and p99
 * latency (bottom) over time, one point a second, with the migration window shaded and the
 * steady p99 and twice it drawn as reference lines.
 */
public final class RebalanceChart {
    private static final Color WINDOW = new Color(255, 200, 120, 90);
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private RebalanceChart() {
    }

    /**
     * Writes the chart.
     *
     * @param windowStart  start of the migration window, seconds (as the samples count them)
     * @param windowEnd    its end
     * @param steadyP99Micros the p99 of the phase before, for the reference lines (0: none)
     */
    public static void write(Path file, String title, List<RebalanceSample> samples, double windowStart, double windowEnd,
                             double steadyP99Micros) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // drawn off screen, also on machines without a display
        }
        XYSeries ops = new XYSeries("ops/s");
        XYSeries p99 = new XYSeries("p99 (ms)");
        for (RebalanceSample s : samples) {
            ops.add(s.seconds(), s.opsPerSec());
            if (s.p99Micros() > 0) {
                p99.add(s.seconds(), s.p99Micros() / 1000.0);
            }
        }
        XYPlot top = plot(ops, "ops/s", new Color(40, 90, 170), windowStart, windowEnd);
        XYPlot bottom = plot(p99, "p99 latency (ms, log scale)", new Color(190, 50, 40), windowStart, windowEnd);
        // a log scale: the steady p99 and its double stay readable next to stalls a hundred times longer
        LogAxis log = new LogAxis("p99 latency (ms, log scale)");
        log.setBase(10);
        log.setSmallestValue(0.1);
        log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        bottom.setRangeAxis(log);
        if (steadyP99Micros > 0) {
            bottom.addRangeMarker(line(steadyP99Micros / 1000.0, "steady p99"));
            bottom.addRangeMarker(line(2 * steadyP99Micros / 1000.0, "2 x steady p99 (goal)"));
        }
        IntervalMarker label = (IntervalMarker) top.getDomainMarkers(Layer.BACKGROUND).iterator().next();
        label.setLabel("migration");
        label.setLabelAnchor(RectangleAnchor.TOP);
        label.setLabelTextAnchor(TextAnchor.TOP_CENTER);

        NumberAxis time = new NumberAxis("seconds since the measured load began");
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(8);
        combined.add(top, 1);
        combined.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), combined, false);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static XYPlot plot(XYSeries series, String axis, Color color, double windowStart, double windowEnd) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(1.6f));
        NumberAxis range = new NumberAxis(axis);
        range.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        IntervalMarker window = new IntervalMarker(windowStart, Math.max(windowStart, windowEnd));
        window.setPaint(WINDOW);
        plot.addDomainMarker(window, Layer.BACKGROUND);
        return plot;
    }

    private static org.jfree.chart.plot.ValueMarker line(double value, String text) {
        org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(value, Color.DARK_GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        m.setLabel(text);
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        return m;
    }
}
