/**
 * The HTTP API for backends under {@code /api/} of the HTTP port (docs/http-api.md): publish, broadcast,
 * private send, history, presence, channels, info, disconnect, channel administration and CASIL reload,
 * behind API keys or an admin JWT. A small route table ({@link io.arqonbus.server.internal.httpapi.ApiEndpoint})
 * on the existing Netty HTTP port; publications take the WebSocket path's checks
 * ({@link io.arqonbus.server.internal.routing.PublishRules}, CASIL, the hub's channel bounds).
 */
package io.arqonbus.server.internal.httpapi;
