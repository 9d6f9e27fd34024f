// The service's public entry point (`@recert/audits-service`): its root module, for the end-to-end tests.
export { AuditsModule } from './audits.module';
