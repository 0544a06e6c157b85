const { expect } = require("chai");
const { setStorageAt } = require("@nomicfoundation/hardhat-network-helpers");
const {
  ethers,
  time,
  code,
  fixture,
  registerOrigin,
  transformInto,
  makeCertificate,
  domainOf,
  facts,
  certificateHash,
  certificateKey,
  anchorKey,
  signIssue,
  randomHash,
  ascending,
  parcelHash,
  ParcelStatus,
  CertificateStatus,
  Flag,
  FlagCategory,
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
      expect(await registry.certificate(code("BW"), f.numberHash)).to.deep.equal([
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

    it("registers a certificate number once per exporter, whatever happened to the first", async function () {
      const { registry, bwAuthority, aeAuthority, bwMiner, cert } = await withIssued();
      const more = await registerOrigin(registry, bwMiner, 1);
      const again = facts({ ...cert, parcels: more });
      await expect(registry.connect(bwAuthority).issueCertificate(again))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(code("BW"), again.numberHash);
      await registry.connect(aeAuthority).confirmImport(facts(cert), randomHash());
      await expect(registry.connect(bwAuthority).issueCertificate(again))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(code("BW"), again.numberHash);
    });

    it("refuses unknown, consumed, locked, duplicated and foreign parcels", async function () {
      const { registry, bwAuthority, bwTrader, aeTrader, parcels } = await withParcels(3);
      const unknown = randomHash();
      await expect(registry.connect(bwAuthority).issueCertificate(facts(await makeCertificate([unknown]))))
        .to.be.revertedWithCustomError(registry, "UnknownParcel")
        .withArgs(unknown);

      await transformInto(registry, bwTrader, [parcels[0]]);
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
      expect((await registry.certificate(code("BW"), f.numberHash)).status).to.equal(CertificateStatus.Issued);
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
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(code("BW"), f.numberHash);
    });

    it("refuses a replay after the certificate was voided", async function () {
      const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
      const f = facts(cert);
      await registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature);
      await registry.connect(bwAuthority).voidCertificate(f);
      await expect(registry.connect(relayer).issueCertificateWithSignature(f, bwAuthority.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "CertificateAlreadyIssued")
        .withArgs(code("BW"), f.numberHash);
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

    describe("signature forms (one rule with kp and the verifier: libraries/AuthoritySignature.sol)", function () {
      const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      /** The signature's r, s and yParity (0 or 1). */
      const parts = (signature) => {
        const sig = ethers.Signature.from(signature);
        return { r: sig.r, s: BigInt(sig.s), parity: sig.yParity };
      };
      const hex32 = (n) => ethers.toBeHex(n, 32);
      const form = {
        v01: (sig) => { const p = parts(sig); return ethers.concat([p.r, hex32(p.s), ethers.toBeHex(p.parity, 1)]); },
        compact: (sig) => ethers.Signature.from(sig).compactSerialized,
        highS: (sig) => { const p = parts(sig); return ethers.concat([p.r, hex32(N - p.s), ethers.toBeHex(28 - p.parity, 1)]); },
        highSv01: (sig) => { const p = parts(sig); return ethers.concat([p.r, hex32(N - p.s), ethers.toBeHex(1 - p.parity, 1)]); },
        // a high-s twin (N - s) always needs the top bit of vs, so the compact form cannot carry it;
        // s just above N / 2 is the high s it can carry: refused by the rule whatever it recovers
        highSCompact: (sig) => { const p = parts(sig); return ethers.concat([p.r, hex32((BigInt(p.parity) << 255n) | (N / 2n + 1n))]); },
        badV: (sig) => { const p = parts(sig); return ethers.concat([p.r, hex32(p.s), ethers.toBeHex(2 + p.parity, 1)]); },
        length66: (sig) => ethers.concat([sig, "0x00"]),
      };

      for (const name of ["v01", "compact"]) {
        it(`accepts the ${name === "v01" ? "65-byte v 0/1" : "EIP-2098 64-byte compact"} form of the authority's signature`, async function () {
          const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
          const other = form[name](signature);
          expect(other).to.not.equal(signature);
          expect(ethers.dataLength(other)).to.equal(name === "compact" ? 64 : 65);
          await expect(registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, other))
            .to.emit(registry, "CertificateIssued");
        });
      }

      for (const name of ["highS", "highSv01", "highSCompact", "badV", "length66"]) {
        it(`refuses the ${name} form`, async function () {
          const { registry, bwAuthority, relayer, cert, deadline, signature } = await signed("bwAuthority");
          await expect(
            registry.connect(relayer).issueCertificateWithSignature(facts(cert), bwAuthority.address, deadline, form[name](signature)),
          )
            .to.be.revertedWithCustomError(registry, "InvalidSignature")
            .withArgs(bwAuthority.address);
        });
      }
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
        .withArgs(f.numberHash, code("BW"), code("AE"), confirmation, aeAuthority.address);
      expect((await registry.certificate(code("BW"), f.numberHash)).status).to.equal(CertificateStatus.Confirmed);
      expect(await registry.confirmationOf(code("BW"), f.numberHash)).to.equal(confirmation);
      for (const p of await registry.parcelsOf(cert.parcels)) {
        expect([p.participant, p.status]).to.deep.equal([code("AE"), ParcelStatus.Active]);
      }
    });

    it("lets the importer's members transform, and its authority re-export, what arrived", async function () {
      const { registry, aeAuthority, aeTrader, cert } = await withIssued();
      await registry.connect(aeAuthority).confirmImport(facts(cert), randomHash());
      const { outputs: mixed } = await transformInto(registry, aeTrader, cert.parcels, 2);
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
        .withArgs(code("BW"), f.numberHash);
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
          .withArgs(code("BW"), facts(cert).numberHash);
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
        .withArgs(code("BW"), facts(cert).numberHash, cert.expiresAt);

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
        .withArgs(code("BW"), f.numberHash, CertificateStatus.Confirmed);

      const other = await withIssued();
      await other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert));
      await expect(other.registry.connect(other.aeAuthority).confirmImport(facts(other.cert), randomHash()))
        .to.be.revertedWithCustomError(other.registry, "CertificateNotIssued")
        .withArgs(code("BW"), facts(other.cert).numberHash, CertificateStatus.Voided);
    });
  });

  describe("void", function () {
    it("releases the parcels to the exporter and marks the certificate voided", async function () {
      const { registry, bwAuthority, cert } = await withIssued();
      const f = facts(cert);
      await expect(registry.connect(bwAuthority).voidCertificate(f))
        .to.emit(registry, "CertificateVoided")
        .withArgs(f.numberHash, code("BW"), bwAuthority.address);
      expect((await registry.certificate(code("BW"), f.numberHash)).status).to.equal(CertificateStatus.Voided);
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
        .withArgs(code("BW"), unknown.numberHash);
      await expect(registry.connect(bwAuthority).voidCertificate(facts({ ...cert, parcels: cert.parcels.slice(1) })))
        .to.be.revertedWithCustomError(registry, "CertificateMismatch")
        .withArgs(code("BW"), facts(cert).numberHash);
    });

    it("refuses to void a confirmed or an already voided certificate", async function () {
      const { registry, bwAuthority, aeAuthority, cert } = await withIssued();
      const f = facts(cert);
      await registry.connect(aeAuthority).confirmImport(f, randomHash());
      await expect(registry.connect(bwAuthority).voidCertificate(f))
        .to.be.revertedWithCustomError(registry, "CertificateNotIssued")
        .withArgs(code("BW"), f.numberHash, CertificateStatus.Confirmed);

      const other = await withIssued();
      await other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert));
      await expect(other.registry.connect(other.bwAuthority).voidCertificate(facts(other.cert)))
        .to.be.revertedWithCustomError(other.registry, "CertificateNotIssued")
        .withArgs(code("BW"), facts(other.cert).numberHash, CertificateStatus.Voided);
    });
  });

  describe("certificate numbers belong to their exporter", function () {
    // Numbers are keyed by (exporter, number hash): another participant's authority that issues
    // the same number with its own exporter code creates an unrelated record.
    const NUMBER = "BW2026-000777";

    async function withLookalike() {
      const f = await withParcels(3);
      const aeParcels = await registerOrigin(f.registry, f.aeTrader, 2);
      const lookalike = await makeCertificate(aeParcels, { number: NUMBER, exporter: code("AE"), importer: code("IN") });
      await expect(f.registry.connect(f.aeAuthority).issueCertificate(facts(lookalike)))
        .to.emit(f.registry, "CertificateIssued")
        .withArgs(
          facts(lookalike).numberHash,
          code("AE"),
          code("IN"),
          certificateHash(lookalike),
          lookalike.expiresAt,
          f.aeAuthority.address,
          f.aeAuthority.address,
          aeParcels,
        );
      const real = await makeCertificate(f.parcels, { number: NUMBER });
      return { ...f, lookalike, real, numberHash: facts(real).numberHash };
    }

    it("another authority's certificate with the same number does not stop the exporter's: it issues and is confirmed", async function () {
      const { registry, bwAuthority, aeAuthority, lookalike, real, numberHash } = await withLookalike();
      await expect(registry.connect(bwAuthority).issueCertificate(facts(real)))
        .to.emit(registry, "CertificateIssued")
        .withArgs(
          numberHash,
          code("BW"),
          code("AE"),
          certificateHash(real),
          real.expiresAt,
          bwAuthority.address,
          bwAuthority.address,
          real.parcels,
        );
      const [bw, ae] = [await registry.certificate(code("BW"), numberHash), await registry.certificate(code("AE"), numberHash)];
      expect([bw.exporter, bw.importer, bw.status, bw.contentHash]).to.deep.equal([
        code("BW"),
        code("AE"),
        CertificateStatus.Issued,
        certificateHash(real).slice(0, 42),
      ]);
      expect([ae.exporter, ae.importer, ae.status, ae.contentHash]).to.deep.equal([
        code("AE"),
        code("IN"),
        CertificateStatus.Issued,
        certificateHash(lookalike).slice(0, 42),
      ]);

      const confirmation = randomHash();
      await expect(registry.connect(aeAuthority).confirmImport(facts(real), confirmation))
        .to.emit(registry, "ImportConfirmed")
        .withArgs(numberHash, code("BW"), code("AE"), confirmation, aeAuthority.address);
      expect(await registry.confirmationOf(code("BW"), numberHash)).to.equal(confirmation);
      expect(await registry.confirmationOf(code("AE"), numberHash)).to.equal(ethers.ZeroHash);
      expect((await registry.certificate(code("AE"), numberHash)).status).to.equal(CertificateStatus.Issued);
      for (const p of await registry.parcelsOf(real.parcels)) {
        expect([p.participant, p.status]).to.deep.equal([code("AE"), ParcelStatus.Active]);
      }
    });

    it("the exporter can issue first, and the look-alike issued after it changes nothing", async function () {
      const f = await withParcels(2);
      const real = await makeCertificate(f.parcels, { number: NUMBER });
      await f.registry.connect(f.bwAuthority).issueCertificate(facts(real));
      const aeParcels = await registerOrigin(f.registry, f.aeTrader, 1);
      const lookalike = await makeCertificate(aeParcels, { number: NUMBER, exporter: code("AE"), importer: code("BW") });
      await expect(f.registry.connect(f.aeAuthority).issueCertificate(facts(lookalike))).to.emit(f.registry, "CertificateIssued");
      const bw = await f.registry.certificate(code("BW"), facts(real).numberHash);
      expect([bw.importer, bw.status, bw.contentHash]).to.deep.equal([
        code("AE"),
        CertificateStatus.Issued,
        certificateHash(real).slice(0, 42),
      ]);
    });

    it("voiding the look-alike leaves the exporter's certificate and its locked parcels alone", async function () {
      const { registry, bwAuthority, aeAuthority, lookalike, real, numberHash } = await withLookalike();
      await registry.connect(bwAuthority).issueCertificate(facts(real));
      await expect(registry.connect(aeAuthority).voidCertificate(facts(lookalike)))
        .to.emit(registry, "CertificateVoided")
        .withArgs(numberHash, code("AE"), aeAuthority.address);
      expect((await registry.certificate(code("BW"), numberHash)).status).to.equal(CertificateStatus.Issued);
      for (const p of await registry.parcelsOf(real.parcels)) {
        expect([p.participant, p.status]).to.deep.equal([code("BW"), ParcelStatus.Locked]);
      }
    });

    it("another participant's authority can neither issue under the exporter's code nor void its certificate", async function () {
      const { registry, bwAuthority, aeAuthority, relayer, real } = await withLookalike();
      await expect(registry.connect(aeAuthority).issueCertificate(facts(real)))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(aeAuthority.address, code("BW"));
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signIssue(aeAuthority, await domainOf(registry), real, deadline);
      await expect(registry.connect(relayer).issueCertificateWithSignature(facts(real), aeAuthority.address, deadline, signature))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(aeAuthority.address, code("BW"));

      await registry.connect(bwAuthority).issueCertificate(facts(real));
      await expect(registry.connect(aeAuthority).voidCertificate(facts(real)))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(aeAuthority.address, code("BW"));
      expect((await registry.certificate(code("BW"), facts(real).numberHash)).status).to.equal(CertificateStatus.Issued);
    });

    it("facts that name another exporter address that exporter's record, never this one", async function () {
      const { registry, bwAuthority, aeAuthority, inAuthority, real, numberHash } = await withLookalike();
      await registry.connect(bwAuthority).issueCertificate(facts(real));
      // the real certificate's facts under AE's code: AE's look-alike is on record there, and differs
      const redirected = facts({ ...real, exporter: code("AE") });
      await expect(registry.connect(inAuthority).confirmImport(redirected, randomHash()))
        .to.be.revertedWithCustomError(registry, "CertificateMismatch")
        .withArgs(code("AE"), numberHash);
      await expect(registry.connect(aeAuthority).voidCertificate(redirected))
        .to.be.revertedWithCustomError(registry, "CertificateMismatch")
        .withArgs(code("AE"), numberHash);
      const nowhere = facts({ ...real, exporter: code("IN") });
      await expect(registry.connect(aeAuthority).confirmImport(nowhere, randomHash()))
        .to.be.revertedWithCustomError(registry, "UnknownCertificate")
        .withArgs(code("IN"), numberHash);
    });
  });

  describe("defence in depth: confirmation and void release only the certificate's locked parcels", function () {
    // ParcelNotLocked cannot be reached through the public API: issue locks every listed parcel
    // (a duplicate is refused as ParcelNotActive(.., Locked)), transform and issue take only Active
    // parcels, and only the one Issued certificate that locked a parcel unlocks it (after which
    // that certificate is Confirmed or Voided for good). The invariant tests
    // (tests/contracts/invariants/) run random operation sequences and check after every step that
    // each Issued certificate's parcels are Locked and held by its exporter and that no call ever
    // fails with ParcelNotLocked. To exercise the check itself, these tests corrupt a parcel's
    // storage slot directly, a state no transaction can produce.

    /** The storage slot of `_parcels[hash]`, found by looking for the record's packed word. */
    async function parcelSlot(registry, hash) {
      const address = await registry.getAddress();
      const abi = ethers.AbiCoder.defaultAbiCoder();
      for (let base = 0; base < 64; base++) {
        const slot = ethers.keccak256(abi.encode(["bytes32", "uint256"], [hash, base]));
        const word = await ethers.provider.getStorage(address, slot);
        if (word !== ethers.ZeroHash) return { address, slot, word: BigInt(word) };
      }
      throw new Error("parcel slot not found");
    }

    /** Rewrites the low 24 bits (holder, status) of a parcel's slot. */
    async function overwrite(registry, hash, holder, status) {
      const { address, slot, word } = await parcelSlot(registry, hash);
      const low = BigInt(holder) | (status << 16n);
      await setStorageAt(address, slot, (word & ~0xffffffn) | low);
    }

    it("the slot layout is what the contract's packed writes assume", async function () {
      const { registry, parcels } = await withIssued();
      const { word } = await parcelSlot(registry, parcels[0]);
      expect(word & 0xffffn).to.equal(BigInt(code("BW")));
      expect((word >> 16n) & 0xffn).to.equal(ParcelStatus.Locked);
    });

    for (const [label, holder, status] of [
      ["active again", "BW", ParcelStatus.Active],
      ["consumed", "BW", ParcelStatus.Consumed],
      ["locked but held by another participant", "IN", ParcelStatus.Locked],
    ]) {
      it(`refuses to confirm or void when a listed parcel is ${label}`, async function () {
        const { registry, bwAuthority, aeAuthority, cert } = await withIssued();
        await overwrite(registry, cert.parcels[1], code(holder), status);
        for (const call of [
          () => registry.connect(aeAuthority).confirmImport(facts(cert), randomHash()),
          () => registry.connect(bwAuthority).voidCertificate(facts(cert)),
        ]) {
          await expect(call())
            .to.be.revertedWithCustomError(registry, "ParcelNotLocked")
            .withArgs(cert.parcels[1], status, code(holder));
        }
        // nothing was released
        const [first] = await registry.parcelsOf([cert.parcels[0]]);
        expect([first.participant, first.status]).to.deep.equal([code("BW"), ParcelStatus.Locked]);
      });
    }
  });

  describe("flags", function () {
    const EVIDENCE = ethers.id("case file KP-2026-0042: forged KP certificate reported by AE");

    async function withEveryKind() {
      const f = await withIssued();
      const inputs = await registerOrigin(f.registry, f.bwMiner, 1);
      const { transformation } = await transformInto(f.registry, f.bwTrader, inputs);
      const root = randomHash();
      await f.registry.connect(f.bwMiner).anchorBatch(root, 2);
      const numberHash = facts(f.cert).numberHash;
      const keys = {
        [RecordKind.Parcel]: [f.parcels[0], async (k) => (await f.registry.parcel(k)).flag],
        [RecordKind.Transformation]: [transformation, async (k) => (await f.registry.transformation(k)).flag],
        [RecordKind.Certificate]: [
          certificateKey(code("BW"), numberHash),
          async () => (await f.registry.certificate(code("BW"), numberHash)).flag,
        ],
        [RecordKind.Anchor]: [anchorKey(code("BW"), root), async () => (await f.registry.anchor(code("BW"), root)).flag],
      };
      return { ...f, keys, numberHash, root };
    }

    it("sets and clears a flag on every kind of record, with a category and an evidence hash", async function () {
      const { registry, keys } = await withEveryKind();
      for (const [kind, [key, read]] of Object.entries(keys)) {
        await expect(registry.setFlag(kind, key, Flag.Fraudulent, FlagCategory.ForgedDocument, EVIDENCE))
          .to.emit(registry, "RecordFlagged")
          .withArgs(kind, key, Flag.Fraudulent, FlagCategory.ForgedDocument, EVIDENCE);
        expect(await read(key)).to.equal(Flag.Fraudulent);
        await expect(registry.setFlag(kind, key, Flag.Suspicious, FlagCategory.Smuggling, ethers.id("under review")))
          .to.emit(registry, "RecordFlagged")
          .withArgs(kind, key, Flag.Suspicious, FlagCategory.Smuggling, ethers.id("under review"));
        expect(await read(key)).to.equal(Flag.Suspicious);
        await expect(registry.setFlag(kind, key, Flag.None, FlagCategory.InvestigationClosed, ethers.ZeroHash))
          .to.emit(registry, "RecordFlagged")
          .withArgs(kind, key, Flag.None, FlagCategory.InvestigationClosed, ethers.ZeroHash);
        expect(await read(key)).to.equal(Flag.None);
      }
    });

    it("keeps no free text on-chain: the call and the event carry a category and a hash", async function () {
      const { registry } = await fixture();
      const types = (fragment) => fragment.inputs.map((i) => i.type);
      expect(types(registry.interface.getFunction("setFlag"))).to.deep.equal(["uint8", "bytes32", "uint8", "uint8", "bytes32"]);
      expect(types(registry.interface.getEvent("RecordFlagged"))).to.deep.equal(["uint8", "bytes32", "uint8", "uint8", "bytes32"]);
    });

    it("refuses a category or flag outside its enum", async function () {
      const { registry, keys } = await withEveryKind();
      const [key] = keys[RecordKind.Parcel];
      await expect(registry.setFlag(RecordKind.Parcel, key, Flag.Suspicious, 8, EVIDENCE)).to.be.revertedWithoutReason();
      await expect(registry.setFlag(RecordKind.Parcel, key, 3, FlagCategory.Other, EVIDENCE)).to.be.revertedWithoutReason();
    });

    it("refuses a flag on a record that does not exist", async function () {
      const { registry, keys, numberHash, root } = await withEveryKind();
      for (const kind of Object.keys(keys)) {
        const missing = randomHash();
        await expect(registry.setFlag(kind, missing, Flag.Suspicious, FlagCategory.Other, EVIDENCE))
          .to.be.revertedWithCustomError(registry, "UnknownRecord")
          .withArgs(kind, missing);
      }
      // a key of one kind is unknown as another kind
      await expect(registry.setFlag(RecordKind.Anchor, keys[RecordKind.Parcel][0], Flag.Suspicious, FlagCategory.Other, EVIDENCE))
        .to.be.revertedWithCustomError(registry, "UnknownRecord")
        .withArgs(RecordKind.Anchor, keys[RecordKind.Parcel][0]);
      // certificates and anchors are keyed by participant: the bare number hash or root is no key,
      // nor is the same number under another exporter
      for (const [kind, key] of [
        [RecordKind.Certificate, numberHash],
        [RecordKind.Certificate, certificateKey(code("AE"), numberHash)],
        [RecordKind.Anchor, root],
        [RecordKind.Anchor, anchorKey(code("AE"), root)],
      ]) {
        await expect(registry.setFlag(kind, key, Flag.Suspicious, FlagCategory.Other, EVIDENCE))
          .to.be.revertedWithCustomError(registry, "UnknownRecord")
          .withArgs(kind, key);
      }
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
      for (const n of numbers) expect((await registry.certificate(code("BW"), n)).status).to.equal(CertificateStatus.Issued);
    });

    it("is all or nothing: one failing call reverts the batch with its error", async function () {
      const { registry, bwMiner } = await withParcels(0);
      const good = randomHash();
      const calls = [
        registry.interface.encodeFunctionData("registerParcel", [good]),
        registry.interface.encodeFunctionData("anchorBatch", [ethers.ZeroHash, 1]),
      ];
      await expect(registry.connect(bwMiner).multicall(calls)).to.be.revertedWithCustomError(registry, "ZeroHash");
      expect((await registry.parcel(parcelHash(code("BW"), good))).status).to.equal(ParcelStatus.None);
    });
  });
});
