/**
 * jwgd's Prometheus metrics: the text a scrape of {@code GET /metrics} returns
 * ({@link dev.jwg.device.metrics.MetricsText}) and the loopback HTTP endpoint that serves it
 * ({@link dev.jwg.device.metrics.MetricsServer}). The metric names, labels and types are listed in
 * docs/metrics.md.
 */
package dev.jwg.device.metrics;
