// Invariant tests of the registry (issue 7 item 7). fast-check generates random sequences of
// operations by random actors: governance (participants, authorities, flags, the two-step
// governance transfer, renouncing), authorities (members, direct and relayed certificates with
// right and wrong signers, confirmations before and after expiry, voids), members of every
// participant (origin parcels, transformations of random known parcels in and out of order, batch
// anchors), removed members, members of suspended participants, and outsiders; time jumps forward
// between operations. An off-chain model predicts every outcome: success, or the exact custom error
// and arguments. After EACH step the test reads the chain's state back in one call (a multicall of
// the views: parcelsOf over every known parcel, the open certificates and governance always; the
// directory, every certificate, transformation and anchor after an operation that could change
// them, and everything every 10th step and at the end of a run), checks it equals the model, and
// checks these invariants on the chain's data:
//   - a consumed parcel is never active (or anything but consumed) again;
//   - every parcel of an Issued certificate is Locked and held by its exporter, a parcel is listed
//     on at most one Issued certificate, and every Locked parcel is on one; no call ever fails
//     with ParcelNotLocked (the contract's defence-in-depth check is unreachable);
//   - only the right role changed records: a refused call changes nothing, and every parcel that
//     changed was changed by a member or an authority of the participant that held it (or, for a
//     confirmation, an authority of the certificate's importer) holding that role in the model;
//   - the counts of parcels by state on the chain equal the model's, over all known parcel hashes;
//   - there is always a governor.
//
// The normal `npx hardhat test` runs KP_INVARIANT_RUNS (default 100) runs of KP_INVARIANT_OPS
// (default 100) operations: 10,000 operations. A longer run, for example 200,000 operations:
//   KP_INVARIANT_RUNS=2000 npx hardhat test tests/contracts/invariants/Registry.invariants.test.js
// KP_INVARIANT_SEED (and KP_INVARIANT_PATH) replay a failure with the seed fast-check prints.
// Under `hardhat coverage` (instrumented, much slower) the default is 3 runs: the unit tests cover
// every line and branch, and the invariants need not run 10,000 times on instrumented code.
const { expect } = require("chai");
const fc = require("fast-check");
const hre = require("hardhat");
const { ethers } = hre;
const typedData = require("../../../scripts/lib/typed-data");

const COVERAGE = Boolean(hre.__SOLIDITY_COVERAGE_RUNNING);
const RUNS = Number(process.env.KP_INVARIANT_RUNS || (COVERAGE ? 3 : 100));
const OPS = Number(process.env.KP_INVARIANT_OPS || 100);
const MIN_TOTAL = 10_000;
const FULL_EVERY = 10; // steps between reads of the whole state

const ZERO2 = "0x0000";
const ZERO32 = ethers.ZeroHash;
const ZERO_ADDRESS = ethers.ZeroAddress;
const ZERO20 = "0x" + "0".repeat(40);
const DEFAULT_ADMIN_ROLE = ZERO32;
const MAX_UINT32 = 2n ** 32n - 1n;
const GOVERNANCE_DELAY = 2n * 86400n;
const GAS = "0x" + (12_000_000).toString(16);
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

const P = { None: 0, Active: 1, Consumed: 2, Locked: 3 }; // ParcelStatus
const C = { None: 0, Issued: 1, Confirmed: 2, Voided: 3 }; // CertificateStatus
const PARCEL_STATUS_NAMES = ["None", "Active", "Consumed", "Locked"];

const code = typedData.participantCode;
const VALID_CODES = ["BW", "AE", "IN", "CA", "EU", "RU", "ZZ", "NA"].map(code);
const INVALID_CODES = ["0x0000", "0x6277" /* bw */, "0x4231" /* B1 */, "0x5b41" /* [A */];
const NUMBER_PREFIXES = ["BW", "AE", "IN", "CA"];

// ---------------------------------------------------------------- hashing (fast, hex strings)

const hex = (x) => x.replace(/^0x/, "").toLowerCase();
const wordR = (x) => (typeof x === "string" ? hex(x) : x.toString(16)).padStart(64, "0"); // uint, address
const wordL = (x) => hex(x).padEnd(64, "0"); // bytes2, bytes20
const keccak = (h) => ethers.keccak256("0x" + h);
const packed = (hashes) => keccak(hashes.map(hex).join(""));
const PARCEL_TYPEHASH = hex(typedData.PARCEL_TYPEHASH);
const TRANSFORMATION_TYPEHASH = hex(typedData.TRANSFORMATION_TYPEHASH);
const CERTIFICATE_TYPEHASH = hex(
  ethers.keccak256(
    ethers.toUtf8Bytes(ethers.TypedDataEncoder.from(typedData.certificateTypes).encodeType("Certificate")),
  ),
);
const ISSUE_TYPEHASH = hex(
  ethers.keccak256(
    ethers.toUtf8Bytes(ethers.TypedDataEncoder.from(typedData.issueTypes).encodeType("IssueCertificate")),
  ),
);
const parcelHash = (participant, details) => keccak(PARCEL_TYPEHASH + wordL(participant) + hex(details));
const transformationHash = (participant, inputs, outputs, details) =>
  keccak(TRANSFORMATION_TYPEHASH + wordL(participant) + hex(packed(inputs)) + hex(packed(outputs)) + hex(details));
const certificateHash = (f) =>
  keccak(
    CERTIFICATE_TYPEHASH +
      hex(f.numberHash) +
      wordL(f.exporter) +
      wordL(f.importer) +
      wordR(f.expiresAt) +
      hex(packed(f.parcels)) +
      hex(f.detailsHash),
  );
const pairKey = (participant, h) => keccak(wordL(participant) + hex(h));
const seeded = (...xs) => keccak(xs.map((x) => wordR(BigInt(x))).join(""));

// ------------------------------------------------------------------ ABI, by hand where it is hot

let I; // the registry's ethers Interface
const selectors = {};
const sel = (name) => (selectors[name] ??= hex(I.getFunction(name).selector));

function encodeMulticall(datas) {
  const n = datas.length;
  const offsets = [];
  let tail = "";
  let offset = n * 32;
  for (const d of datas) {
    offsets.push(wordR(BigInt(offset)));
    const len = d.length / 2;
    const padded = d.padEnd(Math.ceil(len / 32) * 64, "0");
    tail += wordR(BigInt(len)) + padded;
    offset += 32 + padded.length / 2;
  }
  return "0x" + sel("multicall") + wordR(32n) + wordR(BigInt(n)) + offsets.join("") + tail;
}

function decodeMulticall(result) {
  const h = hex(result);
  const at = (byte) => parseInt(h.slice(byte * 2, byte * 2 + 64), 16);
  const n = at(32);
  const out = [];
  for (let i = 0; i < n; i++) {
    const start = 64 + at(64 + 32 * i);
    const len = at(start);
    out.push(h.slice((start + 32) * 2, (start + 32 + len) * 2));
  }
  return out;
}

const words = (h) => Array.from({ length: h.length / 64 }, (_, i) => h.slice(i * 64, i * 64 + 64));
const b2 = (w) => "0x" + w.slice(0, 4);
const b20 = (w) => "0x" + w.slice(0, 40);
const num = (w) => parseInt(w, 16);
const addr = (w) => "0x" + w.slice(24);

// ------------------------------------------------------------------------------------ the model

