const { expect } = require("chai");
const {
  ethers,
  code,
  fixture,
  makeCertificate,
  domainOf,
  facts,
  certificateHash,
  certificateKey,
  randomHash,
} = require("../support/fixtures");
const { issueTypes, certificateTypes } = require("../../../scripts/lib/typed-data");

const utf8Hash = (s) => ethers.keccak256(ethers.toUtf8Bytes(s));

describe("CertificateHashing", function () {
  it("uses type hashes that are keccak256 of its type strings, which are ethers' encodeType", async function () {
    const harness = await ethers.deployContract("HashingHarness");
    const certificateEncoder = ethers.TypedDataEncoder.from(certificateTypes);
    const detailsType = await harness.certificateDetailsType();
    expect(detailsType).to.equal(certificateEncoder.encodeType("CertificateDetails"));
    const certificateType = (await harness.certificateType()) + detailsType;
    expect(certificateType).to.equal(certificateEncoder.encodeType("Certificate"));
    expect(await harness.certificateTypeHash()).to.equal(utf8Hash(certificateType));
    const issueType = "IssueCertificate(Certificate certificate,uint256 deadline)" + certificateType;
    expect(issueType).to.equal(ethers.TypedDataEncoder.from(issueTypes).encodeType("IssueCertificate"));
    expect(await harness.issueTypeHash()).to.equal(utf8Hash(issueType));
  });

  it("keys a certificate by its exporter and number hash", async function () {
    const { registry } = await fixture();
    const numberHash = utf8Hash("BW2026-000001");
    const expected = ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(["bytes2", "bytes32"], [code("BW"), numberHash]),
    );
    expect(await registry.certificateKey(code("BW"), numberHash)).to.equal(expected);
    expect(certificateKey(code("BW"), numberHash)).to.equal(expected);
    expect(await registry.certificateKey(code("AE"), numberHash)).to.not.equal(expected);
  });

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
