// The service's public entry point (`@recert/audits-service`): its root module and how it starts, for the end-to-end tests and the one-process host.
export { AuditsModule, AUDITS_START_OPTIONS } from './audits.module';
