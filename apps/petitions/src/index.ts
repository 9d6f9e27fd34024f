// The service's public entry point (`@recert/petitions-service`): its root module and how it starts, for the end-to-end tests and the one-process host.
export { PetitionsModule, PETITIONS_START_OPTIONS } from './petitions.module';