function emptyModel(governor) {
  return {
    gov: { governor, pending: ZERO_ADDRESS, schedule: 0n },
    participants: new Map(), // code -> 1 Active | 2 Suspended
    participantOrder: [],
    authorityOf: new Map(), // account -> code
    members: new Map(), // account -> { participant, active, index }
    memberCount: 0,
    parcels: new Map(), // hash -> { participant, status, flag, registrant, parents }
    parcelList: [],
    probes: [], // parcel hashes a refused call named: never registered unless the model says so
    transformations: new Map(), // hash -> { participant, flag, inputCount, outputCount, registrant }
    transformationList: [],
    transformCalls: [], // successful transform calls, to repeat
    certificates: new Map(), // certificateKey -> { exporter, importer, status, flag, expiresAt, parcelCount, contentHash, facts, confirmation }
    certificateList: [],
    attempted: [], // facts of refused issues
    anchors: new Map(), // anchorKey -> { participant, flag, registrant, leafCount, root }
    anchorList: [],
    detailsPool: [],
    transformationDetailsPool: [],
    rootPool: [],
  };
}

const pushBounded = (list, x, max = 64) => {
  list.push(x);
  if (list.length > max) list.shift();
};
const pick = (list, n) => list[n % list.length];
const err = (name, ...args) => ({ error: [name, ...args] });

function participantError(m, c) {
  const s = m.participants.get(c) ?? 0;
  if (s === 1) return null;
  return s === 0 ? ["UnknownParticipant", c] : ["ParticipantInactive", c];
}

function activeMember(m, account) {
  const mem = m.members.get(account);
  if (!mem || !mem.active) return { error: ["NotAMember", account, ZERO2] };
  return { participant: mem.participant, index: mem.index };
}

function activeMemberOfActive(m, account) {
  const r = activeMember(m, account);
  if (r.error) return r;
  const e = participantError(m, r.participant);
  return e ? { error: e } : r;
}

const authorityOf = (m, account) => m.authorityOf.get(account) ?? ZERO2;
const notGovernance = (m, account) =>
  account === m.gov.governor ? null : ["AccessControlUnauthorizedAccount", account, DEFAULT_ADMIN_ROLE];

/** A copy-on-write view of the parcels, so a refused call leaves the model untouched. */
function overlay(m) {
  const changes = new Map();
  return {
    get: (h) => (changes.has(h) ? changes.get(h) : m.parcels.get(h)),
    set: (h, p) => changes.set(h, p),
    created: () => [...changes.keys()].filter((h) => !m.parcels.has(h)),
    commit: () => {
      for (const [h, p] of changes) {
        if (!m.parcels.has(h)) m.parcelList.push(h);
        m.parcels.set(h, p);
      }
    },
  };
}

/** ParcelLedger._takeActive: the error it reverts with, or null (and the parcel moves to `status`). */
function takeActive(view, h, holder, status) {
  const p = view.get(h);
  if (!p) return ["UnknownParcel", h];
  if (p.status !== P.Active) return ["ParcelNotActive", h, p.status];
  if (p.participant !== holder) return ["ParcelNotHeld", h, p.participant];
  view.set(h, { ...p, status });
  return null;
}

/** KimberleyRegistry._issue. */
function predictIssue(m, facts, authority, now) {
  const { exporter, importer } = facts;
  if (authorityOf(m, authority) !== exporter) return err("NotAnAuthority", authority, exporter);
  let e = participantError(m, exporter);
  if (e) return { error: e };
  if (importer === exporter) return err("SameParticipant", importer);
  e = participantError(m, importer);
  if (e) return { error: e };
  if (facts.expiresAt <= now || facts.expiresAt > MAX_UINT32) return err("InvalidExpiry", facts.expiresAt);
  if (facts.parcels.length === 0) return err("EmptyList");
  const key = pairKey(exporter, facts.numberHash);
  if (m.certificates.has(key)) return err("CertificateAlreadyIssued", exporter, facts.numberHash);
  const view = overlay(m);
  for (const h of facts.parcels) {
    e = takeActive(view, h, exporter, P.Locked);
    if (e) return { error: e };
  }
  return {
    role: { kind: "authority", participant: exporter, account: authority },
    apply: () => {
      view.commit();
      m.certificates.set(key, {
        exporter,
        importer,
        status: C.Issued,
        flag: 0,
        expiresAt: facts.expiresAt,
        parcelCount: facts.parcels.length,
        contentHash: certificateHash(facts).slice(0, 42),
        facts,
        confirmation: ZERO32,
      });
      m.certificateList.push(key);
    },
  };
}

/** KimberleyRegistry._issuedCertificate. */
function issuedCertificate(m, facts) {
  const key = pairKey(facts.exporter, facts.numberHash);
  const c = m.certificates.get(key);
  if (!c) return err("UnknownCertificate", facts.exporter, facts.numberHash);
  if (c.contentHash !== certificateHash(facts).slice(0, 42))
    return err("CertificateMismatch", facts.exporter, facts.numberHash);
  if (c.status !== C.Issued) return err("CertificateNotIssued", facts.exporter, facts.numberHash, c.status);
  return { key, c };
}

/** KimberleyRegistry._releaseLocked: the model holds the same invariant the contract relies on. */
function releaseLocked(m, facts, holder) {
  for (const h of facts.parcels) {
    const p = m.parcels.get(h);
    if (!p || p.status !== P.Locked || p.participant !== facts.exporter) {
      throw new Error(
        `model: parcel ${h} of an Issued certificate is not Locked by ${facts.exporter} (ParcelNotLocked)`,
      );
    }
    m.parcels.set(h, { ...p, participant: holder, status: P.Active });
  }
}

// ------------------------------------------------------------------ operations (model + call)

/**
 * Turns a generated operation into a concrete call against the model's current state:
 * { kind, from, fn, args, timed, predict(now) } where predict returns { error: [name, ...args] }
 * or { role, apply }.
 */
