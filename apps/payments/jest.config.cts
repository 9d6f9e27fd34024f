module.exports = {
  displayName: 'payments',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/payments',
};
