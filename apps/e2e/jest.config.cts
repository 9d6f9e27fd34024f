module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/e2e',
  globalSetup: '../../libs/messaging/src/testing/kafka.global-setup.ts',
};
