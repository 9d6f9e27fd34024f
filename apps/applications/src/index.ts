// The service's public entry point (`@recert/applications-service`): its root module, for the end-to-end tests.
export { ApplicationsModule } from './applications.module';
