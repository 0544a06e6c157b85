const { expect } = require("chai");
const { ethers, code, fixture, ParticipantStatus } = require("../support/fixtures");

describe("ParticipantDirectory", function () {
  describe("deployment", function () {
    it("gives the governor the admin and governor roles", async function () {
      const { registry, governor, outsider } = await fixture();
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), governor.address)).to.equal(true);
      expect(await registry.hasRole(await registry.GOVERNOR_ROLE(), governor.address)).to.equal(true);
      expect(await registry.hasRole(await registry.GOVERNOR_ROLE(), outsider.address)).to.equal(false);
    });

    it("refuses a zero governor", async function () {
      const factory = await ethers.getContractFactory("KimberleyRegistry");
      await expect(factory.deploy(ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "ZeroAddress");
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
      const { registry, outsider, bwAuthority } = await fixture();
      const role = await registry.GOVERNOR_ROLE();
      const calls = [
        (r) => r.addParticipant(code("EU")),
        (r) => r.suspendParticipant(code("BW")),
        (r) => r.reinstateParticipant(code("BW")),
        (r) => r.addAuthority(code("BW"), outsider.address),
        (r) => r.removeAuthority(bwAuthority.address),
        (r) => r.setFlag(0, ethers.ZeroHash, 1, "x"),
      ];
      for (const call of calls) {
        await expect(call(registry.connect(bwAuthority)))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(bwAuthority.address, role);
      }
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
        .withArgs(bwAuthority.address, "0x0000");
    });

    it("refuses to remove an account that is not an authority", async function () {
      const { registry, outsider } = await fixture();
      await expect(registry.removeAuthority(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAnAuthority")
        .withArgs(outsider.address, "0x0000");
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
        .withArgs(bwMiner.address, "0x0000");
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
        .withArgs(outsider.address, "0x0000");
      await expect(registry.connect(aeAuthority).removeMember(bwMiner.address))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(bwMiner.address, code("AE"));
      await expect(registry.connect(bwAuthority).removeMember(outsider.address))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(outsider.address, code("BW"));
    });

    it("lets a removed member register nothing", async function () {
      const { registry, bwAuthority, bwMiner } = await fixture();
      await registry.connect(bwAuthority).removeMember(bwMiner.address);
      await expect(registry.connect(bwMiner).registerParcel(ethers.id("p")))
        .to.be.revertedWithCustomError(registry, "NotAMember")
        .withArgs(bwMiner.address, "0x0000");
    });
  });
});