function resolve(m, op, env) {
  const { accounts, wallets, stranger } = env;
  const any = (n) => pick(accounts, n);
  // mostly an account with the role the call needs; otherwise anyone (outsiders, removed members,
  // authorities of other participants, the governor)
  const choose = (preferred, n = op.actor, tenths = 8) =>
    preferred.length > 0 && n % 10 < tenths ? pick(preferred, Math.floor(n / 10)) : any(Math.floor(n / 10));
  const participantsWith = (status) => m.participantOrder.filter((c) => m.participants.get(c) === status);
  const activeMembers = () => [...m.members].filter(([, v]) => v.active).map(([k]) => k);
  const authorities = (participant) =>
    [...m.authorityOf].filter(([, v]) => participant === undefined || v === participant).map(([k]) => k);
  const governorBiased = () => (op.actor % 10 < 7 ? m.gov.governor : any(Math.floor(op.actor / 10)));
  const freshOrReused = (v, salt, pool, reuseEvery = 4) =>
    pool.length > 0 && v % reuseEvery === 0 ? pick(pool, Math.floor(v / reuseEvery)) : seeded(v, salt, op.a, op.b);
  const activeHeldBy = (participant) =>
    m.parcelList.filter((h) => {
      const p = m.parcels.get(h);
      return p.status === P.Active && p.participant === participant;
    });
  // parcels for a call: mostly active ones `holder` holds; otherwise any known parcel (consumed,
  // locked, another participant's) or an unknown hash
  const chooseParcels = (count, holder) => {
    const held = holder ? activeHeldBy(holder) : [];
    const chosen = [];
    for (let j = 0; j < count; j++) {
      const v = op.picks[j] ?? Math.floor(op.b / 7) + 13 * j;
      if (v % 20 < 17 && held.length) chosen.push(pick(held, Math.floor(v / 20)));
      else if (v % 20 < 19 && m.parcelList.length) chosen.push(pick(m.parcelList, Math.floor(v / 20)));
      else chosen.push(seeded(v, j, 0xdead));
    }
    return chosen;
  };

  switch (op.kind) {
    // ------------------------------------------------------------------------- governance
    case "addParticipant": {
      const from = governorBiased();
      const c = op.a % 12 < 8 ? pick(VALID_CODES, op.a % 12) : pick(INVALID_CODES, op.a);
      return {
        from,
        fn: "addParticipant",
        args: [c],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          const valid = (ch) => ch >= 0x41 && ch <= 0x5a;
          if (!valid(parseInt(c.slice(2, 4), 16)) || !valid(parseInt(c.slice(4, 6), 16)))
            return err("InvalidParticipantCode", c);
          if (m.participants.has(c)) return err("ParticipantAlreadyExists", c);
          return {
            role: { kind: "governance" },
            apply: () => {
              m.participants.set(c, 1);
              m.participantOrder.push(c);
            },
          };
        },
      };
    }
    case "suspendParticipant":
    case "reinstateParticipant": {
      const from = governorBiased();
      const suspend = op.kind === "suspendParticipant";
      const likely = participantsWith(suspend ? 1 : 2);
      const c = op.a % 10 < 7 && likely.length ? pick(likely, Math.floor(op.a / 10)) : pick(VALID_CODES, op.a);
      return {
        from,
        fn: op.kind,
        args: [c],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          const s = m.participants.get(c) ?? 0;
          if (suspend) {
            const e = participantError(m, c);
            if (e) return { error: e };
          } else {
            if (s === 0) return err("UnknownParticipant", c);
            if (s !== 2) return err("ParticipantNotSuspended", c);
          }
          return { role: { kind: "governance" }, apply: () => m.participants.set(c, suspend ? 2 : 1) };
        },
      };
    }
    case "addAuthority": {
      const from = governorBiased();
      const c = op.a % 10 < 8 && m.participantOrder.length ? pick(m.participantOrder, op.a) : pick(VALID_CODES, op.a);
      const free = accounts.filter((x) => !m.authorityOf.has(x));
      const account = op.b % 25 === 0 ? ZERO_ADDRESS : choose(free, op.b);
      return {
        from,
        fn: "addAuthority",
        args: [c, account],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          if (account === ZERO_ADDRESS) return err("ZeroAddress");
          if (!m.participants.has(c)) return err("UnknownParticipant", c);
          const current = authorityOf(m, account);
          if (current !== ZERO2) return err("AuthorityAlreadyAssigned", account, current);
          return { role: { kind: "governance" }, apply: () => m.authorityOf.set(account, c) };
        },
      };
    }
    case "removeAuthority": {
      const from = governorBiased();
      const account = choose(authorities(), op.b);
      return {
        from,
        fn: "removeAuthority",
        args: [account],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          if (authorityOf(m, account) === ZERO2) return err("NotAnAuthority", account, ZERO2);
          return { role: { kind: "governance" }, apply: () => m.authorityOf.delete(account) };
        },
      };
    }
    case "setFlag": {
      const from = governorBiased();
      const kind = op.a % 4;
      const lists = [m.parcelList, m.transformationList, m.certificateList, m.anchorList];
      const other = lists[(kind + 1 + (op.b % 3)) % 4];
      const key =
        op.b % 10 < 8 && lists[kind].length
          ? pick(lists[kind], Math.floor(op.b / 10))
          : op.b % 10 === 8 && other.length
            ? pick(other, Math.floor(op.b / 10))
            : seeded(op.b, 0xf1a6);
      const flag = op.c % 3;
      const category = op.d % 8;
      const evidence = seeded(op.c, op.d, 0xe1);
      return {
        from,
        fn: "setFlag",
        args: [kind, key, flag, category, evidence],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          const record = [m.parcels, m.transformations, m.certificates, m.anchors][kind].get(key);
          if (!record) return err("UnknownRecord", kind, key);
          return {
            role: { kind: "governance", flagOnly: true },
            apply: () => {
              const map = [m.parcels, m.transformations, m.certificates, m.anchors][kind];
              map.set(key, { ...record, flag });
            },
          };
        },
      };
    }
    case "beginGovernanceTransfer": {
      const from = governorBiased();
      const to = op.a % 10 === 0 ? ZERO_ADDRESS : any(op.a);
      return {
        from,
        fn: "beginDefaultAdminTransfer",
        args: [to],
        timed: true,
        predict: (now) => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          if (to === ZERO_ADDRESS) return err("GovernanceRequired");
          return {
            role: { kind: "governance" },
            apply: () => {
              m.gov.pending = to;
              m.gov.schedule = now + GOVERNANCE_DELAY;
            },
          };
        },
      };
    }
    case "acceptGovernanceTransfer": {
      const from = m.gov.pending !== ZERO_ADDRESS && op.actor % 10 < 7 ? m.gov.pending : any(Math.floor(op.actor / 10));
      return {
        from,
        fn: "acceptDefaultAdminTransfer",
        args: [],
        timed: true,
        predict: (now) => {
          if (from !== m.gov.pending) return err("AccessControlInvalidDefaultAdmin", from);
          if (m.gov.schedule === 0n || !(m.gov.schedule < now))
            return err("AccessControlEnforcedDefaultAdminDelay", m.gov.schedule);
          return {
            role: { kind: "pendingGovernor" },
            apply: () => {
              m.gov.governor = m.gov.pending;
              m.gov.pending = ZERO_ADDRESS;
              m.gov.schedule = 0n;
            },
          };
        },
      };
    }
    case "cancelGovernanceTransfer": {
      const from = governorBiased();
      return {
        from,
        fn: "cancelDefaultAdminTransfer",
        args: [],
        predict: () => {
          const g = notGovernance(m, from);
          if (g) return { error: g };
          return {
            role: { kind: "governance" },
            apply: () => {
              m.gov.pending = ZERO_ADDRESS;
              m.gov.schedule = 0n;
            },
          };
        },
      };
    }
    case "renounceGovernance": {
      const from = governorBiased();
      const account = op.a % 2 === 0 ? from : m.gov.governor;
      return {
        from,
        fn: "renounceRole",
        args: [DEFAULT_ADMIN_ROLE, account],
        predict: () => err("GovernanceRequired"),
      };
    }
    case "grantOrRevokeGovernance": {
      const from = governorBiased();
      const grant = op.a % 2 === 0;
      return {
        from,
        fn: grant ? "grantRole" : "revokeRole",
        args: [DEFAULT_ADMIN_ROLE, grant ? any(op.b) : m.gov.governor],
        predict: () => err("AccessControlEnforcedDefaultAdminRules"),
      };
    }

    // -------------------------------------------------------------------------- authority
    case "addMember": {
      const from = choose(authorities());
      const account = op.b % 30 === 0 ? ZERO_ADDRESS : any(op.b);
      return {
        from,
        fn: "addMember",
        args: [account],
        predict: () => {
          if (account === ZERO_ADDRESS) return err("ZeroAddress");
          const participant = authorityOf(m, from);
          if (participant === ZERO2) return err("NotAnAuthority", from, ZERO2);
          const e = participantError(m, participant);
          if (e) return { error: e };
          const mem = m.members.get(account);
          if (mem && mem.active) return err("MemberAlreadyActive", account, mem.participant);
          return {
            role: { kind: "authority", participant, account: from },
            apply: () => {
              let index = mem ? mem.index : 0;
              if (index === 0) index = ++m.memberCount;
              m.members.set(account, { participant, active: true, index });
            },
          };
        },
      };
    }
    case "removeMember": {
      const from = choose(authorities());
      const participant = authorityOf(m, from);
      const ofParticipant = [...m.members].filter(([, v]) => v.active && v.participant === participant).map(([k]) => k);
      const account = choose(ofParticipant, op.b);
      return {
        from,
        fn: "removeMember",
        args: [account],
        predict: () => {
          if (participant === ZERO2) return err("NotAnAuthority", from, ZERO2);
          const mem = m.members.get(account);
          if (!mem || !mem.active || mem.participant !== participant) return err("NotAMember", account, participant);
          return {
            role: { kind: "authority", participant, account: from },
            apply: () => m.members.set(account, { ...mem, active: false }),
          };
        },
      };
    }
    case "issueCertificate":
    case "issueCertificateWithSignature": {
      const relayed = op.kind === "issueCertificateWithSignature";
      const signerAccount = choose(authorities(), op.actor, 9);
      const signer = relayed && op.c % 20 === 19 ? stranger : wallets.get(signerAccount);
      // relayed: the signer is mostly the named authority; sometimes the signature is someone else's
      const authority = relayed ? (op.b % 10 < 9 ? signer.address.toLowerCase() : any(op.b)) : signerAccount;
      const from = relayed ? any(op.a) : signerAccount;
      const own = authorityOf(m, signer.address.toLowerCase());
      const exporter = own !== ZERO2 && op.a % 20 < 19 ? own : pick([...VALID_CODES, ZERO2], op.a);
      const others = m.participantOrder.filter((c) => c !== exporter);
      const importer = op.b % 10 < 9 && others.length ? pick(others, Math.floor(op.b / 10)) : pick(VALID_CODES, op.b);
      const number = `${pick(NUMBER_PREFIXES, op.c)}2026-${Math.floor(op.c / 4) % 6}`;
      const count = Math.floor(op.d / 32) % 20 === 0 ? 0 : 1 + (Math.floor(op.a / 16) % 4);
      const parcels = chooseParcels(count, exporter);
      // expiry: mostly hours to months ahead; sometimes past, now, or beyond uint32 seconds
      const deltas = [-3600n, 0n, MAX_UINT32, 1n, ...Array(8).fill(3600n), ...Array(8).fill(86400n)];
      const longer = [...Array(6).fill(5n * 86400n), ...Array(4).fill(30n * 86400n), 90n * 86400n, 90n * 86400n];
      const delta = pick([...deltas, ...longer], op.d);
      const detailsHash = seeded(op.a, op.b, op.c, 0xce);
      const deadlineDelta = pick([-1n, 0n, 60n, 3600n, 3600n, 86400n, 86400n, 86400n, 86400n, 86400n], op.c);
      return {
        from,
        fn: op.kind,
        timed: true,
        args: (now) => {
          const facts = {
            numberHash: ethers.id(number),
            exporter,
            importer,
            expiresAt: delta === MAX_UINT32 ? MAX_UINT32 + 1n : now + delta,
            parcels,
            detailsHash,
          };
          facts.key = pairKey(exporter, facts.numberHash);
          if (!relayed) return [facts];
          const deadline = now + deadlineDelta;
          const signedDeadline = op.d % 23 === 0 ? deadline + 1n : deadline;
          const digest = keccak(
            "1901" +
              env.domainSeparator +
              hex(keccak(ISSUE_TYPEHASH + hex(certificateHash(facts)) + wordR(signedDeadline))),
          );
          const signature = signer.signingKey.sign(digest).serialized;
          return [facts, authority, deadline, signature];
        },
        predict: (now, args) => {
          const [facts] = args;
          pushBounded(m.attempted, facts, 32);
          if (!relayed) return predictIssue(m, facts, from, now);
          const [, , deadline] = args;
          if (now > deadline) return err("SignatureExpired", deadline);
          const valid = signer.address.toLowerCase() === authority && op.d % 23 !== 0;
          if (!valid) return err("InvalidSignature", authority);
          return predictIssue(m, facts, authority, now);
        },
      };
    }
    case "confirmImport":
    case "voidCertificate": {
      const confirm = op.kind === "confirmImport";
      let facts;
      const s = op.a % 20;
      const issued = m.certificateList.filter((k) => m.certificates.get(k).status === C.Issued);
      if (s < 12 && issued.length) facts = m.certificates.get(pick(issued, op.b)).facts;
      else if (s < 15 && m.certificateList.length) facts = m.certificates.get(pick(m.certificateList, op.b)).facts;
      else if (s < 17 && m.attempted.length) facts = pick(m.attempted, op.b);
      else if (m.certificateList.length) {
        const base = m.certificates.get(pick(m.certificateList, op.b)).facts;
        const variants = [
          { ...base, parcels: base.parcels.slice(0, -1) },
          { ...base, expiresAt: base.expiresAt + 1n },
          { ...base, detailsHash: seeded(op.c, 0xd0) },
          { ...base, exporter: pick(VALID_CODES, op.c) },
          { ...base, parcels: [...base.parcels, pick(m.parcelList, op.c)] },
        ];
        facts = pick(variants, op.d);
      } else {
        facts = {
          numberHash: ethers.id(`XX2026-${op.b % 5}`),
          exporter: pick(VALID_CODES, op.c),
          importer: pick(VALID_CODES, op.d),
          expiresAt: 4_000_000_000n,
          parcels: [seeded(op.b, 0x9a)],
          detailsHash: seeded(op.c, 0x9b),
        };
      }
      const onRecord = m.certificates.get(pairKey(facts.exporter, facts.numberHash));
      const party = confirm ? (onRecord ? onRecord.importer : facts.importer) : facts.exporter;
      const from = choose(authorities(party));
      const confirmation = op.c % 20 === 0 ? ZERO32 : seeded(op.c, op.d, 0xc0);
      return {
        from,
        fn: op.kind,
        args: confirm ? [facts, confirmation] : [facts],
        timed: confirm,
        predict: (now) => {
          if (confirm && confirmation === ZERO32) return err("ZeroHash");
          const r = issuedCertificate(m, facts);
          if (r.error) return r;
          const { c } = r;
          if (confirm) {
            if (authorityOf(m, from) !== c.importer) return err("NotAnAuthority", from, c.importer);
            if (now > c.expiresAt) return err("CertificateExpired", facts.exporter, facts.numberHash, c.expiresAt);
            const e = participantError(m, c.importer) || participantError(m, facts.exporter);
            if (e) return { error: e };
          } else if (authorityOf(m, from) !== facts.exporter) {
            return err("NotAnAuthority", from, facts.exporter);
          }
          return {
            role: confirm
              ? {
                  kind: "confirm",
                  participant: c.importer,
                  exporter: facts.exporter,
                  account: from,
                  parcels: facts.parcels,
                }
              : { kind: "void", participant: facts.exporter, account: from, parcels: facts.parcels },
            apply: () => {
              releaseLocked(m, facts, confirm ? c.importer : facts.exporter);
              c.status = confirm ? C.Confirmed : C.Voided;
              if (confirm) c.confirmation = confirmation;
            },
          };
        },
      };
    }

    // ----------------------------------------------------------------------------- member
    case "registerParcel":
    case "registerParcels": {
      const from = choose(activeMembers());
      const batch = op.kind === "registerParcels";
      let details;
      if (!batch) details = [freshOrReused(op.a, 1, m.detailsPool)];
      else if (op.c % 20 === 0) details = [];
      else {
        details = [];
        for (let i = 0; i <= op.picks.length; i++) {
          const v = op.picks[i] ?? op.a + i;
          if (i > 0 && v % 7 === 1) details.push(details[i - 1]);
          else details.push(freshOrReused(v, 100 + i, m.detailsPool, 5));
        }
      }
      for (const d of details) pushBounded(m.detailsPool, d);
      return {
        from,
        fn: op.kind,
        args: [batch ? details : details[0]],
        predict: () => predictRegister(m, from, details, batch),
      };
    }
    case "transform":
    case "repeatTransform": {
      let call;
      if (op.kind === "repeatTransform" && m.transformCalls.length) {
        const past = pick(m.transformCalls, op.a);
        const from = op.b % 10 < 6 ? past.from : choose(activeMembers());
        call = { ...past, from };
      } else {
        const from = choose(activeMembers());
        const holder = m.members.get(from)?.participant;
        const count = op.c % 25 === 0 ? 0 : 1 + (op.a % 3);
        let inputs = chooseParcels(count, holder);
        // strictly ascending mostly; sometimes descending, or sorted with duplicates kept
        const order = op.d % 10;
        inputs = [...inputs].sort(ascending);
        if (order === 0) inputs.reverse();
        else if (order !== 1) inputs = inputs.filter((h, j) => j === 0 || h !== inputs[j - 1]);
        const outCount = op.c % 25 === 1 ? 0 : 1 + (op.b % 3);
        const outputDetails = Array.from({ length: outCount }, (_, j) =>
          freshOrReused(op.picks[j] ?? op.b + j, 200 + j, m.detailsPool, 6),
        );
        for (const d of outputDetails) pushBounded(m.detailsPool, d);
        const details = freshOrReused(op.d, 300, m.transformationDetailsPool, 8);
        pushBounded(m.transformationDetailsPool, details);
        call = { from, details, inputs, outputDetails };
      }
      const { from, details, inputs, outputDetails } = call;
      return {
        from,
        fn: "transform",
        args: [details, inputs, outputDetails],
        predict: () => {
          const r = activeMemberOfActive(m, from);
          if (r.error) return r;
          if (inputs.length === 0 || outputDetails.length === 0) return err("EmptyList");
          const p = r.participant;
          const outputs = outputDetails.map((d) => parcelHash(p, d));
          const t = transformationHash(p, inputs, outputs, details);
          if (m.transformations.has(t)) return err("AlreadyRegistered", t);
          const view = overlay(m);
          for (let i = 0; i < inputs.length; i++) {
            if (i > 0 && BigInt(inputs[i]) <= BigInt(inputs[i - 1])) return err("InputsNotSorted", i);
            const e = takeActive(view, inputs[i], p, P.Consumed);
            if (e) return { error: e };
          }
          const parents = packed(inputs).slice(0, 42);
          for (const o of outputs) {
            if (view.get(o)) return refuse(m, view, ["AlreadyRegistered", o]);
            view.set(o, { participant: p, status: P.Active, flag: 0, registrant: r.index, parents });
          }
          return {
            role: { kind: "member", participant: p, account: from },
            apply: () => {
              view.commit();
              m.transformations.set(t, {
                participant: p,
                flag: 0,
                inputCount: inputs.length,
                outputCount: outputs.length,
                registrant: r.index,
              });
              m.transformationList.push(t);
              m.transformCalls.push(call);
            },
          };
        },
      };
    }
    case "anchorBatch": {
      const from = choose(activeMembers());
      const root =
        op.a % 10 === 0
          ? ZERO32
          : op.a % 10 < 4 && m.rootPool.length
            ? pick(m.rootPool, op.b)
            : seeded(op.a, op.b, 0xa0);
      if (root !== ZERO32) pushBounded(m.rootPool, root);
      const leafCount = op.c % 20 === 0 ? 0 : 1 + (op.c % 5000);
      return {
        from,
        fn: "anchorBatch",
        args: [root, leafCount],
        predict: () => {
          const r = activeMember(m, from);
          if (r.error) return r;
          if (root === ZERO32) return err("ZeroHash");
          if (leafCount === 0) return err("EmptyList");
          const key = pairKey(r.participant, root);
          if (m.anchors.has(key)) return err("AlreadyRegistered", root);
          return {
            role: { kind: "anchor", participant: r.participant, account: from },
            apply: () => {
              m.anchors.set(key, { participant: r.participant, flag: 0, registrant: r.index, leafCount, root });
              m.anchorList.push(key);
            },
          };
        },
      };
    }
    default:
      throw new Error(`unknown operation ${op.kind}`);
  }
}

