module.exports = {
  displayName: 'one-process',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/one-process',
};
