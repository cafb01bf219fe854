/**
 * Several nodes serving as one bus on a shared Redis: the {@link io.arqonbus.server.internal.cluster.RedisBroker}
 * behind the hub's {@code Broker} seam sequences each publication in Redis (one script: append to
 * the stream and publish to the nodes) and feeds each node's local fan-out in offset order, filling
 * gaps from the stream. See docs/cluster.md.
 */
package io.arqonbus.server.internal.cluster;