function predictRegister(m, from, details, batch) {
  if (batch && details.length === 0) return err("EmptyList");
  const r = activeMemberOfActive(m, from);
  if (r.error) return r;
  const view = overlay(m);
  for (const d of details) {
    const h = parcelHash(r.participant, d);
    if (view.get(h)) return refuse(m, view, ["AlreadyRegistered", h]);
    view.set(h, { participant: r.participant, status: P.Active, flag: 0, registrant: r.index, parents: ZERO20 });
  }
  return { role: { kind: "member", participant: r.participant, account: from }, apply: () => view.commit() };
}

/**
 * A refusal part-way through a call: the parcels the call had created before it failed must not
 * exist afterwards (the whole call reverts), so the state check reads them too.
 */
function refuse(m, view, error) {
  for (const h of view.created()) pushBounded(m.probes, h, 32);
  return { error };
}

const ascending = (x, y) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0);

// -------------------------------------------------------------------------- reading the chain

/** The kinds of operation that can change each part of the state besides the parcels. */
const TOUCHES = {
  directory: new Set([
    "addParticipant",
    "suspendParticipant",
    "reinstateParticipant",
    "addAuthority",
    "removeAuthority",
    "addMember",
    "removeMember",
  ]),
  certificates: new Set([
    "issueCertificate",
    "issueCertificateWithSignature",
    "confirmImport",
    "voidCertificate",
    "setFlag",
  ]),
  transformations: new Set(["transform", "repeatTransform", "setFlag"]),
  anchors: new Set(["anchorBatch", "setFlag"]),
};

