// solidity-coverage settings: the test double in contracts/mocks is not product code.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["text", "json-summary"],
  configureYulOptimizer: true,
};
