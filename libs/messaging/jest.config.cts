module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/messaging',
  globalSetup: './src/testing/kafka.global-setup.ts',
  testTimeout: 60_000,
};