/**
 * The chain's state, read back in one eth_call (a multicall of the views; every view call costs
 * the node a call frame, the dominant cost of a step). Always: every known parcel (parcelsOf), the
 * Issued certificates, the governor and the pending transfer. The directory, every certificate,
 * the transformations and the anchors are read after an operation that could change them, and all
 * of it after every FULL_EVERY-th step and the last step of a run.
 */
function stateQuery(m, env, kind, full) {
  const parcels = [...m.parcelList, ...new Set(m.probes.filter((h) => !m.parcels.has(h)))];
  const all = full || TOUCHES.certificates.has(kind);
  const certificates = m.certificateList.map((k) => m.certificates.get(k)).filter((c) => all || c.status === C.Issued);
  const sections = {
    directory: full || TOUCHES.directory.has(kind),
    probes: all ? m.attempted.filter((f) => !m.certificates.has(f.key)) : [],
    transformations: full || TOUCHES.transformations.has(kind) ? m.transformationList : [],
    anchors: full || TOUCHES.anchors.has(kind) ? m.anchorList : [],
  };
  const calls = [
    sel("parcelsOf") + wordR(32n) + wordR(BigInt(parcels.length)) + parcels.map(hex).join(""),
    sel("governor"),
    sel("pendingDefaultAdmin"),
    ...certificates.flatMap((c) => [
      sel("certificate") + wordL(c.exporter) + hex(c.facts.numberHash),
      sel("confirmationOf") + wordL(c.exporter) + hex(c.facts.numberHash),
    ]),
    ...(sections.directory
      ? [
          sel("participants"),
          ...VALID_CODES.map((c) => sel("participantStatus") + wordL(c)),
          ...env.accounts.map((a) => sel("authorityOf") + wordR(a)),
          ...env.accounts.map((a) => sel("memberOf") + wordR(a)),
        ]
      : []),
    ...sections.probes.map((f) => sel("certificate") + wordL(f.exporter) + hex(f.numberHash)),
    ...sections.transformations.map((t) => sel("transformation") + hex(t)),
    ...sections.anchors.map((k) => {
      const a = m.anchors.get(k);
      return sel("anchor") + wordL(a.participant) + hex(a.root);
    }),
  ];
  return { data: encodeMulticall(calls), parcels, certificates, sections };
}

