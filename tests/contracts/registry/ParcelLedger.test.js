const { expect } = require("chai");
const { StandardMerkleTree } = require("@openzeppelin/merkle-tree");
const {
  ethers,
  time,
  code,
  fixture,
  registerOrigin,
  makeCertificate,
  facts,
  randomHash,
  sortedHashes,
  ascending,
  ParcelStatus,
  Flag,
} = require("../support/fixtures");

describe("ParcelLedger", function () {
  describe("origin parcels", function () {
    it("registers one parcel held by the member's participant", async function () {
      const { registry, bwMiner } = await fixture();
      const hash = randomHash();
      await expect(registry.connect(bwMiner).registerParcel(hash))
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
    });

    it("registers a batch, one event per parcel, and reads them back in one call", async function () {
      const { registry, bwMiner } = await fixture();
      const hashes = Array.from({ length: 25 }, randomHash);
      const receipt = await (await registry.connect(bwMiner).registerParcels(hashes)).wait();
      const events = receipt.logs.map((l) => registry.interface.parseLog(l)).filter((e) => e.name === "ParcelRegistered");
      expect(events.map((e) => e.args.parcel)).to.deep.equal(hashes);
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

    it("refuses the zero hash", async function () {
      const { registry, bwMiner } = await fixture();
      await expect(registry.connect(bwMiner).registerParcel(ethers.ZeroHash)).to.be.revertedWithCustomError(
        registry,
        "ZeroHash",
      );
    });

    it("registers a hash once: again, inside one batch, or by another member", async function () {
      const { registry, bwMiner, aeTrader } = await fixture();
      const [hash] = await registerOrigin(registry, bwMiner, 1);
      await expect(registry.connect(bwMiner).registerParcel(hash))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(hash);
      await expect(registry.connect(aeTrader).registerParcel(hash))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(hash);
      const fresh = randomHash();
      await expect(registry.connect(bwMiner).registerParcels([fresh, fresh]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(fresh);
    });

    it("refuses a non-member, and a member of a suspended participant", async function () {
      const { registry, bwMiner, outsider, bwAuthority } = await fixture();
      await expect(registry.connect(outsider).registerParcel(randomHash()))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, "0x0000");
      await expect(registry.connect(bwAuthority).registerParcels([randomHash()]))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(bwAuthority.address, "0x0000");
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwMiner).registerParcel(randomHash()))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
      await expect(registry.connect(bwMiner).registerParcels([randomHash()]))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });
  });

  describe("transformations", function () {
    async function withInputs(n = 2) {
      const f = await fixture();
      const inputs = (await registerOrigin(f.registry, f.bwMiner, n)).sort(ascending);
      return { ...f, inputs };
    }

    it("consumes the inputs and creates the outputs in one call", async function () {
      const { registry, bwTrader, inputs } = await withInputs(2);
      const t = randomHash();
      const outputs = [randomHash(), randomHash(), randomHash()];
      const tx = registry.connect(bwTrader).transform(t, inputs, outputs);
      await expect(tx).to.emit(registry, "ParcelsTransformed").withArgs(t, code("BW"), bwTrader.address, inputs, outputs);
      for (const o of outputs) await expect(tx).to.emit(registry, "ParcelDerived").withArgs(o, t, code("BW"));

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
    });

    it("answers whether a claimed parent set is exactly what produced a parcel", async function () {
      const { registry, bwMiner, bwTrader } = await fixture();
      const inputs = (await registerOrigin(registry, bwMiner, 3)).sort(ascending);
      const [out] = [randomHash()];
      await registry.connect(bwTrader).transform(randomHash(), inputs, [out]);
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
      const mid = sortedHashes(2);
      await registry.connect(bwTrader).transform(randomHash(), inputs, mid);
      const last = randomHash();
      await registry.connect(bwTrader).transform(randomHash(), mid, [last]);
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

    it("refuses an output that already exists, or is zero", async function () {
      const { registry, bwTrader, bwMiner, inputs } = await withInputs(1);
      const [existing] = await registerOrigin(registry, bwMiner, 1);
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [existing]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(existing);
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [inputs[0]]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(inputs[0]);
      await expect(
        registry.connect(bwTrader).transform(randomHash(), inputs, [ethers.ZeroHash]),
      ).to.be.revertedWithCustomError(registry, "ZeroHash");
    });

    it("refuses a zero or already registered transformation hash, and empty lists", async function () {
      const { registry, bwTrader, bwMiner, inputs } = await withInputs(1);
      await expect(
        registry.connect(bwTrader).transform(ethers.ZeroHash, inputs, [randomHash()]),
      ).to.be.revertedWithCustomError(registry, "ZeroHash");
      await expect(registry.connect(bwTrader).transform(randomHash(), [], [randomHash()])).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
      await expect(registry.connect(bwTrader).transform(randomHash(), inputs, [])).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
      const t = randomHash();
      await registry.connect(bwTrader).transform(t, inputs, [randomHash()]);
      const more = (await registerOrigin(registry, bwMiner, 1)).sort(ascending);
      await expect(registry.connect(bwTrader).transform(t, more, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(t);
    });

    it("refuses a non-member and a member of a suspended participant", async function () {
      const { registry, bwTrader, outsider, inputs } = await withInputs(1);
      await expect(registry.connect(outsider).transform(randomHash(), inputs, [randomHash()]))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, "0x0000");
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
          expect(await registry.isAnchored(tree.root, leaf, tree.getProof(i))).to.equal(true);
        }
        expect(await registry.isAnchored(tree.root, randomHash(), tree.getProof(0))).to.equal(false);
      });
    }

    it("stores who anchored and when", async function () {
      const { registry, bwMiner } = await fixture();
      const root = randomHash();
      await registry.connect(bwMiner).anchorBatch(root, 3);
      const [, , index] = await registry.memberOf(bwMiner.address);
      expect(await registry.anchor(root)).to.deep.equal([code("BW"), Flag.None, index, BigInt(await time.latest()), 3n]);
    });

    it("proves nothing against a root that was never anchored", async function () {
      const { registry } = await fixture();
      const tree = StandardMerkleTree.of([[randomHash()], [randomHash()]], ["bytes32"]);
      expect(await registry.isAnchored(tree.root, tree.at(0)[0], tree.getProof(0))).to.equal(false);
    });

    it("refuses a non-member, a zero root, zero leaves and a root anchored twice", async function () {
      const { registry, bwMiner, outsider } = await fixture();
      await expect(registry.connect(outsider).anchorBatch(randomHash(), 1))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, "0x0000");
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
      await expect(registry.connect(bwMiner).anchorBatch(root, 1))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(root);
    });

    it("accepts evidence from a member of a suspended participant (design note)", async function () {
      const { registry, bwMiner } = await fixture();
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwMiner).anchorBatch(randomHash(), 4)).to.emit(registry, "BatchAnchored");
    });
  });
});
