package io.arqonbus.server.internal.subscription;

import io.arqonbus.server.subscribe.SubscriptionFilter;
import io.arqonbus.server.internal.session.Session;

/**
 * One filtered subscription of one connection.
 *
 * @param id      {@code sub_<16 hex>}, unique on this server
 * @param session the connection that receives what matches
 * @param filter  what it wants
 */
record FilterSubscription(String id, Session session, SubscriptionFilter filter) {
}