function fail(message, context) {
  const e = new Error(`${message}\n  at ${context}`);
  e.invariant = true;
  throw e;
}

/** Compares the chain's state with the model and checks the invariants on the chain's data. */
function checkState(m, env, query, result, context, runState) {
  const out = decodeMulticall(result);
  let i = 0;
  const eq = (actual, expected, what) => {
    if (String(actual) !== String(expected)) fail(`${what}: chain ${actual}, model ${expected}`, context);
  };

  // parcels
  const pw = words(out[i++]).slice(2);
  const chain = new Map();
  const counts = { chain: [0, 0, 0, 0], model: [0, 0, 0, 0] };
  query.parcels.forEach((h, j) => {
    const w = pw.slice(j * 6, j * 6 + 6);
    const p = { participant: b2(w[0]), status: num(w[1]), flag: num(w[2]), registrant: num(w[3]), parents: b20(w[5]) };
    chain.set(h, p);
    const e = m.parcels.get(h);
    if (!e) {
      eq(p.status, P.None, `unregistered parcel ${h} status`);
      return;
    }
    counts.chain[p.status]++;
    counts.model[e.status]++;
    eq(
      `${p.participant},${p.status},${p.flag},${p.registrant},${p.parents}`,
      `${e.participant},${e.status},${e.flag},${e.registrant},${e.parents}`,
      `parcel ${h}`,
    );
  });
  // the counts of parcels by state add up, and every known parcel exists
  eq(counts.chain.join(","), counts.model.join(","), "parcels by state (None,Active,Consumed,Locked)");
  eq(counts.chain[P.None], 0, "registered parcels missing on the chain");
  eq(
    counts.chain.reduce((a, b) => a + b, 0),
    m.parcelList.length,
    "number of parcels",
  );

  // a consumed parcel is never anything else again
  for (const h of runState.seenConsumed) {
    const p = chain.get(h);
    if (p.status !== P.Consumed) fail(`consumed parcel ${h} is ${PARCEL_STATUS_NAMES[p.status]} again`, context);
  }
  for (const [h, p] of chain) if (p.status === P.Consumed) runState.seenConsumed.add(h);

  // governance always exists
  const governor = addr(out[i++]);
  if (governor === ZERO_ADDRESS.toLowerCase()) fail("no governor", context);
  eq(governor, m.gov.governor, "governor");
  const pending = words(out[i++]);
  eq(`${addr(pending[0])},${BigInt("0x" + pending[1])}`, `${m.gov.pending},${m.gov.schedule}`, "pending governor");

  // certificates: every parcel of an Issued certificate is Locked and held by its exporter, and on
  // exactly one Issued certificate; every Locked parcel is on one
  const lockedBy = new Map();
  let issuedParcels = 0;
  for (const c of query.certificates) {
    const w = words(out[i++]);
    const confirmation = "0x" + out[i++];
    eq(
      `${b2(w[0])},${b2(w[1])},${num(w[2])},${num(w[3])},${BigInt("0x" + w[4])},${num(w[5])},${b20(w[6])},${confirmation}`,
      `${c.exporter},${c.importer},${c.status},${c.flag},${c.expiresAt},${c.parcelCount},${c.contentHash},${c.confirmation}`,
      `certificate ${c.exporter}/${c.facts.numberHash}`,
    );
    if (num(w[2]) !== C.Issued) continue;
    issuedParcels += c.facts.parcels.length;
    for (const h of c.facts.parcels) {
      const p = chain.get(h);
      if (!p || p.status !== P.Locked || p.participant !== c.exporter) {
        fail(
          `parcel ${h} of Issued certificate ${c.exporter}/${c.facts.numberHash} is not Locked by its exporter`,
          context,
        );
      }
      if (lockedBy.has(h)) fail(`parcel ${h} is on two Issued certificates`, context);
      lockedBy.set(h, c);
    }
  }
  eq(counts.chain[P.Locked], issuedParcels, "Locked parcels vs parcels of Issued certificates");

  // participants, authorities, members
  if (query.sections.directory) {
    const pl = words(out[i++]);
    eq(pl.slice(2).map(b2).join(","), m.participantOrder.join(","), "participants()");
    for (const c of VALID_CODES) eq(num(out[i++]), m.participants.get(c) ?? 0, `participantStatus(${c})`);
    for (const a of env.accounts) eq(b2(out[i++]), authorityOf(m, a), `authorityOf(${a})`);
    for (const a of env.accounts) {
      const w = words(out[i++]);
      const e = m.members.get(a) ?? { participant: ZERO2, active: false, index: 0 };
      eq(`${b2(w[0])},${num(w[1]) === 1},${num(w[2])}`, `${e.participant},${e.active},${e.index}`, `memberOf(${a})`);
    }
  }
  // refused issues left no certificate
  for (const f of query.sections.probes) {
    const w = words(out[i++]);
    eq(num(w[2]), C.None, `refused certificate ${f.exporter}/${f.numberHash} status`);
  }
  // transformations and anchors
  for (const t of query.sections.transformations) {
    const w = words(out[i++]);
    const e = m.transformations.get(t);
    eq(
      `${b2(w[0])},${num(w[1])},${num(w[2])},${num(w[3])},${num(w[4])}`,
      `${e.participant},${e.flag},${e.inputCount},${e.outputCount},${e.registrant}`,
      `transformation ${t}`,
    );
  }
  for (const k of query.sections.anchors) {
    const w = words(out[i++]);
    const e = m.anchors.get(k);
    eq(
      `${b2(w[0])},${num(w[1])},${num(w[2])},${num(w[4])}`,
      `${e.participant},${e.flag},${e.registrant},${e.leafCount}`,
      `anchor ${e.participant}/${e.root}`,
    );
  }
  if (i !== out.length) fail(`read ${out.length} results, checked ${i}`, context);
  return chain;
}

