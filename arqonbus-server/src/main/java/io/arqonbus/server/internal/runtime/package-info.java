/**
 * The composition of a running bus: {@link io.arqonbus.server.internal.runtime.BusComponents}
 * builds the parts lane by lane (event loops, metrics, storage, hub, features, commands,
 * transport, HTTP, telemetry) and registers each with
 * {@link io.arqonbus.server.internal.runtime.ShutdownHooks}, the one cleanup path of a failed start
 * and of a stop. Internal: no compatibility promise; embedders use {@code io.arqonbus.server.ArqonBus}.
 */
package io.arqonbus.server.internal.runtime;
