module.exports = {
  displayName: 'audits',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/audits',
};
