module.exports = {
  displayName: 'rules',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/rules',
};
