module.exports = {
  displayName: 'deadlines',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/deadlines',
};
