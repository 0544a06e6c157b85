#!/usr/bin/env node
// Independent EIP-712 implementation for the .NET cross-checks: reads a JSON array of
// eth_signTypedData_v4 documents on stdin, prints a JSON array of
// { structHash, digest } computed by ethers.js TypedDataEncoder.
const { ethers } = require("ethers");

let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const docs = JSON.parse(input);
  const out = docs.map(({ types, primaryType, domain, message }) => {
    const { EIP712Domain, ...rest } = types;
    void EIP712Domain;
    return {
      structHash: ethers.TypedDataEncoder.from(rest).hashStruct(primaryType, message),
      digest: ethers.TypedDataEncoder.hash(domain, rest, message),
      domainSeparator: ethers.TypedDataEncoder.hashDomain(domain),
    };
  });
  process.stdout.write(JSON.stringify(out));
});
