module.exports = require('../../scripts/build/service-webpack.config')('one-process');
