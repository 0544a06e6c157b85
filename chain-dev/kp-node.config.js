// The Hardhat configuration `kp chain up` starts its node with: the built-in network only (chain id 31337,
// the public test accounts), nothing to compile, no plugins, so it works wherever Hardhat is installed.
module.exports = { networks: { hardhat: { chainId: 31337 } } };
