package io.arqonbus.server.internal.metrics;

import java.util.Locale;

/**
 * The exposition formats of {@code GET /metrics}: the Prometheus text format 0.0.4 (the default,
 * what the original serves) and OpenMetrics 1.0, chosen by the scraper's {@code Accept} header as
 * Prometheus itself asks ({@code application/openmetrics-text;version=1.0.0,…;q=0.5,text/plain…}).
 */
public enum MetricsFormat {
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    MetricsFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The {@code Content-Type} of an answer in this format. */
    public String contentType() {
        return contentType;
    }

    /**
     * OpenMetrics when the {@code Accept} header names {@code application/openmetrics-text}
     * (without {@code q=0}), the Prometheus text format otherwise (also without a header).
     */
    public static MetricsFormat fromAccept(String accept) {
        if (accept == null) {
            return PROMETHEUS_TEXT;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].replace(" ", "").toLowerCase(Locale.ROOT);
                refused |= parameter.matches("q=0(\\.0*)?");
            }
            if (!refused) {
                return OPENMETRICS_TEXT;
            }
        }
        return PROMETHEUS_TEXT;
    }
}
