const { expect } = require("chai");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const {
  ethers,
  time,
  code,
  fixture,
  registerOrigin,
  registerDetails,
  transformInto,
  makeCertificate,
  facts,
  randomHash,
  ascending,
  parcelHash,
  transformationHash,
  anchorKey,
  ParcelStatus,
  Flag,
  NO_PARTICIPANT,
} = require("../support/fixtures");

describe("ParcelLedger", function () {
  describe("origin parcels", function () {
    it("registers one parcel, bound to the member's participant, and returns its hash", async function () {
      const { registry, bwMiner } = await fixture();
      const details = randomHash();
      const hash = parcelHash(code("BW"), details);
      expect(await registry.connect(bwMiner).registerParcel.staticCall(details)).to.equal(hash);
      await expect(registry.connect(bwMiner).registerParcel(details))
        .to.emit(registry, "ParcelRegistered")
        .withArgs(hash, code("BW"), bwMiner.address);
      const [, , index] = await registry.memberOf(bwMiner.address);
      expect(await registry.parcel(hash)).to.deep.equal([
        code("BW"),
        ParcelStatus.Active,
        Flag.None,
        index,
        BigInt(await time.latest()),
        ethers.ZeroHash.slice(0, 42),
      ]);
      // the details hash itself is no parcel
      expect((await registry.parcel(details)).status).to.equal(ParcelStatus.None);
    });

    it("registers a batch, one event per parcel, and reads them back in one call", async function () {
      const { registry, bwMiner } = await fixture();
      const details = Array.from({ length: 25 }, randomHash);
      const hashes = details.map((d) => parcelHash(code("BW"), d));
      const receipt = await (await registry.connect(bwMiner).registerParcels(details)).wait();
      const events = receipt.logs.map((l) => registry.interface.parseLog(l)).filter((e) => e.name === "ParcelRegistered");
      expect(events.map((e) => [e.args.parcel, e.args.participant, e.args.registrant])).to.deep.equal(
        hashes.map((h) => [h, code("BW"), bwMiner.address]),
      );
      const states = await registry.parcelsOf([...hashes, randomHash()]);
      expect(states.slice(0, 25).every((p) => p.status === ParcelStatus.Active && p.participant === code("BW"))).to.equal(
        true,
      );
      expect(states[25].status).to.equal(ParcelStatus.None);
    });

    it("refuses an empty batch", async function () {
      const { registry, bwMiner } = await fixture();
      await expect(registry.connect(bwMiner).registerParcels([])).to.be.revertedWithCustomError(registry, "EmptyList");
    });

    it("binds even the zero details hash to the participant, so a parcel hash is never zero", async function () {
      const { registry, bwMiner } = await fixture();
      const hash = parcelHash(code("BW"), ethers.ZeroHash);
      expect(hash).to.not.equal(ethers.ZeroHash);
      await expect(registry.connect(bwMiner).registerParcel(ethers.ZeroHash))
        .to.emit(registry, "ParcelRegistered")
        .withArgs(hash, code("BW"), bwMiner.address);
    });

    it("registers a parcel once: again, by another member of the same participant, or twice in one batch", async function () {
      const { registry, bwMiner, bwTrader } = await fixture();
      const { details, parcels } = await registerDetails(registry, bwMiner, 1);
      for (const member of [bwMiner, bwTrader]) {
        await expect(registry.connect(member).registerParcel(details[0]))
          .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
          .withArgs(parcels[0]);
      }
      const fresh = randomHash();
      await expect(registry.connect(bwMiner).registerParcels([fresh, fresh]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(parcelHash(code("BW"), fresh));
      expect((await registry.parcel(parcelHash(code("BW"), fresh))).status).to.equal(ParcelStatus.None);
    });

    it("refuses a non-member, and a member of a suspended participant", async function () {
      const { registry, bwMiner, outsider, bwAuthority } = await fixture();
      await expect(registry.connect(outsider).registerParcel(randomHash()))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, NO_PARTICIPANT);
      await expect(registry.connect(bwAuthority).registerParcels([randomHash()]))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(bwAuthority.address, NO_PARTICIPANT);
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwMiner).registerParcel(randomHash()))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
      await expect(registry.connect(bwMiner).registerParcels([randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });
  });

  describe("front-running by a member of another participant", function () {
    // A pending transaction shows its arguments to everyone. Registration keys are computed from
    // the caller's participant, so copying them under another participant creates an unrelated
    // record and the owner's call still succeeds.

    it("registerParcel: the same details registered first in AE do not block BW", async function () {
      const { registry, bwMiner, aeTrader } = await fixture();
      const details = randomHash();
      const aeHash = parcelHash(code("AE"), details);
      const bwHash = parcelHash(code("BW"), details);
      await expect(registry.connect(aeTrader).registerParcel(details))
        .to.emit(registry, "ParcelRegistered")
        .withArgs(aeHash, code("AE"), aeTrader.address);
      await expect(registry.connect(bwMiner).registerParcel(details))
        .to.emit(registry, "ParcelRegistered")
        .withArgs(bwHash, code("BW"), bwMiner.address);
      expect(aeHash).to.not.equal(bwHash);
      const [ae, bw] = await registry.parcelsOf([aeHash, bwHash]);
      expect([ae.participant, ae.status, bw.participant, bw.status]).to.deep.equal([
        code("AE"),
        ParcelStatus.Active,
        code("BW"),
        ParcelStatus.Active,
      ]);
    });

    it("registerParcels: a copied batch, whole or in part, does not block BW's batch", async function () {
      const { registry, bwMiner, aeTrader } = await fixture();
      const details = Array.from({ length: 5 }, randomHash);
      await registry.connect(aeTrader).registerParcels(details);
      await registry.connect(aeTrader).registerParcel(randomHash());
      await expect(registry.connect(bwMiner).registerParcels(details)).to.emit(registry, "ParcelRegistered");
      const states = await registry.parcelsOf([
        ...details.map((d) => parcelHash(code("BW"), d)),
        ...details.map((d) => parcelHash(code("AE"), d)),
      ]);
      expect(states.map((p) => p.participant)).to.deep.equal([...Array(5).fill(code("BW")), ...Array(5).fill(code("AE"))]);
    });

    it("transform: outputs and a transformation copied in AE first do not block BW's transformation", async function () {
      const { registry, bwMiner, bwTrader, aeTrader } = await fixture();
      const inputs = (await registerOrigin(registry, bwMiner, 2)).sort(ascending);
      const details = randomHash();
      const outputDetails = [randomHash(), randomHash()];

      // The AE member registers BW's output details as origin parcels, and records its own
      // transformation with the same details and output details.
      await registry.connect(aeTrader).registerParcels([outputDetails[0]]);
      const aeInputs = (await registerOrigin(registry, aeTrader, 1)).sort(ascending);
      await registry.connect(aeTrader).transform(details, aeInputs, [outputDetails[1]]);

      const outputs = outputDetails.map((d) => parcelHash(code("BW"), d));
      const t = transformationHash(code("BW"), inputs, outputs, details);
      await expect(registry.connect(bwTrader).transform(details, inputs, outputDetails))
        .to.emit(registry, "ParcelsTransformed")
        .withArgs(t, code("BW"), bwTrader.address, outputDetails);
      const aeOutputs = outputDetails.map((d) => parcelHash(code("AE"), d));
      const states = await registry.parcelsOf([...outputs, ...aeOutputs]);
      expect(states.map((p) => p.participant)).to.deep.equal([code("BW"), code("BW"), code("AE"), code("AE")]);
      expect(outputs).to.not.include.members(aeOutputs);
      const aeT = transformationHash(code("AE"), aeInputs, [aeOutputs[1]], details);
      expect((await registry.transformation(aeT)).participant).to.equal(code("AE"));
      expect((await registry.transformation(t)).participant).to.equal(code("BW"));
    });

    it("anchorBatch: a root anchored first in AE does not block BW, and proofs name the participant", async function () {
      const { registry, bwMiner, aeTrader } = await fixture();
      const leaves = Array.from({ length: 4 }, () => [randomHash()]);
      const tree = StandardMerkleTree.of(leaves, ["bytes32"]);
      await expect(registry.connect(aeTrader).anchorBatch(tree.root, 99))
        .to.emit(registry, "BatchAnchored")
        .withArgs(tree.root, code("AE"), aeTrader.address, 99);
      await expect(registry.connect(bwMiner).anchorBatch(tree.root, 4))
        .to.emit(registry, "BatchAnchored")
        .withArgs(tree.root, code("BW"), bwMiner.address, 4);
      expect(anchorKey(code("BW"), tree.root)).to.not.equal(anchorKey(code("AE"), tree.root));
      const [bwIndex, aeIndex] = [(await registry.memberOf(bwMiner.address))[2], (await registry.memberOf(aeTrader.address))[2]];
      const [bw, ae] = [await registry.anchor(code("BW"), tree.root), await registry.anchor(code("AE"), tree.root)];
      expect([bw.participant, bw.registrant, bw.leafCount]).to.deep.equal([code("BW"), bwIndex, 4n]);
      expect([ae.participant, ae.registrant, ae.leafCount]).to.deep.equal([code("AE"), aeIndex, 99n]);
      for (const p of ["BW", "AE"]) {
        expect(await registry.isAnchored(code(p), tree.root, leaves[2][0], tree.getProof(2))).to.equal(true);
      }
      expect(await registry.isAnchored(code("IN"), tree.root, leaves[2][0], tree.getProof(2))).to.equal(false);
    });
  });

  describe("transformations", function () {
    async function withInputs(n = 2) {
      const f = await fixture();
      const inputs = (await registerOrigin(f.registry, f.bwMiner, n)).sort(ascending);
      return { ...f, inputs };
    }

    it("consumes the inputs and creates the outputs in one call, under a hash it computes", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      const details = randomHash();
      const outputDetails = [randomHash(), randomHash(), randomHash()];
      const outputs = outputDetails.map((d) => parcelHash(code("BW"), d));
      const t = transformationHash(code("BW"), inputs, outputs, details);
      expect(await registry.connect(bwTrader).transform.staticCall(details, inputs, outputDetails)).to.equal(t);
      const tx = registry.connect(bwTrader).transform(details, inputs, outputDetails);
      await expect(tx)
        .to.emit(registry, "ParcelsTransformed")
        .withArgs(t, code("BW"), bwTrader.address, outputDetails);
      for (const o of outputs) await expect(tx).to.emit(registry, "ParcelDerived").withArgs(o, t, code("BW"), inputs);

      const parents = ethers.keccak256(ethers.concat(inputs)).slice(0, 42);
      const [, , index] = await registry.memberOf(bwTrader.address);
      for (const i of inputs) expect((await registry.parcel(i)).status).to.equal(ParcelStatus.Consumed);
      for (const o of outputs) {
        const p = await registry.parcel(o);
        expect([p.participant, p.status, p.registrant, p.parents]).to.deep.equal([
          code("BW"),
          ParcelStatus.Active,
          index,
          parents,
        ]);
      }
      expect(await registry.transformation(t)).to.deep.equal([
        code("BW"),
        Flag.None,
        2n,
        3n,
        index,
        BigInt(await time.latest()),
      ]);
      expect(await registry.hashTransformation(code("BW"), inputs, outputs, details)).to.equal(t);
    });

    it("answers whether a claimed parent set is exactly what produced a parcel", async function () {
      const { registry, bwMiner, bwTrader } = await fixture();
      const inputs = (await registerOrigin(registry, bwMiner, 3)).sort(ascending);
      const {
        outputs: [out],
      } = await transformInto(registry, bwTrader, inputs);
      expect(await registry.isProducedBy(out, inputs)).to.equal(true);
      expect(await registry.isProducedBy(out, [...inputs].reverse())).to.equal(true);
      expect(await registry.isProducedBy(out, inputs.slice(0, 2))).to.equal(false);
      expect(await registry.isProducedBy(out, [...inputs, randomHash()])).to.equal(false);
      expect(await registry.isProducedBy(out, [inputs[0], inputs[0], inputs[1]])).to.equal(false);
      expect(await registry.isProducedBy(out, [])).to.equal(false);
      expect(await registry.isProducedBy(inputs[0], [])).to.equal(false);
      expect(await registry.isProducedBy(inputs[0], [randomHash()])).to.equal(false);
    });

    it("chains: outputs are inputs of a later transformation", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      const { outputs: mid } = await transformInto(registry, bwTrader, inputs, 2);
      const {
        outputs: [last],
      } = await transformInto(registry, bwTrader, mid);
      expect(await registry.isProducedBy(last, mid)).to.equal(true);
      expect(await registry.isProducedBy(last, inputs)).to.equal(false);
    });

    it("uses an input once: a consumed parcel is never reused", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      await registry.connect(bwTrader).transform(randomHash(), inputs, [randomHash()]);
      await expect(registry.connect(bwTrader).transform(randomHash(), [inputs[0]], [randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParcelNotActive")
        .withArgs(inputs[0], ParcelStatus.Consumed);
    });

    it("refuses inputs that are not strictly ascending (which also refuses duplicates)", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      await expect(registry.connect(bwTrader).transform(randomHash(), [inputs[1], inputs[0]], [randomHash()]))
        .to.be.revertedWithCustomError(registry, "InputsNotSorted")
        .withArgs(1);
      await expect(registry.connect(bwTrader).transform(randomHash(), [inputs[0], inputs[0]], [randomHash()]))
        .to.be.revertedWithCustomError(registry, "InputsNotSorted")
        .withArgs(1);
    });

    it("refuses an unknown input", async function () {
      const { registry, bwTrader } = await fixture();
      const unknown = randomHash();
      await expect(registry.connect(bwTrader).transform(randomHash(), [unknown], [randomHash()]))
        .to.be.revertedWithCustomError(registry, "UnknownParcel")
        .withArgs(unknown);
    });

    it("refuses an input held by another participant", async function () {
      const { registry, aeTrader, inputs } = await withInputs(1);
      await expect(registry.connect(aeTrader).transform(randomHash(), inputs, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParcelNotHeld")
        .withArgs(inputs[0], code("BW"));
    });

    it("refuses an input locked to a certificate", async function () {
      const { registry, bwAuthority, bwTrader, inputs } = await withInputs(1);
      await registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(inputs)));
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParcelNotActive")
        .withArgs(inputs[0], ParcelStatus.Locked);
    });

    it("refuses an output that already exists: a parcel of the participant, an input, or twice in one call", async function () {
      const { registry, bwTrader, bwMiner } = await fixture();
      const { details: inputDetails, parcels: inputs } = await registerDetails(registry, bwMiner, 1);
      const { details: existingDetails, parcels: existing } = await registerDetails(registry, bwMiner, 1);
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, existingDetails))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(existing[0]);
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, inputDetails))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(inputs[0]);
      const twice = randomHash();
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [twice, twice]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(parcelHash(code("BW"), twice));
      expect((await registry.parcel(inputs[0])).status).to.equal(ParcelStatus.Active);
    });

    it("refuses the same transformation recorded twice, before looking at its (consumed) inputs", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      const details = randomHash();
      const outputDetails = [randomHash()];
      const t = await registry.connect(bwTrader).transform.staticCall(details, inputs, outputDetails);
      await registry.connect(bwTrader).transform(details, inputs, outputDetails);
      await expect(registry.connect(bwTrader).transform(details, inputs, outputDetails))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(t);
    });

    it("accepts the zero details hash (the transformation hash is computed, never zero)", async function () {
      const { registry, bwTrader, inputs } = await withInputs(1);
      const outputDetails = [randomHash()];
      const t = transformationHash(code("BW"), inputs, [parcelHash(code("BW"), outputDetails[0])], ethers.ZeroHash);
      await expect(registry.connect(bwTrader).transform(ethers.ZeroHash, inputs, outputDetails))
        .to.emit(registry, "ParcelsTransformed")
        .withArgs(t, code("BW"), bwTrader.address, outputDetails);
    });

    it("refuses empty input and output lists", async function () {
      const { registry, bwTrader, inputs } = await withInputs(1);
      await expect(registry.connect(bwTrader).transform(randomHash(), [], [randomHash()])).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [])).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
    });

    it("refuses a non-member and a member of a suspended participant", async function () {
      const { registry, bwTrader, outsider, inputs } = await withInputs(1);
      await expect(registry.connect(outsider).transform(randomHash(), inputs, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, NO_PARTICIPANT);
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });
  });

  describe("batch anchors", function () {
    for (const n of [1, 2, 5, 7, 16]) {
      it(`anchors a StandardMerkleTree of ${n} leaves and proves each leaf`, async function () {
        const { registry, bwMiner } = await fixture();
        const leaves = Array.from({ length: n }, () => [randomHash()]);
        const tree = StandardMerkleTree.of(leaves, ["bytes32"]);
        await expect(registry.connect(bwMiner).anchorBatch(tree.root, n))
          .to.emit(registry, "BatchAnchored")
          .withArgs(tree.root, code("BW"), bwMiner.address, n);
        for (const [i, [leaf]] of tree.entries()) {
          expect(await registry.isAnchored(code("BW"), tree.root, leaf, tree.getProof(i))).to.equal(true);
        }
        expect(await registry.isAnchored(code("BW"), tree.root, randomHash(), tree.getProof(0))).to.equal(false);
        // the same root under a participant that did not anchor it proves nothing
        expect(await registry.isAnchored(code("AE"), tree.root, tree.at(0)[0], tree.getProof(0))).to.equal(false);
      });
    }

    it("stores who anchored and when, under anchorKey(participant, root)", async function () {
      const { registry, bwMiner } = await fixture();
      const root = randomHash();
      await registry.connect(bwMiner).anchorBatch(root, 3);
      const [, , index] = await registry.memberOf(bwMiner.address);
      expect(await registry.anchor(code("BW"), root)).to.deep.equal([
        code("BW"),
        Flag.None,
        index,
        BigInt(await time.latest()),
        3n,
      ]);
      expect((await registry.anchor(code("AE"), root)).registrant).to.equal(0n);
      expect(await registry.anchorKey(code("BW"), root)).to.equal(anchorKey(code("BW"), root));
      expect(anchorKey(code("BW"), root)).to.equal(
        ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes2", "bytes32"], [code("BW"), root])),
      );
    });

    it("proves nothing against a root that was never anchored", async function () {
      const { registry } = await fixture();
      const tree = StandardMerkleTree.of([[randomHash()], [randomHash()]], ["bytes32"]);
      expect(await registry.isAnchored(code("BW"), tree.root, tree.at(0)[0], tree.getProof(0))).to.equal(false);
    });

    it("refuses a non-member, a zero root, zero leaves and a root anchored twice by the participant", async function () {
      const { registry, bwMiner, bwTrader, outsider } = await fixture();
      await expect(registry.connect(outsider).anchorBatch(randomHash(), 1))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, NO_PARTICIPANT);
      await expect(registry.connect(bwMiner).anchorBatch(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
        registry,
        "ZeroHash",
      );
      await expect(registry.connect(bwMiner).anchorBatch(randomHash(), 0)).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
      const root = randomHash();
      await registry.connect(bwMiner).anchorBatch(root, 1);
      for (const member of [bwMiner, bwTrader]) {
        await expect(registry.connect(member).anchorBatch(root, 1))
          .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
          .withArgs(root);
      }
    });

    it("accepts evidence from a member of a suspended participant (design note)", async function () {
      const { registry, bwMiner } = await fixture();
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwMiner).anchorBatch(randomHash(), 4)).to.emit(registry, "BatchAnchored");
    });
  });
});
