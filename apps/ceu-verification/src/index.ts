// The service's public entry point (`@recert/ceu-verification-service`): its root module and how it starts, for the end-to-end tests and the one-process host.
export { CeuVerificationModule, CEU_VERIFICATION_START_OPTIONS } from './ceu-verification.module';
