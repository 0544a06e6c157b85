const { expect } = require("chai");
const {
  ethers,
  code,
  fixture,
  registerOrigin,
  parcelDetails,
  transformationDetails,
  parcelDetailsHash,
  transformationDetailsHash,
  parcelHash,
  transformationHash,
  randomHash,
  ascending,
  ParcelStatus,
} = require("../support/fixtures");
const typedData = require("../../../scripts/lib/typed-data");

const abi = ethers.AbiCoder.defaultAbiCoder();
const parcelEncoder = ethers.TypedDataEncoder.from(typedData.parcelTypes);
const transformationEncoder = ethers.TypedDataEncoder.from(typedData.transformationTypes);
const utf8Hash = (s) => ethers.keccak256(ethers.toUtf8Bytes(s));

describe("ParcelHashing", function () {
  async function withHarness() {
    const f = await fixture();
    const harness = await ethers.deployContract("HashingHarness");
    return { ...f, harness };
  }

  it("uses type hashes that are keccak256 of its type strings, which are ethers' encodeType", async function () {
    const { harness } = await withHarness();
    const parcelDetailsType = await harness.parcelDetailsType();
    const transformationDetailsType = await harness.transformationDetailsType();
    expect(parcelDetailsType).to.equal(parcelEncoder.encodeType("ParcelDetails"));
    expect(transformationDetailsType).to.equal(transformationEncoder.encodeType("TransformationDetails"));

    const parcelType = "Parcel(bytes2 participant,ParcelDetails details)" + parcelDetailsType;
    expect(parcelType).to.equal(parcelEncoder.encodeType("Parcel"));
    expect(await harness.parcelTypeHash()).to.equal(utf8Hash(parcelType));
    expect(typedData.PARCEL_TYPEHASH).to.equal(utf8Hash(parcelType));

    const transformationType =
      "Transformation(bytes2 participant,bytes32[] inputs,bytes32[] outputs,TransformationDetails details)" +
      transformationDetailsType;
    expect(transformationType).to.equal(transformationEncoder.encodeType("Transformation"));
    expect(await harness.transformationTypeHash()).to.equal(utf8Hash(transformationType));
    expect(typedData.TRANSFORMATION_TYPEHASH).to.equal(utf8Hash(transformationType));
  });

  it("hashParcel is the registry's encoding with that type hash", async function () {
    const { registry, harness } = await withHarness();
    const details = randomHash();
    expect(await registry.hashParcel(code("BW"), details)).to.equal(
      ethers.keccak256(
        abi.encode(["bytes32", "bytes2", "bytes32"], [await harness.parcelTypeHash(), code("BW"), details]),
      ),
    );
  });

  it("hashParcel equals ethers' EIP-712 struct hash of Parcel { participant, details }", async function () {
    const { registry } = await fixture();
    for (const [participant, overrides] of [
      ["BW", {}],
      ["AE", { origins: [code("BW"), code("CA"), code("RU")], mine: "", carats: 0n }],
      ["EU", { parcelId: "Ünïcödé ✓", valueUsdCents: 2n ** 64n - 1n, salt: ethers.ZeroHash }],
    ]) {
      const details = parcelDetails(overrides);
      const expected = parcelEncoder.hashStruct("Parcel", { participant: code(participant), details });
      expect(await registry.hashParcel(code(participant), parcelDetailsHash(details))).to.equal(expected);
      expect(parcelHash(code(participant), parcelDetailsHash(details))).to.equal(expected);
    }
  });

  it("binds the parcel to its participant: the same details hash to another parcel elsewhere", async function () {
    const { registry } = await fixture();
    const details = parcelDetailsHash(parcelDetails());
    const hashes = await Promise.all(["BW", "AE", "IN"].map((p) => registry.hashParcel(code(p), details)));
    expect(new Set(hashes).size).to.equal(3);
  });

  it("registers a real ParcelDetails document under its EIP-712 Parcel hash", async function () {
    const { registry, bwMiner } = await fixture();
    const details = parcelDetails();
    const expected = parcelEncoder.hashStruct("Parcel", { participant: code("BW"), details });
    await expect(registry.connect(bwMiner).registerParcel(parcelDetailsHash(details)))
      .to.emit(registry, "ParcelRegistered")
      .withArgs(expected, code("BW"), bwMiner.address);
    expect((await registry.parcel(expected)).status).to.equal(ParcelStatus.Active);
  });

  describe("transformations commit to their inputs and outputs", function () {
    async function transformed() {
      const f = await fixture();
      const inputs = (await registerOrigin(f.registry, f.bwMiner, 3)).sort(ascending);
      const details = transformationDetails();
      const outputDocs = [parcelDetails({ parcelId: "out-1" }), parcelDetails({ parcelId: "out-2" })];
      const outputDetails = outputDocs.map(parcelDetailsHash);
      const outputs = outputDetails.map((d) => parcelHash(code("BW"), d));
      const value = { participant: code("BW"), inputs, outputs, details };
      const expected = transformationEncoder.hashStruct("Transformation", value);
      await f.registry.connect(f.bwTrader).transform(transformationDetailsHash(details), inputs, outputDetails);
      return { ...f, inputs, details, outputs, value, expected };
    }

    it("hashTransformation equals ethers' EIP-712 struct hash of Transformation {participant, inputs, outputs, details}", async function () {
      const { registry, inputs, details, outputs, expected } = await transformed();
      const detailsHash = transformationDetailsHash(details);
      expect(await registry.hashTransformation(code("BW"), inputs, outputs, detailsHash)).to.equal(expected);
      expect(transformationHash(code("BW"), inputs, outputs, detailsHash)).to.equal(expected);
    });

    it("records the transformation under that hash", async function () {
      const { registry, expected } = await transformed();
      const t = await registry.transformation(expected);
      expect([t.participant, t.inputCount, t.outputCount]).to.deep.equal([code("BW"), 3n, 2n]);
    });

    it("a document that leaves out an output, adds one, reorders them or changes an input matches nothing", async function () {
      const { registry, value, expected } = await transformed();
      const variants = [
        { ...value, outputs: value.outputs.slice(0, 1) },
        { ...value, outputs: value.outputs.slice(1) },
        { ...value, outputs: [...value.outputs, randomHash()] },
        { ...value, outputs: [...value.outputs].reverse() },
        { ...value, inputs: value.inputs.slice(1) },
        { ...value, inputs: [...value.inputs.slice(0, 2), randomHash()].sort(ascending) },
        { ...value, participant: code("AE") },
        { ...value, details: { ...value.details, operation: "split" } },
      ];
      for (const v of variants) {
        const h = transformationEncoder.hashStruct("Transformation", v);
        expect(h).to.not.equal(expected);
        expect(
          await registry.hashTransformation(v.participant, v.inputs, v.outputs, transformationDetailsHash(v.details)),
        ).to.equal(h);
        expect((await registry.transformation(h)).registrant).to.equal(0n);
      }
    });
  });
});
