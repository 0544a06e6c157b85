// solidity-coverage settings: the test doubles in contracts/mocks are not product code.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["text", "json-summary"],
  configureYulOptimizer: true,
};
