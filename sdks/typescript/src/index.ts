export { ArqonBusClient, type ClientOptions } from "./client.js";
export { Backoff, type BackoffOptions } from "./backoff.js";
export { closeRule, closeTable, type CloseAction, type CloseRule } from "./closeCodes.js";
export { ArqonBusError, type ClientErrorCode } from "./errors.js";
export { FilterSubscription, type Filter, type FilterOptions } from "./filter.js";
export {
  Subscription, type ChannelEvent, type SubscribeOptions, type SubscribedContext, type SubscriptionState,
} from "./subscription.js";
export type {
  BusMessage, ClientEvents, ClientState, DisconnectInfo, Frame, PublishOptions, PublishResult, StreamPosition,
  WebSocketConstructor, WebSocketLike,
} from "./types.js";
