package io.arqonbus.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a soak run's samples as a PNG with Java2D (headless): five panels over the minutes of the
 * run — server memory (RSS, heap after GC, Netty direct), delivery latency (p50, p99) with the ack
 * and command p99, traffic, CPU (with the machine's load average, for what else ran), and open file
 * descriptors with the load tool's connections. The warm-up is
 * shaded. Unknown values (-1) are left out.
 */
public final class SoakChart {
    private static final int WIDTH = 1200;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int GAP = 50;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd)};

    private record Series(String name, ToDoubleFunction<SoakRow> value) {
    }

    private record Panel(String title, String unit, List<Series> series) {
    }

    private SoakChart() {
    }

    /** Writes the chart of {@code rows} to {@code png}. */
    public static void write(List<SoakRow> rows, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Panel> panels = List.of(
                new Panel("Server memory", "MiB", List.of(new Series("RSS", SoakRow::rssMb),
                        new Series("heap after full GC", SoakRow::heapAfterGcMb),
                        new Series("Netty direct", SoakRow::nettyDirectMb))),
                new Panel("Latency", "ms", List.of(new Series("delivery p50", SoakRow::p50Ms),
                        new Series("delivery p99", SoakRow::p99Ms), new Series("durable ack p99", SoakRow::ackP99Ms),
                        new Series("command p99", SoakRow::commandP99Ms))),
                new Panel("Traffic", "per second", List.of(new Series("deliveries", SoakRow::deliveriesPerS),
                        new Series("publications", SoakRow::publishedPerS))),
                new Panel("CPU", "% of one core", List.of(new Series("server", SoakRow::serverCpuPct),
                        new Series("load tool", SoakRow::benchCpuPct),
                        new Series("machine load avg x 100", r -> r.machineLoad() < 0 ? -1 : r.machineLoad() * 100))),
                new Panel("Descriptors and connections", "count", List.of(new Series("server fds", r -> r.fds()),
                        new Series("open connections", r -> r.connections()))));
        int height = TOP + panels.size() * (PANEL_HEIGHT + GAP) + 20;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, LEFT, 25);
            double maxMinute = rows.stream().mapToDouble(SoakRow::minute).max().orElse(1);
            double warmEnd = rows.stream().filter(SoakRow::warmUp).mapToDouble(SoakRow::minute).max().orElse(0);
            for (int i = 0; i < panels.size(); i++) {
                draw(g, panels.get(i), rows, TOP + i * (PANEL_HEIGHT + GAP) + 20, Math.max(1, maxMinute), warmEnd);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void draw(Graphics2D g, Panel panel, List<SoakRow> rows, int top, double maxMinute,
            double warmEnd) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        int bottom = top + PANEL_HEIGHT - 30;
        double maxValue = 0;
        for (Series series : panel.series()) {
            for (SoakRow row : rows) {
                maxValue = Math.max(maxValue, series.value().applyAsDouble(row));
            }
        }
        double step = niceStep(maxValue <= 0 ? 1 : maxValue * 1.1 / 5);
        double top5 = step * Math.ceil((maxValue <= 0 ? 1 : maxValue * 1.05) / step);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(panel.title() + " (" + panel.unit() + ")", LEFT, top - 6);
        if (warmEnd > 0) {
            g.setColor(new Color(0xeeeeee));
            g.fillRect(LEFT, top, (int) (plotWidth * Math.min(1, warmEnd / maxMinute)), bottom - top);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double v = 0; v <= top5 + step / 2; v += step) {
            int y = bottom - (int) ((bottom - top) * v / top5);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(v), 8, y + 4);
        }
        double minuteStep = niceStep(maxMinute / 10);
        for (double m = 0; m <= maxMinute + 1e-9; m += minuteStep) {
            int x = LEFT + (int) (plotWidth * m / maxMinute);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(m) + " min", x - 12, bottom + 15);
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, top, plotWidth, bottom - top);
        g.setStroke(new BasicStroke(1.8f));
        for (int s = 0; s < panel.series().size(); s++) {
            Series series = panel.series().get(s);
            Path2D.Double line = new Path2D.Double();
            boolean started = false;
            for (SoakRow row : rows) {
                double value = series.value().applyAsDouble(row);
                if (value < 0) {
                    continue;
                }
                double x = LEFT + plotWidth * row.minute() / maxMinute;
                double y = bottom - (bottom - top) * value / top5;
                if (started) {
                    line.lineTo(x, y);
                } else {
                    line.moveTo(x, y);
                    started = true;
                }
            }
            g.setColor(COLORS[s % COLORS.length]);
            g.draw(line);
            int legendY = top + 15 + s * 18;
            g.drawLine(LEFT + plotWidth + 15, legendY - 4, LEFT + plotWidth + 40, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(series.name(), LEFT + plotWidth + 45, legendY);
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static String label(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2g", value);
    }
}
