#!/usr/bin/env node
// Independent Merkle tree for the .NET cross-checks: reads a JSON array of leaf lists
// (bytes32 hex strings) on stdin, prints for each list the root and every proof of
// @openzeppelin/merkle-tree's StandardMerkleTree (leaf type bytes32), by input index.
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");

let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const lists = JSON.parse(input);
  const out = lists.map((leaves) => {
    const tree = StandardMerkleTree.of(leaves.map((l) => [l]), ["bytes32"]);
    return { root: tree.root, proofs: leaves.map((_, i) => tree.getProof(i)) };
  });
  process.stdout.write(JSON.stringify(out));
});
