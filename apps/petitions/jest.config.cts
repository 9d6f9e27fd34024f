module.exports = {
  displayName: 'petitions',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/petitions',
};
