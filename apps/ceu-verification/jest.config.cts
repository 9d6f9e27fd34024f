module.exports = {
  displayName: 'ceu-verification',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/ceu-verification',
};