/**
 * Only the right role changed records: compares the parcels before and after a step. A refused
 * call changes nothing; a successful one changes only parcels its role allows it to.
 */
function checkChanges(before, after, outcome, context) {
  for (const [h, a] of after) {
    const b = before.get(h) ?? { status: P.None, participant: ZERO2, flag: 0 };
    const same = b.status === a.status && b.participant === a.participant && b.flag === a.flag;
    if (same) continue;
    if (outcome.error) fail(`refused call changed parcel ${h}`, context);
    const role = outcome.role;
    const ok =
      (role.kind === "member" &&
        ((b.status === P.None && a.status === P.Active && a.participant === role.participant) ||
          (b.status === P.Active &&
            a.status === P.Consumed &&
            b.participant === role.participant &&
            a.participant === role.participant))) ||
      (role.kind === "authority" &&
        b.status === P.Active &&
        a.status === P.Locked &&
        b.participant === role.participant &&
        a.participant === role.participant) ||
      (role.kind === "confirm" &&
        role.parcels.includes(h) &&
        b.status === P.Locked &&
        b.participant === role.exporter &&
        a.status === P.Active &&
        a.participant === role.participant) ||
      (role.kind === "void" &&
        role.parcels.includes(h) &&
        b.status === P.Locked &&
        b.participant === role.participant &&
        a.status === P.Active &&
        a.participant === role.participant) ||
      (role.kind === "governance" && role.flagOnly && b.status === a.status && b.participant === a.participant);
    if (!ok)
      fail(
        `parcel ${h} changed (${JSON.stringify(b)} -> ${JSON.stringify(a)}) by a ${role.kind} call that may not`,
        context,
      );
  }
}

/** The role the model says a successful call needed, checked against the model before the call. */
function checkRole(m, role, from, context) {
  const member = m.members.get(from);
  const isGovernor = from === m.gov.governor;
  let ok;
  switch (role.kind) {
    case "governance":
      ok = isGovernor;
      break;
    case "pendingGovernor":
      ok = from === m.gov.pending;
      break;
    case "member":
      ok = member?.active && member.participant === role.participant && m.participants.get(role.participant) === 1;
      break;
    case "anchor":
      ok = member?.active && member.participant === role.participant;
      break;
    case "authority":
    case "confirm":
    case "void":
      ok = authorityOf(m, role.account) === role.participant;
      break;
    default:
      ok = false;
  }
  if (!ok) fail(`a ${role.kind} call by ${from} succeeded without the role`, context);
}

// -------------------------------------------------------------------------------- the property

const KINDS = [
  ["registerParcel", 10],
  ["registerParcels", 8],
  ["transform", 12],
  ["repeatTransform", 2],
  ["anchorBatch", 5],
  ["issueCertificate", 11],
  ["issueCertificateWithSignature", 7],
  ["confirmImport", 10],
  ["voidCertificate", 5],
  ["addMember", 4],
  ["removeMember", 3],
  ["addParticipant", 2],
  ["suspendParticipant", 1],
  ["reinstateParticipant", 2],
  ["addAuthority", 2],
  ["removeAuthority", 1],
  ["setFlag", 4],
  ["beginGovernanceTransfer", 1],
  ["acceptGovernanceTransfer", 2],
  ["cancelGovernanceTransfer", 1],
  ["renounceGovernance", 1],
  ["grantOrRevokeGovernance", 1],
];

// Unbiased numbers: the operations read them modulo small numbers, and fast-check's default bias
// towards 0 and other edge values would skew every choice. Shrinking still works.
const n = fc.noBias(fc.nat());
const operation = fc.record({
  kind: fc.oneof(...KINDS.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight }))),
  actor: n,
  a: n,
  b: n,
  c: n,
  d: n,
  picks: fc.array(n, { maxLength: 5 }),
  // a jump forward in time before the call (none most of the time)
  warp: fc.oneof(
    { arbitrary: fc.constant(0), weight: 24 },
    { arbitrary: fc.constantFrom(3600, 86400, 3 * 86400, 10 * 86400, 40 * 86400), weight: 1 },
  ),
});

const SETUP = [
  // governance: four participants with one authority each; members in each
  ...["BW", "AE", "IN", "CA"].map((c) => ({ from: 0, fn: "addParticipant", args: [code(c)] })),
  ...["BW", "AE", "IN", "CA"].map((c, i) => ({ from: 0, fn: "addAuthority", args: [code(c), i + 1] })),
  { from: 1, fn: "addMember", args: [6] },
  { from: 1, fn: "addMember", args: [7] },
  { from: 2, fn: "addMember", args: [8] },
  { from: 2, fn: "addMember", args: [9] },
  { from: 3, fn: "addMember", args: [10] },
  { from: 4, fn: "addMember", args: [11] },
  // a few origin parcels in each participant
  ...[6, 8, 10, 11].map((member) => ({
    from: member,
    fn: "registerParcels",
    args: [[1, 2, 3].map((i) => seeded(member, i, 0x5e))],
  })),
];

