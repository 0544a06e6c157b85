const { expect } = require("chai");
const {
  ethers,
  time,
  code,
  fixture,
  ParticipantStatus,
  DEFAULT_ADMIN_ROLE,
  NO_PARTICIPANT,
  RecordKind,
  Flag,
  FlagCategory,
} = require("../support/fixtures");

const DAY = 24n * 3600n;

describe("ParticipantDirectory", function () {
  describe("deployment", function () {
    it("makes the governor the default admin, with a two-day transfer delay", async function () {
      const { registry, governor, outsider } = await fixture();
      expect(await registry.governor()).to.equal(governor.address);
      expect(await registry.defaultAdmin()).to.equal(governor.address);
      expect(await registry.owner()).to.equal(governor.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governor.address)).to.equal(true);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.equal(false);
      expect(await registry.INITIAL_GOVERNANCE_DELAY()).to.equal(2n * DAY);
      expect(await registry.defaultAdminDelay()).to.equal(2n * DAY);
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
      // one governing account, no separate governor role
      expect(registry.interface.getFunction("GOVERNOR_ROLE")).to.equal(null);
    });

    it("refuses a zero governor (OpenZeppelin's AccessControlDefaultAdminRules refuses it first)", async function () {
      const factory = await ethers.getContractFactory("KimberleyRegistry");
      await expect(factory.deploy(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(factory, "AccessControlInvalidDefaultAdmin")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("participants", function () {
    it("adds an active participant and lists it", async function () {
      const { registry } = await fixture();
      await expect(registry.addParticipant(code("EU"))).to.emit(registry, "ParticipantAdded").withArgs(code("EU"));
      expect(await registry.participantStatus(code("EU"))).to.equal(ParticipantStatus.Active);
      expect(await registry.participants()).to.deep.equal([code("BW"), code("AE"), code("IN"), code("EU")]);
    });

    for (const bad of ["0x0000", "0x6277" /* "bw" */, "0x4231" /* "B1" */, "0x4020" /* "@ " */, "0x5b41" /* "[A" */]) {
      it(`refuses the malformed code ${bad}`, async function () {
        const { registry } = await fixture();
        await expect(registry.addParticipant(bad))
          .to.be.revertedWithCustomError(registry, "InvalidParticipantCode")
          .withArgs(bad);
      });
    }

    it("refuses a participant added twice", async function () {
      const { registry } = await fixture();
      await expect(registry.addParticipant(code("BW")))
        .to.be.revertedWithCustomError(registry, "ParticipantAlreadyExists")
        .withArgs(code("BW"));
    });

    it("suspends and reinstates", async function () {
      const { registry } = await fixture();
      await expect(registry.suspendParticipant(code("AE"))).to.emit(registry, "ParticipantSuspended").withArgs(code("AE"));
      expect(await registry.participantStatus(code("AE"))).to.equal(ParticipantStatus.Suspended);
      await expect(registry.reinstateParticipant(code("AE")))
        .to.emit(registry, "ParticipantReinstated")
        .withArgs(code("AE"));
      expect(await registry.participantStatus(code("AE"))).to.equal(ParticipantStatus.Active);
    });

    it("refuses to suspend an unknown or an already suspended participant", async function () {
      const { registry } = await fixture();
      await expect(registry.suspendParticipant(code("ZZ")))
        .to.be.revertedWithCustomError(registry, "UnknownParticipant")
        .withArgs(code("ZZ"));
      await registry.suspendParticipant(code("AE"));
      await expect(registry.suspendParticipant(code("AE")))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("AE"));
    });

    it("refuses to reinstate an unknown or an active participant", async function () {
      const { registry } = await fixture();
      await expect(registry.reinstateParticipant(code("ZZ")))
        .to.be.revertedWithCustomError(registry, "UnknownParticipant")
        .withArgs(code("ZZ"));
      await expect(registry.reinstateParticipant(code("AE")))
        .to.be.revertedWithCustomError(registry, "ParticipantNotSuspended")
        .withArgs(code("AE"));
    });

    it("refuses governance calls from anyone but governance", async function () {
      const { registry, outsider, bwAuthority, bwMiner } = await fixture();
      const calls = [
        (r) => r.addParticipant(code("EU")),
        (r) => r.suspendParticipant(code("BW")),
        (r) => r.reinstateParticipant(code("BW")),
        (r) => r.addAuthority(code("BW"), outsider.address),
        (r) => r.removeAuthority(bwAuthority.address),
        (r) => r.setFlag(RecordKind.Parcel, ethers.ZeroHash, Flag.Suspicious, FlagCategory.Other, ethers.ZeroHash),
        (r) => r.beginDefaultAdminTransfer(outsider.address),
        (r) => r.beginDefaultAdminTransfer(ethers.ZeroAddress),
        (r) => r.cancelDefaultAdminTransfer(),
        (r) => r.changeDefaultAdminDelay(DAY),
        (r) => r.rollbackDefaultAdminDelay(),
      ];
      for (const who of [bwAuthority, bwMiner, outsider]) {
        for (const call of calls) {
          await expect(call(registry.connect(who)))
            .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, DEFAULT_ADMIN_ROLE);
        }
      }
    });
  });

  describe("governance changes hands in two steps", function () {
    async function begun() {
      const f = await fixture();
      const [, , , , , , , , , next] = await ethers.getSigners();
      await f.registry.beginDefaultAdminTransfer(next.address);
      const schedule = BigInt(await time.latest()) + 2n * DAY;
      return { ...f, next, schedule };
    }

    it("schedules the transfer after the delay; the old governor governs until it is accepted", async function () {
      const f = await fixture();
      const [, , , , , , , , , next] = await ethers.getSigners();
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(f.registry.beginDefaultAdminTransfer(next.address))
        .to.emit(f.registry, "DefaultAdminTransferScheduled")
        .withArgs(next.address, at + 2n * DAY);
      expect(await f.registry.pendingDefaultAdmin()).to.deep.equal([next.address, at + 2n * DAY]);
      expect(await f.registry.governor()).to.equal(f.governor.address);
      await expect(f.registry.addParticipant(code("EU"))).to.emit(f.registry, "ParticipantAdded");
      await expect(f.registry.connect(next).addParticipant(code("CA")))
        .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
        .withArgs(next.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses acceptance before the delay has passed, and at its last second", async function () {
      const { registry, next, schedule } = await begun();
      await expect(registry.connect(next).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.setNextBlockTimestamp(schedule);
      await expect(registry.connect(next).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
    });

    it("refuses acceptance by anyone but the pending governor, even the current one", async function () {
      const { registry, governor, outsider, schedule } = await begun();
      await time.increaseTo(schedule + 1n);
      for (const who of [outsider, governor]) {
        await expect(registry.connect(who).acceptDefaultAdminTransfer())
          .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
          .withArgs(who.address);
      }
    });

    it("after the delay the new governor accepts: the old one loses every power, the new one governs", async function () {
      const { registry, governor, next, schedule, bwAuthority } = await begun();
      await time.setNextBlockTimestamp(schedule + 1n);
      await expect(registry.connect(next).acceptDefaultAdminTransfer())
        .to.emit(registry, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, governor.address, next.address)
        .and.to.emit(registry, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, next.address, next.address);
      expect(await registry.governor()).to.equal(next.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, governor.address)).to.equal(false);
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
      for (const call of [
        (r) => r.addParticipant(code("EU")),
        (r) => r.removeAuthority(bwAuthority.address),
        (r) => r.beginDefaultAdminTransfer(governor.address),
      ]) {
        await expect(call(registry.connect(governor)))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(governor.address, DEFAULT_ADMIN_ROLE);
      }
      await expect(registry.connect(next).addParticipant(code("EU"))).to.emit(registry, "ParticipantAdded");
      await expect(registry.connect(next).removeAuthority(bwAuthority.address)).to.emit(registry, "AuthorityRemoved");
      await expect(registry.connect(next).suspendParticipant(code("AE"))).to.emit(registry, "ParticipantSuspended");
    });

    it("cancels a pending transfer, which can then never be accepted", async function () {
      const { registry, next, schedule } = await begun();
      await expect(registry.cancelDefaultAdminTransfer()).to.emit(registry, "DefaultAdminTransferCanceled");
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
      await time.increaseTo(schedule + 1n);
      await expect(registry.connect(next).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(next.address);
    });

    it("a second transfer replaces the pending one", async function () {
      const { registry, next, outsider } = await begun();
      await expect(registry.beginDefaultAdminTransfer(outsider.address))
        .to.emit(registry, "DefaultAdminTransferCanceled")
        .and.to.emit(registry, "DefaultAdminTransferScheduled");
      expect((await registry.pendingDefaultAdmin())[0]).to.equal(outsider.address);
      await time.increase(3n * DAY);
      await expect(registry.connect(next).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(next.address);
      await registry.connect(outsider).acceptDefaultAdminTransfer();
      expect(await registry.governor()).to.equal(outsider.address);
    });

    it("refuses a transfer to the zero address: the registry always has a governor", async function () {
      const { registry, governor } = await fixture();
      await expect(registry.beginDefaultAdminTransfer(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "GovernanceRequired",
      );
      expect(await registry.pendingDefaultAdmin()).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect(await registry.governor()).to.equal(governor.address);
    });

    it("refuses to renounce governance, by the governor or anyone, even with nothing pending after the delay", async function () {
      const { registry, governor, outsider } = await fixture();
      await time.increase(10n * DAY);
      for (const [who, account] of [
        [governor, governor],
        [outsider, outsider],
        [outsider, governor],
      ]) {
        await expect(
          registry.connect(who).renounceRole(DEFAULT_ADMIN_ROLE, account.address),
        ).to.be.revertedWithCustomError(registry, "GovernanceRequired");
      }
      expect(await registry.governor()).to.equal(governor.address);
    });

    it("refuses to grant or revoke the governing role directly (OpenZeppelin's rules)", async function () {
      const { registry, governor, outsider } = await fixture();
      await expect(registry.grantRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminRules",
      );
      await expect(registry.revokeRole(DEFAULT_ADMIN_ROLE, governor.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminRules",
      );
    });

    it("other roles follow OpenZeppelin's rules (they carry no power here)", async function () {
      const { registry, outsider, bwMiner } = await fixture();
      const role = ethers.id("SOME_ROLE");
      await expect(registry.connect(outsider).grantRole(role, outsider.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await registry.grantRole(role, outsider.address);
      await expect(registry.connect(bwMiner).renounceRole(role, outsider.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlBadConfirmation",
      );
      await expect(registry.connect(outsider).renounceRole(role, outsider.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(role, outsider.address, outsider.address);
      expect(await registry.hasRole(role, outsider.address)).to.equal(false);
    });

    it("changes the delay as OpenZeppelin does: a longer one after min(new delay, 5 days)", async function () {
      const { registry } = await fixture();
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(registry.changeDefaultAdminDelay(4n * DAY))
        .to.emit(registry, "DefaultAdminDelayChangeScheduled")
        .withArgs(4n * DAY, at + 4n * DAY);
      expect(await registry.pendingDefaultAdminDelay()).to.deep.equal([4n * DAY, at + 4n * DAY]);
      expect(await registry.defaultAdminDelay()).to.equal(2n * DAY);
      await time.increaseTo(at + 4n * DAY + 1n);
      expect(await registry.defaultAdminDelay()).to.equal(4n * DAY);
      // a transfer begun now waits the new delay
      const [, , , , , , , , , next] = await ethers.getSigners();
      const begin = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(begin);
      await registry.beginDefaultAdminTransfer(next.address);
      expect((await registry.pendingDefaultAdmin())[1]).to.equal(begin + 4n * DAY);
    });

    it("changes the delay to a shorter one only after the difference, and can roll a change back", async function () {
      const { registry } = await fixture();
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(registry.changeDefaultAdminDelay(3600n))
        .to.emit(registry, "DefaultAdminDelayChangeScheduled")
        .withArgs(3600n, at + 2n * DAY - 3600n);
      await expect(registry.rollbackDefaultAdminDelay()).to.emit(registry, "DefaultAdminDelayChangeCanceled");
      expect(await registry.pendingDefaultAdminDelay()).to.deep.equal([0n, 0n]);
      await time.increase(3n * DAY);
      expect(await registry.defaultAdminDelay()).to.equal(2n * DAY);
    });
  });

  describe("authorities", function () {
    it("assigns an authority to a participant", async function () {
      const { registry, outsider } = await fixture();
      await expect(registry.addAuthority(code("IN"), outsider.address))
        .to.emit(registry, "AuthorityAdded")
        .withArgs(code("IN"), outsider.address);
      expect(await registry.isAuthority(code("IN"), outsider.address)).to.equal(true);
      expect(await registry.isAuthority(code("BW"), outsider.address)).to.equal(false);
      expect(await registry.authorityOf(outsider.address)).to.equal(code("IN"));
    });

    it("answers false for the zero participant", async function () {
      const { registry, outsider } = await fixture();
      expect(await registry.isAuthority("0x0000", outsider.address)).to.equal(false);
    });

    it("refuses the zero address, an unknown participant and a second assignment", async function () {
      const { registry, bwAuthority, outsider } = await fixture();
      await expect(registry.addAuthority(code("BW"), ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
      await expect(registry.addAuthority(code("ZZ"), outsider.address))
        .to.be.revertedWithCustomError(registry, "UnknownParticipant")
        .withArgs(code("ZZ"));
      await expect(registry.addAuthority(code("AE"), bwAuthority.address))
        .to.be.revertedWithCustomError(registry, "AuthorityAlreadyAssigned")
        .withArgs(bwAuthority.address, code("BW"));
    });

    it("removes an authority, which can then no longer act", async function () {
      const { registry, bwAuthority, outsider } = await fixture();
      await expect(registry.removeAuthority(bwAuthority.address))
        .to.emit(registry, "AuthorityRemoved")
        .withArgs(code("BW"), bwAuthority.address);
      expect(await registry.isAuthority(code("BW"), bwAuthority.address)).to.equal(false);
      await expect(registry.connect(bwAuthority).addMember(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(bwAuthority.address, NO_PARTICIPANT);
    });

    it("refuses to remove an account that is not an authority", async function () {
      const { registry, outsider } = await fixture();
      await expect(registry.removeAuthority(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(outsider.address, NO_PARTICIPANT);
    });
  });

  describe("members", function () {
    it("registers a member with the next index", async function () {
      const { registry, inAuthority, outsider } = await fixture();
      await expect(registry.connect(inAuthority).addMember(outsider.address))
        .to.emit(registry, "MemberAdded")
        .withArgs(code("IN"), outsider.address, 4);
      expect(await registry.isMember(code("IN"), outsider.address)).to.equal(true);
      expect(await registry.isMember(code("BW"), outsider.address)).to.equal(false);
      expect(await registry.memberOf(outsider.address)).to.deep.equal([code("IN"), true, 4n]);
      expect(await registry.memberAt(4)).to.equal(outsider.address);
    });

    it("answers the zero address for index 0 and for an index past the end", async function () {
      const { registry } = await fixture();
      expect(await registry.memberAt(0)).to.equal(ethers.ZeroAddress);
      expect(await registry.memberAt(99)).to.equal(ethers.ZeroAddress);
    });

    it("refuses a member added by a non-authority", async function () {
      const { registry, bwMiner, outsider } = await fixture();
      await expect(registry.connect(bwMiner).addMember(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(bwMiner.address, NO_PARTICIPANT);
    });

    it("refuses the zero address", async function () {
      const { registry, bwAuthority } = await fixture();
      await expect(registry.connect(bwAuthority).addMember(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
    });

    it("refuses new members while the participant is suspended", async function () {
      const { registry, bwAuthority, outsider } = await fixture();
      await registry.suspendParticipant(code("BW"));
      await expect(registry.connect(bwAuthority).addMember(outsider.address))
        .to.be.revertedWithCustomError(registry, "ParticipantInactive")
        .withArgs(code("BW"));
    });

    it("refuses an account that is already an active member, here or elsewhere", async function () {
      const { registry, bwAuthority, aeAuthority, bwMiner } = await fixture();
      for (const authority of [bwAuthority, aeAuthority]) {
        await expect(registry.connect(authority).addMember(bwMiner.address))
          .to.be.revertedWithCustomError(registry, "MemberAlreadyActive")
          .withArgs(bwMiner.address, code("BW"));
      }
    });

    it("removes a member, and re-adding keeps its index (also in another participant)", async function () {
      const { registry, bwAuthority, aeAuthority, bwMiner } = await fixture();
      const [, , index] = await registry.memberOf(bwMiner.address);
      await expect(registry.connect(bwAuthority).removeMember(bwMiner.address))
        .to.emit(registry, "MemberRemoved")
        .withArgs(code("BW"), bwMiner.address);
      expect(await registry.isMember(code("BW"), bwMiner.address)).to.equal(false);
      await expect(registry.connect(aeAuthority).addMember(bwMiner.address))
        .to.emit(registry, "MemberAdded")
        .withArgs(code("AE"), bwMiner.address, index);
      expect(await registry.memberOf(bwMiner.address)).to.deep.equal([code("AE"), true, index]);
    });

    it("refuses removal by a non-authority, of another participant's member, or of a non-member", async function () {
      const { registry, aeAuthority, bwAuthority, bwMiner, outsider } = await fixture();
      await expect(registry.connect(outsider).removeMember(bwMiner.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(outsider.address, NO_PARTICIPANT);
      await expect(registry.connect(aeAuthority).removeMember(bwMiner.address))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(bwMiner.address, code("AE"));
      await expect(registry.connect(bwAuthority).removeMember(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, code("BW"));
    });

    it("lets a removed member register, transform and anchor nothing", async function () {
      const { registry, bwAuthority, bwMiner } = await fixture();
      await registry.connect(bwMiner).registerParcel(ethers.id("p0"));
      await registry.connect(bwAuthority).removeMember(bwMiner.address);
      for (const call of [
        (r) => r.registerParcel(ethers.id("p")),
        (r) => r.registerParcels([ethers.id("p")]),
        (r) => r.transform(ethers.id("t"), [ethers.id("p0")], [ethers.id("q")]),
        (r) => r.anchorBatch(ethers.id("root"), 1),
      ]) {
        await expect(call(registry.connect(bwMiner)))
          .to.be.revertedWithCustomError(registry, "NotAMember")
          .withArgs(bwMiner.address, NO_PARTICIPANT);
      }
    });

    it("lets a removed authority's participant keep its members, managed by a new authority", async function () {
      const { registry, bwAuthority, bwMiner, outsider } = await fixture();
      await registry.removeAuthority(bwAuthority.address);
      await expect(registry.connect(bwAuthority).removeMember(bwMiner.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(bwAuthority.address, NO_PARTICIPANT);
      expect(await registry.isMember(code("BW"), bwMiner.address)).to.equal(true);
      await registry.addAuthority(code("BW"), outsider.address);
      await expect(registry.connect(outsider).removeMember(bwMiner.address))
        .to.emit(registry, "MemberRemoved")
        .withArgs(code("BW"), bwMiner.address);
    });
  });
});
