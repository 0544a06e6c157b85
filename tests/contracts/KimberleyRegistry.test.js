const { expect } = require("chai");
const {
  ethers,
  time,
  code,
  fixture,
  registerOrigin,
  makeCertificate,
  domainOf,
  facts,
  certificateHash,
  signIssue,
  randomHash,
  ascending,
  ParcelStatus,
  CertificateStatus,
  Flag,
  RecordKind,
} = require("./support/fixtures");

/** Registry with ten BW parcels ready to certify. */
async function withParcels(n = 10) {
  const f = await fixture();
  const parcels = n > 0 ? await registerOrigin(f.registry, f.bwMiner, n) : [];
  return { ...f, parcels };
}

/** Registry with an issued BW -> AE certificate of three parcels. */
async function withIssued() {
  const f = await withParcels(3);
  const cert = await makeCertificate(f.parcels);
  await f.registry.connect(f.bwAuthority).issueCertificate(facts(cert));
  return { ...f, cert };
}

describe("KimberleyRegistry", function () {
  describe("issue by the exporting authority", function () {
    it("records the certificate, locks its parcels and emits the event", async function () {
      const { registry, bwAuthority, parcels } = await withParcels(10);
      const cert = await makeCertificate(parcels);
      const f = facts(cert);
      await expect(registry.connect(bwAuthority).issueCertificate(f))
        .to.emit(registry, "CertificateIssued")
        .withArgs(
          f.numberHash,
          code("BW"),
          code("AE"),
          certificateHash(cert),
          f.expiresAt,
          bwAuthority.address,
          bwAuthority.address,
          parcels,
        );
      expect(await registry.certificate(f.numberHash)).to.deep.equal([
        code("BW"),
        code("AE"),
        CertificateStatus.Issued,
        Flag.None,
        f.expiresAt,
        10n,
        certificateHash(cert).slice(0, 42),
      ]);
      for (const p of await registry.parcelsOf(parcels)) expect(p.status).to.equal(ParcelStatus.Locked);
    });

    it("returns the certificate hash", async function () {
      const { registry, bwAuthority, parcels } = await withParcels(1);
      const cert = await makeCertificate(parcels);
      expect(await registry.connect(bwAuthority).issueCertificate.staticCall(facts(cert))).to.equal(
        certificateHash(cert),
      );
    });

    it("refuses an issuer who is not an authority of the exporter", async function () {
      const { registry, aeAuthority, outsider, bwMiner, parcels } = await withParcels(1);
      const f = facts(await makeCertificate(parcels));
      for (const who of [aeAuthority, outsider, bwMiner]) {
        await expect(registry.connect(who).issueCertificate(f))
          .to.be.revertedWithCustomError(registry, "NotAnAuthority")
          .withArgs(who.address, code("BW"));
      }
    });

    it("refuses a suspended exporter, and an unknown or suspended importer", async function () {
      const { registry, bwAuthority, parcels } = await withParcels(1);
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(parcels, { importer: code("ZZ") }))))
        .to.be.revertedWithCustomError(registry, "UnknownParticipant")
        .withArgs(code("ZZ"));
      await registry.suspendParticipant(code("AE"));
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(parcels))))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("AE"));
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(parcels))))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });

    it("refuses a certificate whose importer is its exporter", async function () {
      const { registry, bwAuthority, parcels } = await withParcels(1);
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(parcels, { importer: code("BW") }))))
        .to.be.revertedWithCustomError(registry, "SameParticipant")
        .withArgs(code("BW"));
    });

    it("refuses an expiry in the past, now, or beyond uint32 seconds", async function () {
      const { registry, bwAuthority, parcels } = await withParcels(1);
      const now = BigInt(await time.latest());
      for (const expiresAt of [now - 1n, now + 1n, 2n ** 32n]) {
        // now + 1 is the timestamp of the next block, so it is already due when the call runs
        await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(parcels, { expiresAt }))))
          .to.be.revertedWithCustomError(registry, "InvalidExpiry")
          .withArgs(expiresAt);
      }
    });

    it("refuses a certificate without parcels", async function () {
      const { registry, bwAuthority } = await withParcels(0);
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([])))).to.be.revertedWithCustomError(
        registry,
        "EmptyList",
      );
    });

    it("registers a certificate number once", async function () {
      const { registry, bwAuthority, bwMiner, cert } = await withIssued();
      const more = await registerOrigin(registry, bwMiner, 1);
      const again = facts({ ...cert, parcels: more });
      await expect(registry.connect(bwAuthority).issueCertificate(again))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(again.numberHash);
    });

    it("refuses unknown, consumed, locked, duplicated and foreign parcels", async function () {
      const { registry, bwAuthority, bwTrader, aeTrader, parcels } = await withParcels(3);
      const unknown = randomHash();
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([unknown]))))
        .to.be.revertedWithCustomError(registry, "UnknownParcel")
        .withArgs(unknown);

      await registry.connect(bwTrader).transform(randomHash(), [parcels[0]], [randomHash()]);
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([parcels[0]]))))
        .to.be.revertedWithCustomError(registry, "ParcelNotActive")
        .withArgs(parcels[0], ParcelStatus.Consumed);

      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([parcels[1], parcels[1]]))))
        .to.be.revertedWithCustomError(registry, "ParcelNotActive")
        .withArgs(parcels[1], ParcelStatus.Locked);

      await registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([parcels[1]])));
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([parcels[1]]))))
        .to.be.revertedWithCustomError(registry, "ParcelNotActive")
        .withArgs(parcels[1], ParcelStatus.Locked);

      const [aeParcel] = await registerOrigin(registry, aeTrader, 1);
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([parcels[2], aeParcel]))))
        .to.be.revertedWithCustomError(registry, "ParcelNotHeld")
        .withArgs(aeParcel, code("AE"));
    });
  });

  describe("issue relayed with the authority's EIP-712 signature", function () {
    async function signed(signer, overrides = {}) {
      const f = await withParcels(2);
      const cert = await makeCertificate(f.parcels);
      const deadline = BigInt(await time.latest()) + 3600n;
      const domain = { ...(await domainOf(f.registry)), ...overrides };
      const signature = await signIssue(f[signer] ?? signer, domain, cert, deadline);
      return { ...f, cert, deadline, signature };
    }

    it("issues a certificate relayed by any account", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
      const f = facts(cert);
      await expect(registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature))
        .to.emit(registry, "CertificateIssued")
        .withArgs(
          f.numberHash,
          code("BW"),
          code("AE"),
          certificateHash(cert),
          f.expiresAt,
          bwAuthority.address,
          relayer.address,
          cert.parcels,
        );
      expect((await registry.certificate(f.numberHash)).status).to.equal(CertificateStatus.Issued);
    });

    it("refuses a signature by someone other than the named authority", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("outsider");
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
    });

    it("refuses a valid signature by an account that is no authority", async function () {
      const { registry, outsider, relayer, cert, deadline, signature } = await signed("outsider");
      await expect(registry.connect(relayer).issueCertificateWithSignature(facts(cert), outsider.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(outsider.address, code("BW"));
    });

    it("refuses a signer who is an authority of another participant", async function () {
      const { registry, aeAuthority, relayer, cert, deadline, signature } = await signed("aeAuthority");
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), aeAuthority.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(aeAuthority.address, code("BW"));
    });

    it("refuses a signature made for another chain id", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority", { chainId: 1n });
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
    });

    it("refuses a signature made for another deployment", async function () {
      const other = ethers.getAddress("0x" + "11".repeat(20));
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority", {
        verifyingContract: other,
      });
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
    });

    it("refuses a replay of a used signature", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
      const f = facts(cert);
      await registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature);
      await expect(registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(f.numberHash);
    });

    it("refuses a replay after the certificate was voided", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
      const f = facts(cert);
      await registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature);
      await registry.connect(bwAuthority).voidCertificate(f);
      await expect(registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "AlreadyRegistered")
        .withArgs(f.numberHash);
    });

    it("refuses a signature past its deadline", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
      await time.increaseTo(deadline + 1n);
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(deadline);
    });

    it("refuses facts changed after signing, and a different deadline", async function () {
      const { registry, bwAuthority, bwMiner, relayer, cert, deadline, signature } = await signed("bwAuthority");
      const [extra] = await registerOrigin(registry, bwMiner, 1);
      const changed = facts({ ...cert, parcels: [...cert.parcels, extra] });
      await expect(registry.connect(relayer).issueCertificateWithSignature(changed, bwAuthority.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
      await expect(
        registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline + 1n, signature),
      )
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
    });

    it("refuses a malformed signature", async function () {
      const { registry, bwAuthority, relayer, cert, deadline } = await signed("bwAuthority");
      await expect(registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, "0x1234"))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(bwAuthority.address);
    });

    it("accepts an ERC-1271 contract authority, such as a multisig, and refuses a key it does not hold", async function () {
      const { registry, governor, relayer, outsider } = await fixture();
      const signers = await ethers.getSigners();
      const [keyHolder, euAuthorityMember, euMember] = signers.slice(9, 12);
      const multisig = await ethers.deployContract("ERC1271Authority", [keyHolder.address]);
      const multisigAddress = await multisig.getAddress();
      await registry.connect(governor).addParticipant(code("EU"));
      await registry.connect(governor).addAuthority(code("EU"), multisigAddress);
      await registry.connect(governor).addAuthority(code("EU"), euAuthorityMember.address);
      await registry.connect(euAuthorityMember).addMember(euMember.address);
      const parcels = await registerOrigin(registry, euMember, 2);
      const cert = await makeCertificate(parcels, { number: "EU2026-000001", exporter: code("EU"), importer: code("IN") });
      const deadline = BigInt(await time.latest()) + 3600n;
      const domain = await domainOf(registry);

      const wrongKey = await signIssue(outsider, domain, cert, deadline);
      await expect(registry.connect(relayer).issueCertificateWithSignature(facts(cert), multisigAddress, deadline, wrongKey))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(multisigAddress);

      const signature = await signIssue(keyHolder, domain, cert, deadline);
      await expect(registry.connect(relayer).issueCertificateWithSignature(facts(cert), multisigAddress, deadline, signature))
        .to.emit(registry, "CertificateIssued")
        .withArgs(
          facts(cert).numberHash,
          code("EU"),
          code("IN"),
          certificateHash(cert),
          cert.expiresAt,
          multisigAddress,
          relayer.address,
          parcels,
        );
    });
  });

  describe("import confirmation", function () {
    it("moves the parcels into the importer's custody and records the confirmation", async function () {
      const { registry, aeAuthority, cert } = await withIssued();
      const f = facts(cert);
      const confirmation = randomHash();
      await expect(registry.connect(aeAuthority).confirmImport(f, confirmation))
        .to.emit(registry, "ImportConfirmed")
        .withArgs(f.numberHash, code("AE"), confirmation, aeAuthority.address);
      expect((await registry.certificate(f.numberHash)).status).to.equal(CertificateStatus.Confirmed);
      expect(await registry.confirmationOf(f.numberHash)).to.equal(confirmation);
      for (const p of await registry.parcelsOf(cert.parcels)) {
        expect([p.participant, p.status]).to.deep.equal([code("AE"), ParcelStatus.Active]);
      }
    });

    it("lets the importer's members transform, and its authority re-export, what arrived", async function () {
      const { registry, aeAuthority, aeTrader, cert } = await withIssued();
      await registry.connect(aeAuthority).confirmImport(facts(cert), randomHash());
      const mixed = [randomHash(), randomHash()];
      await registry.connect(aeTrader).transform(randomHash(), [...cert.parcels].sort(ascending), mixed);
      const reexport = await makeCertificate(mixed, { number: "AE2026-77", exporter: code("AE"), importer: code("IN") });
      await expect(registry.connect(aeAuthority).issueCertificate(facts(reexport))).to.emit(registry, "CertificateIssued");
    });

    it("refuses a zero confirmation hash", async function () {
      const { registry, aeAuthority, cert } = await withIssued();
      await expect(registry.connect(aeAuthority).confirmImport(facts(cert), ethers.ZeroHash)).to.be.revertedWithCustomError(
        registry,
        "ZeroHash",
      );
    });

    it("refuses an unknown certificate", async function () {
      const { registry, aeAuthority, parcels } = await withParcels(1);
      const f = facts(await makeCertificate(parcels));
      await expect(registry.connect(aeAuthority).confirmImport(f, randomHash()))
        .to.be.revertedWithCustomError(registry, "UnknownCertificate")
        .withArgs(f.numberHash);
    });

    it("refuses facts that do not hash to the certificate on record", async function () {
      const { registry, aeAuthority, bwMiner, cert } = await withIssued();
      const [other] = await registerOrigin(registry, bwMiner, 1);
      const variants = [
        { ...cert, parcels: [cert.parcels[0], other] },
        { ...cert, parcels: cert.parcels.slice(0, 2) },
        { ...cert, details: { ...cert.details, carats: 1n } },
        { ...cert, expiresAt: cert.expiresAt + 86400n },
      ];
      for (const v of variants) {
        await expect(registry.connect(aeAuthority).confirmImport(facts(v), randomHash()))
          .to.be.revertedWithCustomError(registry, "CertificateMismatch")
          .withArgs(facts(cert).numberHash);
      }
    });

    it("refuses anyone but an authority of the importer", async function () {
      const { registry, bwAuthority, inAuthority, aeTrader, cert } = await withIssued();
      for (const who of [bwAuthority, inAuthority, aeTrader]) {
        await expect(registry.connect(who).confirmImport(facts(cert), randomHash()))
          .to.be.revertedWithCustomError(registry, "NotAnAuthority")
          .withArgs(who.address, code("AE"));
      }
    });

    it("refuses a confirmation after expiry, and accepts one at the expiry second", async function () {
      const { registry, aeAuthority, cert } = await withIssued();
      await time.setNextBlockTimestamp(cert.expiresAt + 1n);
      await expect(registry.connect(aeAuthority).confirmImport(facts(cert), randomHash()))
        .to.be.revertedWithCustomError(registry, "CertificateExpired")
        .withArgs(facts(cert).numberHash, cert.expiresAt);

      const other = await withIssued();
      await time.setNextBlockTimestamp(other.cert.expiresAt);
      await expect(other.registry.connect(other.aeAuthority).confirmImport(facts(other.cert), randomHash())).to.emit(
        other.registry,
        "ImportConfirmed",
      );
    });

    it("refuses imports into a suspended participant, and from one", async function () {
      const { registry, aeAuthority, cert } = await withIssued();
      await registry.suspendParticipant(code("AE"));
      await expect(registry.connect(aeAuthority).confirmImport(facts(cert), randomHash()))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("AE"));
      await registry.reinstateParticipant(code("AE"));
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(aeAuthority).confirmImport(facts(cert), randomHash()))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });

    it("confirms once, and never a voided certificate", async function () {
      const { registry, aeAuthority, bwAuthority, cert } = await withIssued();
      const f = facts(cert);
      await registry.connect(aeAuthority).confirmImport(f, randomHash());
      await expect(registry.connect(aeAuthority).confirmImport(f, randomHash()))
        .to.be.revertedWithCustomError(registry, "CertificateNotIssued")
        .withArgs(f.numberHash, CertificateStatus.Confirmed);

      const other = await withIssued();
      await other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert));
      await expect(other.registry.connect(other.aeAuthority).confirmImport(facts(other.cert), randomHash()))
        .to.be.revertedWithCustomError(other.registry, "CertificateNotIssued")
        .withArgs(facts(other.cert).numberHash, CertificateStatus.Voided);
    });
  });

  describe("void", function () {
    it("releases the parcels to the exporter and marks the certificate voided", async function () {
      const { registry, bwAuthority, cert } = await withIssued();
      const f = facts(cert);
      await expect(registry.connect(bwAuthority).voidCertificate(f))
        .to.emit(registry, "CertificateVoided")
        .withArgs(f.numberHash, code("BW"), bwAuthority.address);
      expect((await registry.certificate(f.numberHash)).status).to.equal(CertificateStatus.Voided);
      for (const p of await registry.parcelsOf(cert.parcels)) {
        expect([p.participant, p.status]).to.deep.equal([code("BW"), ParcelStatus.Active]);
      }
      // the released parcels can go on a new certificate, under a new number
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate(cert.parcels)))).to.emit(
        registry,
        "CertificateIssued",
      );
    });

    it("voids an expired certificate, so its parcels are not stranded", async function () {
      const { registry, bwAuthority, cert } = await withIssued();
      await time.increaseTo(cert.expiresAt + 10n);
      await expect(registry.connect(bwAuthority).voidCertificate(facts(cert))).to.emit(registry, "CertificateVoided");
    });

    it("voids while the exporter is suspended (it only releases parcels)", async function () {
      const { registry, bwAuthority, cert } = await withIssued();
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwAuthority).voidCertificate(facts(cert))).to.emit(registry, "CertificateVoided");
    });

    it("refuses anyone but an authority of the exporter", async function () {
      const { registry, aeAuthority, bwMiner, cert } = await withIssued();
      for (const who of [aeAuthority, bwMiner]) {
        await expect(registry.connect(who).voidCertificate(facts(cert)))
          .to.be.revertedWithCustomError(registry, "NotAnAuthority")
          .withArgs(who.address, code("BW"));
      }
    });

    it("refuses an unknown certificate and mismatching facts", async function () {
      const { registry, bwAuthority, cert } = await withIssued();
      const unknown = facts({ ...cert, number: "BW-NOT-ISSUED" });
      await expect(registry.connect(bwAuthority).voidCertificate(unknown))
        .to.be.revertedWithCustomError(registry, "UnknownCertificate")
        .withArgs(unknown.numberHash);
      await expect(registry.connect(bwAuthority).voidCertificate(facts({ ...cert, parcels: cert.parcels.slice(1) })))
        .to.be.revertedWithCustomError(registry, "CertificateMismatch")
        .withArgs(facts(cert).numberHash);
    });

    it("refuses to void a confirmed or an already voided certificate", async function () {
      const { registry, bwAuthority, aeAuthority, cert } = await withIssued();
      const f = facts(cert);
      await registry.connect(aeAuthority).confirmImport(f, randomHash());
      await expect(registry.connect(bwAuthority).voidCertificate(f))
        .to.be.revertedWithCustomError(registry, "CertificateNotIssued")
        .withArgs(f.numberHash, CertificateStatus.Confirmed);

      const other = await withIssued();
      await other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert));
      await expect(other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert)))
        .to.be.revertedWithCustomError(other.registry, "CertificateNotIssued")
        .withArgs(facts(other.cert).numberHash, CertificateStatus.Voided);
    });
  });

  describe("flags", function () {
    async function withEveryKind() {
      const f = await withIssued();
      const inputs = (await registerOrigin(f.registry, f.bwMiner, 1)).sort(ascending);
      const t = randomHash();
      await f.registry.connect(f.bwTrader).transform(t, inputs, [randomHash()]);
      const root = randomHash();
      await f.registry.connect(f.bwMiner).anchorBatch(root, 2);
      const keys = {
        [RecordKind.Parcel]: [f.parcels[0], async (k) => (await f.registry.parcel(k)).flag],
        [RecordKind.Transformation]: [t, async (k) => (await f.registry.transformation(k)).flag],
        [RecordKind.Certificate]: [facts(f.cert).numberHash, async (k) => (await f.registry.certificate(k)).flag],
        [RecordKind.Anchor]: [root, async (k) => (await f.registry.anchor(k)).flag],
      };
      return { ...f, keys };
    }

    it("sets and clears a flag on every kind of record", async function () {
      const { registry, keys } = await withEveryKind();
      for (const [kind, [key, read]] of Object.entries(keys)) {
        await expect(registry.setFlag(kind, key, Flag.Fraudulent, "forged KP certificate reported by AE"))
          .to.emit(registry, "RecordFlagged")
          .withArgs(kind, key, Flag.Fraudulent, "forged KP certificate reported by AE");
        expect(await read(key)).to.equal(Flag.Fraudulent);
        await registry.setFlag(kind, key, Flag.Suspicious, "under review");
        expect(await read(key)).to.equal(Flag.Suspicious);
        await expect(registry.setFlag(kind, key, Flag.None, "cleared")).to.emit(registry, "RecordFlagged");
        expect(await read(key)).to.equal(Flag.None);
      }
    });

    it("refuses a flag on a record that does not exist", async function () {
      const { registry, keys } = await withEveryKind();
      for (const kind of Object.keys(keys)) {
        const missing = randomHash();
        await expect(registry.setFlag(kind, missing, Flag.Suspicious, "?"))
          .to.be.revertedWithCustomError(registry, "UnknownRecord")
          .withArgs(kind, missing);
      }
      // a key of one kind is unknown as another kind
      await expect(registry.setFlag(RecordKind.Anchor, keys[RecordKind.Parcel][0], Flag.Suspicious, "?"))
        .to.be.revertedWithCustomError(registry, "UnknownRecord")
        .withArgs(RecordKind.Anchor, keys[RecordKind.Parcel][0]);
    });
  });

  describe("multicall", function () {
    it("relays several signed certificates in one transaction", async function () {
      const { registry, bwAuthority, relayer, parcels } = await withParcels(4);
      const deadline = BigInt(await time.latest()) + 3600n;
      const domain = await domainOf(registry);
      const calls = [];
      const numbers = [];
      for (const pair of [parcels.slice(0, 2), parcels.slice(2)]) {
        const cert = await makeCertificate(pair);
        const signature = await signIssue(bwAuthority, domain, cert, deadline);
        numbers.push(facts(cert).numberHash);
        calls.push(
          registry.interface.encodeFunctionData("issueCertificateWithSignature", [
            facts(cert),
            bwAuthority.address,
            deadline,
            signature,
          ]),
        );
      }
      await registry.connect(relayer).multicall(calls);
      for (const n of numbers) expect((await registry.certificate(n)).status).to.equal(CertificateStatus.Issued);
    });

    it("is all or nothing: one failing call reverts the batch with its error", async function () {
      const { registry, bwMiner } = await withParcels(0);
      const good = randomHash();
      const calls = [
        registry.interface.encodeFunctionData("registerParcel", [good]),
        registry.interface.encodeFunctionData("registerParcel", [ethers.ZeroHash]),
      ];
      await expect(registry.connect(bwMiner).multicall(calls)).to.be.revertedWithCustomError(registry, "ZeroHash");
      expect((await registry.parcel(good)).status).to.equal(ParcelStatus.None);
    });
  });
});
