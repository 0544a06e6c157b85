const { expect } = require("chai");
const { ethers, fixture, makeCertificate, domainOf, facts, certificateHash, randomHash } = require("../support/fixtures");
const { issueTypes } = require("../../../scripts/lib/typed-data");

describe("CertificateHashing", function () {
  it("computes the same struct hash as ethers' TypedDataEncoder", async function () {
    const { registry } = await fixture();
    for (const parcels of [[randomHash()], Array.from({ length: 10 }, randomHash)]) {
      const cert = await makeCertificate(parcels);
      expect(await registry.hashCertificate(facts(cert))).to.equal(certificateHash(cert));
    }
  });

  it("changes the hash when any single field changes", async function () {
    const { registry } = await fixture();
    const cert = await makeCertificate([randomHash(), randomHash()]);
    const base = await registry.hashCertificate(facts(cert));
    const variants = [
      { ...cert, number: cert.number + "X" },
      { ...cert, importer: "0x494e" },
      { ...cert, expiresAt: cert.expiresAt + 1n },
      { ...cert, parcels: [...cert.parcels].reverse() },
      { ...cert, details: { ...cert.details, carats: cert.details.carats + 1n } },
      { ...cert, details: { ...cert.details, salt: randomHash() } },
    ];
    for (const v of variants) {
      const h = await registry.hashCertificate(facts(v));
      expect(h).to.equal(certificateHash(v));
      expect(h).to.not.equal(base);
    }
  });

  it("gives the digest eth_signTypedData_v4 signs for IssueCertificate", async function () {
    const { registry } = await fixture();
    const cert = await makeCertificate([randomHash()]);
    const deadline = 2_000_000_000n;
    const expected = ethers.TypedDataEncoder.hash(await domainOf(registry), issueTypes, { certificate: cert, deadline });
    expect(await registry.issueDigest(certificateHash(cert), deadline)).to.equal(expected);
  });

  it("publishes its EIP-712 domain (ERC-5267)", async function () {
    const { registry } = await fixture();
    const d = await registry.eip712Domain();
    const expected = await domainOf(registry);
    expect([d.name, d.version, d.chainId, d.verifyingContract]).to.deep.equal([
      expected.name,
      expected.version,
      expected.chainId,
      expected.verifyingContract,
    ]);
  });
});
