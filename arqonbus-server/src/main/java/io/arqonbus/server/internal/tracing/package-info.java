/**
 * OpenTelemetry tracing behind one small seam ({@link io.arqonbus.server.internal.tracing.BusTracing}):
 * the router, the hub, the HTTP API and the webhook lane ask it for spans and never see an
 * OpenTelemetry type. Off ({@link io.arqonbus.server.internal.tracing.BusTracing#off()}), every call
 * answers the shared {@link io.arqonbus.server.internal.tracing.TraceSpan#NONE} and allocates nothing.
 * A publication's trace context travels in its envelope's {@code metadata.traceparent} (W3C Trace
 * Context), so one trace runs from the publisher through the bus to subscribers and webhooks.
 */
package io.arqonbus.server.internal.tracing;
