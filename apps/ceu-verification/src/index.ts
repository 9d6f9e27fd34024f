// The service's public entry point (`@recert/ceu-verification-service`): its root module, for the end-to-end tests.
export { CeuVerificationModule } from './ceu-verification.module';
