// The service's public entry point (`@recert/petitions-service`): its root module, for the end-to-end tests.
export { PetitionsModule } from './petitions.module';
