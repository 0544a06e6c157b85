#!/usr/bin/env node
// A stand-in remote signer for the tests (what Clef or Web3Signer offer, nothing more): it holds
// one key and answers JSON-RPC on 127.0.0.1 with eth_accounts, eth_signTypedData_v4 (ethers'
// EIP-712, independent of kp's) and eth_signTransaction. Prints "listening <url>" once ready.
//   node tests/tools/stand-in-signer.js [--port N] [--delay-ms N] [--refuse] [--wrong-key] [--web3signer]
// The key comes from $KP_TEST_SIGNER_KEY (never a command-line argument). --delay-ms answers late
// (a slow signer), --refuse refuses every signing request (an operator saying no), --wrong-key
// signs with another key than the account it offers (a misconfigured signer), --web3signer names
// the typed-data method eth_signTypedData as Web3Signer does (eth_signTypedData_v4 is then unknown).
const http = require("node:http");
const { ethers } = require("ethers");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(option("--port", "0"));
const delayMs = Number(option("--delay-ms", "0"));
const refuse = args.includes("--refuse");
const typedDataMethod = args.includes("--web3signer") ? "eth_signTypedData" : "eth_signTypedData_v4";
const key = process.env.KP_TEST_SIGNER_KEY;
if (!key) {
  console.error("set KP_TEST_SIGNER_KEY");
  process.exit(2);
}
const wallet = new ethers.Wallet(key);
const signing = args.includes("--wrong-key") ? ethers.Wallet.createRandom() : wallet;

async function answer(method, params) {
  switch (method) {
    case "eth_accounts":
      return [wallet.address];
    case typedDataMethod: {
      const [address, data] = params;
      if (ethers.getAddress(address) !== wallet.address) throw new Error(`no key for ${address}`);
      const { types, domain, message } = typeof data === "string" ? JSON.parse(data) : data;
      const { EIP712Domain, ...rest } = types;
      void EIP712Domain;
      return signing.signTypedData(domain, rest, message);
    }
    case "eth_signTransaction": {
      const [tx] = params;
      if (ethers.getAddress(tx.from) !== wallet.address) throw new Error(`no key for ${tx.from}`);
      const legacy = tx.type === "0x0";
      return signing.signTransaction({
        type: legacy ? 0 : 2,
        chainId: BigInt(tx.chainId),
        nonce: Number(BigInt(tx.nonce)),
        to: tx.to ?? null,
        data: tx.data ?? tx.input,
        value: BigInt(tx.value ?? 0),
        gasLimit: BigInt(tx.gas),
        ...(legacy
          ? { gasPrice: BigInt(tx.gasPrice) }
          : { maxFeePerGas: BigInt(tx.maxFeePerGas), maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas) }),
      });
    }
    default:
      throw Object.assign(new Error(`method ${method} not offered`), { code: -32601 });
  }
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", async () => {

    let id = null;
    let reply;
    try {
      const call = JSON.parse(body);
      id = call.id;
      if (refuse && call.method !== "eth_accounts") {
        throw Object.assign(new Error("request denied by the signer's operator"), { code: -32000 });
      }
      reply = { jsonrpc: "2.0", id, result: await answer(call.method, call.params ?? []) };
    } catch (e) {
      reply = { jsonrpc: "2.0", id, error: { code: e.code ?? -32000, message: e.message } };
    }
    const send = () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    };
    if (delayMs > 0 && !(reply.result && Array.isArray(reply.result))) setTimeout(send, delayMs);
    else send();
  });
});
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
