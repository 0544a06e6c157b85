// Deploys the registry to any Ethereum JSON-RPC endpoint and writes the deployment record that
// the .NET side (and `kp`) read: chain id, address, block, transaction, and the hash of the
// code the chain holds at that address (it detects a chain that was reset under a client).
const fs = require("node:fs");
const path = require("node:path");
const { ethers } = require("ethers");
const { ROOT, RUN_DIR } = require("./node-process");

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const DEV_CHAIN_IDS = new Set([31337n]);
const ARTIFACT = path.join(ROOT, "artifacts", "contracts", "KimberleyRegistry.sol", "KimberleyRegistry.json");
const DEFAULT_RECORD = path.join(RUN_DIR, "deployment.json");

/** Compiles the contracts (offline, see hardhat.config.js) and returns the registry artifact. */
async function loadArtifact() {
  const hre = require("hardhat");
  await hre.run("compile", { quiet: true });
  return JSON.parse(fs.readFileSync(ARTIFACT, "utf8"));
}

/**
 * The signing wallet: account `index` of KP_MNEMONIC, or of Hardhat's public dev mnemonic when
 * the chain is a dev chain (chain id 31337). Never prints the phrase.
 */
function walletFor(provider, chainId, index = 0) {
  let phrase = process.env.KP_MNEMONIC;
  if (!phrase) {
    if (!DEV_CHAIN_IDS.has(chainId)) {
      throw new Error(`chain ${chainId} is not a dev chain: set KP_MNEMONIC to the deployer's mnemonic`);
    }
    phrase = HARDHAT_MNEMONIC;
  }
  return ethers.HDNodeWallet.fromPhrase(phrase, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}

/**
 * Deploys KimberleyRegistry with `governor` (default: the deployer) and writes the record.
 * Returns { record, registry, wallet, provider }.
 */
async function deployRegistry({ rpcUrl, account = 0, governor, out = DEFAULT_RECORD }) {
  const artifact = await loadArtifact();
  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, pollingInterval: 50 });
  const { chainId } = await provider.getNetwork();
  const wallet = walletFor(provider, chainId, account);
  const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallet);
  const registry = await factory.deploy(governor ?? wallet.address);
  const tx = registry.deploymentTransaction();
  const receipt = await tx.wait();
  const code = await provider.getCode(receipt.contractAddress);
  const record = {
    contract: "KimberleyRegistry",
    chainId: Number(chainId),
    rpcUrl,
    address: receipt.contractAddress,
    governor: governor ?? wallet.address,
    deployer: wallet.address,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    transactionHash: receipt.hash,
    runtimeCodeHash: ethers.keccak256(code),
    compiler: `solc ${require("solc/package.json").version}`,
    deployedAt: new Date().toISOString(),
  };
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(record, null, 2) + "\n");
  }
  return { record, registry, wallet, provider, artifact };
}

module.exports = { deployRegistry, walletFor, loadArtifact, HARDHAT_MNEMONIC, DEFAULT_RECORD };