describe("Registry invariants (fast-check, random operation sequences)", function () {
  this.timeout(0);
  let env;

  const rpc = (method, params = []) => hre.network.provider.request({ method, params });

  async function latest() {
    const block = await rpc("eth_getBlockByNumber", ["latest", false]);
    return BigInt(block.timestamp);
  }

  /** Sends one call; returns { ok } or { error: [name, ...args] } from the revert data. */
  async function send(from, data) {
    try {
      await rpc("eth_sendTransaction", [{ from, to: env.address, data, gas: GAS }]);
      return { ok: true };
    } catch (e) {
      if (typeof e.data !== "string") throw e;
      if (e.data === "0x") return { error: ["(no reason)"] };
      const parsed = I.parseError(e.data);
      if (!parsed) throw e;
      return { error: [parsed.name, ...parsed.args] };
    }
  }

  const norm = (list) =>
    list
      .map((v) => (typeof v === "bigint" || typeof v === "number" ? v.toString() : String(v).toLowerCase()))
      .join(",");

  /** One step: predict, call, compare outcome and state. */
  async function step(m, call, runState, context) {
    if (call.warp) {
      const t = await latest();
      await rpc("evm_setNextBlockTimestamp", [Number(t + BigInt(call.warp))]);
      await rpc("evm_mine");
    }
    let now = 0n;
    if (call.timed) {
      now = (await latest()) + 1n;
      await rpc("evm_setNextBlockTimestamp", [Number(now)]);
    }
    const t0 = performance.now();
    const args = typeof call.args === "function" ? call.args(now) : call.args;
    const outcome = call.predict(now, args);
    const data = I.encodeFunctionData(call.fn, args);
    const t1 = performance.now();
    const result = await send(call.from, data);
    const t2 = performance.now();
    const stat = (runState.stats[call.kind ?? call.fn] ??= { ok: 0, refused: 0 });

    if (result.error && result.error[0] === "ParcelNotLocked")
      fail(`ParcelNotLocked reached: ${norm(result.error)}`, context);
    if (outcome.error) {
      if (!result.error) fail(`${call.fn} succeeded; the model expected ${norm(outcome.error)}`, context);
      if (norm(result.error) !== norm(outcome.error)) {
        fail(`${call.fn} refused with ${norm(result.error)}; the model expected ${norm(outcome.error)}`, context);
      }
      stat.refused++;
      const reason = `${call.kind ?? call.fn}: ${outcome.error[0]}`;
      runState.refusals[reason] = (runState.refusals[reason] ?? 0) + 1;
    } else {
      if (result.error) fail(`${call.fn} refused with ${norm(result.error)}; the model expected success`, context);
      checkRole(m, outcome.role, call.from, context);
      outcome.apply();
      stat.ok++;
    }

    const query = stateQuery(m, env, call.kind ?? call.fn, call.full ?? true);
    const t3 = performance.now();
    const state = await rpc("eth_call", [{ to: env.address, data: query.data }, "latest"]);
    const t4 = performance.now();
    const chain = checkState(m, env, query, state, context, runState);
    checkChanges(runState.parcels, chain, outcome, context);
    runState.parcels = chain;
    const t5 = performance.now();
    profile.predict += t1 - t0;
    profile.send += t2 - t1;
    profile.query += t3 - t2;
    profile.read += t4 - t3;
    profile.check += t5 - t4;
  }

  // milliseconds spent per phase of a step, printed with KP_INVARIANT_VERBOSE=1
  const profile = { predict: 0, send: 0, query: 0, read: 0, check: 0 };
  const totals = { runs: 0, ops: 0, ok: 0, refused: 0, stats: {}, refusals: {}, ms: 0 };

  before(async function () {
    const signers = await ethers.getSigners();
    const accounts = signers.map((s) => s.address.toLowerCase());
    const root = ethers.HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, "m/44'/60'/0'/0");
    const wallets = new Map();
    accounts.forEach((a, i) => {
      const w = root.deriveChild(i);
      expect(w.address.toLowerCase()).to.equal(a, "the hardhat accounts come from the default mnemonic");
      wallets.set(a, w);
    });
    const stranger = new ethers.Wallet(ethers.id("kp invariants: a key no participant knows"));
    const registry = await ethers.deployContract("KimberleyRegistry", [accounts[0]]);
    I = registry.interface;
    const address = (await registry.getAddress()).toLowerCase();
    const { chainId } = await ethers.provider.getNetwork();
    const domainSeparator = hex(ethers.TypedDataEncoder.hashDomain(typedData.domainOf(chainId, address)));
    env = { accounts, wallets, stranger, address, domainSeparator };

    // the fast hashing here agrees with scripts/lib/typed-data.js and the contract
    const d = ethers.id("details");
    expect(parcelHash(code("BW"), d)).to.equal(typedData.parcelHash(code("BW"), d));
    expect(parcelHash(code("BW"), d)).to.equal(await registry.hashParcel(code("BW"), d));
    expect(transformationHash(code("AE"), [d], [ZERO32, d], d)).to.equal(
      typedData.transformationHash(code("AE"), [d], [ZERO32, d], d),
    );
    expect(pairKey(code("BW"), d)).to.equal(typedData.certificateKey(code("BW"), d));
    const sample = {
      numberHash: d,
      exporter: code("BW"),
      importer: code("AE"),
      expiresAt: 5n,
      parcels: [d, d],
      detailsHash: d,
    };
    expect(certificateHash(sample)).to.equal(await registry.hashCertificate(sample));

    // the starting state, built through the same model
    const m = emptyModel(accounts[0]);
    const runState = { stats: {}, refusals: {}, seenConsumed: new Set(), parcels: new Map() };
    for (const s of SETUP) {
      const from = accounts[s.from];
      const args = s.args.map((x) => (typeof x === "number" ? accounts[x] : x));
      const apply = {
        addParticipant: () => (m.participants.set(args[0], 1), m.participantOrder.push(args[0])),
        addAuthority: () => m.authorityOf.set(args[1], args[0]),
        addMember: () =>
          m.members.set(args[0], { participant: authorityOf(m, from), active: true, index: ++m.memberCount }),
      }[s.fn];
      const role =
        s.fn === "addMember"
          ? { kind: "authority", participant: authorityOf(m, from), account: from }
          : { kind: "governance" };
      const predict =
        s.fn === "registerParcels" ? () => predictRegister(m, from, args[0], true) : () => ({ role, apply });
      await step(m, { from, fn: s.fn, args, predict }, runState, `setup ${s.fn}`);
    }
    env.baseModel = m;
    env.baseParcels = runState.parcels;
    env.snapshot = await rpc("evm_snapshot");
  });

  after(function () {
    if (totals.ops === 0) return;
    const kinds = Object.entries(totals.stats)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => `${k} ${s.ok}/${s.refused}`)
      .join(", ");
    console.log(
      `      invariants: ${totals.ops.toLocaleString("en-US")} operations in ${totals.runs} runs ` +
        `(${totals.ok.toLocaleString("en-US")} succeeded, ${totals.refused.toLocaleString("en-US")} refused, ` +
        `0 ParcelNotLocked) in ${(totals.ms / 1000).toFixed(1)} s; succeeded/refused by kind: ${kinds}`,
    );
    if (process.env.KP_INVARIANT_VERBOSE) {
      console.log(
        `        ms per phase: ${JSON.stringify(Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, Math.round(v)])))}`,
      );
      for (const [reason, n] of Object.entries(totals.refusals).sort()) console.log(`        ${reason} ${n}`);
    }
  });

  it(`holds over ${RUNS} runs of ${OPS} random operations by random actors`, async function () {
    const started = Date.now();
    let failedOnce = false;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: OPS, maxLength: OPS }), async (ops) => {
        await rpc("evm_revert", [env.snapshot]);
        env.snapshot = await rpc("evm_snapshot");
        const m = structuredClone(env.baseModel);
        const runState = { stats: {}, refusals: {}, seenConsumed: new Set(), parcels: env.baseParcels };
        for (let s = 0; s < ops.length; s++) {
          const op = ops[s];
          const call = resolve(m, op, env);
          call.kind = op.kind;
          call.warp = op.warp;
          call.full = s % FULL_EVERY === FULL_EVERY - 1 || s === ops.length - 1;
          const context = `step ${s} of ${ops.length}: ${op.kind} by ${call.from} ${JSON.stringify(op)}`;
          try {
            await step(m, call, runState, context);
          } catch (e) {
            failedOnce = true;
            throw e;
          }
        }
        if (!failedOnce) {
          totals.runs++;
          for (const [k, s] of Object.entries(runState.stats)) {
            const t = (totals.stats[k] ??= { ok: 0, refused: 0 });
            t.ok += s.ok;
            t.refused += s.refused;
            totals.ok += s.ok;
            totals.refused += s.refused;
            totals.ops += s.ok + s.refused;
          }
          for (const [k, n] of Object.entries(runState.refusals)) totals.refusals[k] = (totals.refusals[k] ?? 0) + n;
        }
      }),
      {
        numRuns: RUNS,
        seed: process.env.KP_INVARIANT_SEED ? Number(process.env.KP_INVARIANT_SEED) : undefined,
        path: process.env.KP_INVARIANT_PATH || undefined,
      },
    );
    totals.ms = Date.now() - started;
    if (!COVERAGE && !process.env.KP_INVARIANT_RUNS && !process.env.KP_INVARIANT_OPS) {
      expect(totals.ops).to.be.at.least(MIN_TOTAL);
    }
    // every kind of operation both succeeded and was refused somewhere (the generator reaches them)
    if (totals.ops >= MIN_TOTAL) {
      for (const [kind] of KINDS) {
        const s = totals.stats[kind] ?? { ok: 0, refused: 0 };
        expect(s.refused, `${kind} refused`).to.be.greaterThan(0);
      }
    }
  });
});
