#!/usr/bin/env node
// What a wallet does with kp's typed data, by an independent EIP-712 implementation (ethers):
// reads an eth_signTypedData_v4 document on stdin, signs it with the key in $KP_TEST_SIGNER_KEY,
// prints { signature, signer, digest }.
const { ethers } = require("ethers");

let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", async () => {
  const { types, domain, message } = JSON.parse(input);
  const { EIP712Domain, ...rest } = types;
  void EIP712Domain;
  const wallet = new ethers.Wallet(process.env.KP_TEST_SIGNER_KEY);
  const signature = await wallet.signTypedData(domain, rest, message);
  const digest = ethers.TypedDataEncoder.hash(domain, rest, message);
  process.stdout.write(JSON.stringify({ signature, signer: wallet.address, digest }));
});
