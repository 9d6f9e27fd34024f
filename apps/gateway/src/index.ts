// The service's public entry point (`@recert/gateway-service`): its root module and start options,
// and the path each upstream event is posted to, for the end-to-end tests (the first two for the
// one-process host too).
export { GATEWAY_START_OPTIONS, GatewayModule } from './gateway.module';
export { eventSlug, INGESTED_EVENTS } from './ingest-upstream-event/upstream-event-routes';
