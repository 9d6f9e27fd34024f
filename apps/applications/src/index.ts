// The service's public entry point (`@recert/applications-service`): its root module and how it starts, for the end-to-end tests and the one-process host.
export { ApplicationsModule, APPLICATIONS_START_OPTIONS } from './applications.module';
