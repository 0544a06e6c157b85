// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IKimberleyRegistry} from "../interfaces/IKimberleyRegistry.sol";

/// @title Participants, their authorities and their members
/// @notice Governance adds and suspends participants and assigns authority accounts; each
/// authority registers and removes the members (miners, traders, exporters, importers,
/// cutters) of its own participant.
/// @dev A member gets a 4-byte index on first registration so that parcel records can name
/// their registrant inside one storage slot. Governance is OpenZeppelin's default admin: it
/// changes hands in two steps with a delay (begin, wait, accept), and can never be renounced.
abstract contract ParticipantDirectory is IKimberleyRegistry, AccessControlDefaultAdminRules {
    /// @notice How long a governance transfer waits between begin and accept, at deployment
    /// (governance can change it with {changeDefaultAdminDelay}, itself delayed).
    uint48 public constant INITIAL_GOVERNANCE_DELAY = 2 days;

    struct MemberSlot {
        bytes2 participant;
        bool active;
        uint32 index;
    }

    mapping(bytes2 code => ParticipantStatus) private _participantStatus;
    bytes2[] private _participantCodes;
    mapping(address account => bytes2 participant) private _authorityOf;
    mapping(address account => MemberSlot) private _members;
    /// @dev _memberAccounts[i] is the member with index i + 1.
    address[] private _memberAccounts;

    /// @param governor_ the account that governs the registry (never zero: OpenZeppelin's
    /// constructor refuses it with AccessControlInvalidDefaultAdmin(address(0)))
    constructor(address governor_) AccessControlDefaultAdminRules(INITIAL_GOVERNANCE_DELAY, governor_) {}

    /// @dev Only the governing account (the default admin).
    modifier onlyGovernance() {
        _checkRole(DEFAULT_ADMIN_ROLE);
        _;
    }

    /// @inheritdoc IKimberleyRegistry
    function governor() external view returns (address) {
        return defaultAdmin();
    }

    /// @notice Starts handing governance to `newGovernor`, who accepts after the delay. Never to
    /// the zero address: the registry must always have a governor.
    function beginDefaultAdminTransfer(address newGovernor) public override onlyGovernance {
        if (newGovernor == address(0)) revert GovernanceRequired();
        super.beginDefaultAdminTransfer(newGovernor);
    }

    /// @notice Governance cannot be renounced (a registry nobody governs could never suspend a
    /// participant or flag a fraud again); other roles follow OpenZeppelin's rules.
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE) revert GovernanceRequired();
        super.renounceRole(role, account);
    }

    // ------------------------------------------------------------- governance

    /// @inheritdoc IKimberleyRegistry
    function addParticipant(bytes2 code) external onlyGovernance {
        if (!_isUpperAlpha(uint8(code[0])) || !_isUpperAlpha(uint8(code[1]))) revert InvalidParticipantCode(code);
        if (_participantStatus[code] != ParticipantStatus.None) revert ParticipantAlreadyExists(code);
        _participantStatus[code] = ParticipantStatus.Active;
        _participantCodes.push(code);
        emit ParticipantAdded(code);
    }

    /// @inheritdoc IKimberleyRegistry
    function suspendParticipant(bytes2 code) external onlyGovernance {
        _requireActiveParticipant(code);
        _participantStatus[code] = ParticipantStatus.Suspended;
        emit ParticipantSuspended(code);
    }

    /// @inheritdoc IKimberleyRegistry
    function reinstateParticipant(bytes2 code) external onlyGovernance {
        ParticipantStatus status = _participantStatus[code];
        if (status == ParticipantStatus.None) revert UnknownParticipant(code);
        if (status != ParticipantStatus.Suspended) revert ParticipantNotSuspended(code);
        _participantStatus[code] = ParticipantStatus.Active;
        emit ParticipantReinstated(code);
    }

    /// @inheritdoc IKimberleyRegistry
    function addAuthority(bytes2 participant, address account) external onlyGovernance {
        if (account == address(0)) revert ZeroAddress();
        if (_participantStatus[participant] == ParticipantStatus.None) revert UnknownParticipant(participant);
        bytes2 current = _authorityOf[account];
        if (current != bytes2(0)) revert AuthorityAlreadyAssigned(account, current);
        _authorityOf[account] = participant;
        emit AuthorityAdded(participant, account);
    }

    /// @inheritdoc IKimberleyRegistry
    function removeAuthority(address account) external onlyGovernance {
        bytes2 participant = _authorityOf[account];
        if (participant == bytes2(0)) revert NotAnAuthority(account, participant);
        delete _authorityOf[account];
        emit AuthorityRemoved(participant, account);
    }

    // -------------------------------------------------------------- authority

    /// @inheritdoc IKimberleyRegistry
    function addMember(address account) external {
        if (account == address(0)) revert ZeroAddress();
        bytes2 participant = _authorityOf[msg.sender];
        if (participant == bytes2(0)) revert NotAnAuthority(msg.sender, participant);
        _requireActiveParticipant(participant);
        MemberSlot storage m = _members[account];
        if (m.active) revert MemberAlreadyActive(account, m.participant);
        uint32 index = m.index;
        if (index == 0) {
            _memberAccounts.push(account);
            index = uint32(_memberAccounts.length);
        }
        _members[account] = MemberSlot({participant: participant, active: true, index: index});
        emit MemberAdded(participant, account, index);
    }

    /// @inheritdoc IKimberleyRegistry
    function removeMember(address account) external {
        bytes2 participant = _authorityOf[msg.sender];
        if (participant == bytes2(0)) revert NotAnAuthority(msg.sender, participant);
        MemberSlot storage m = _members[account];
        if (!m.active || m.participant != participant) revert NotAMember(account, participant);
        m.active = false;
        emit MemberRemoved(participant, account);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IKimberleyRegistry
    function participantStatus(bytes2 code) external view returns (ParticipantStatus) {
        return _participantStatus[code];
    }

    /// @inheritdoc IKimberleyRegistry
    function participants() external view returns (bytes2[] memory) {
        return _participantCodes;
    }

    /// @inheritdoc IKimberleyRegistry
    function isAuthority(bytes2 participant, address account) external view returns (bool) {
        return participant != bytes2(0) && _authorityOf[account] == participant;
    }

    /// @inheritdoc IKimberleyRegistry
    function authorityOf(address account) external view returns (bytes2) {
        return _authorityOf[account];
    }

    /// @inheritdoc IKimberleyRegistry
    function isMember(bytes2 participant, address account) external view returns (bool) {
        MemberSlot storage m = _members[account];
        return m.active && m.participant == participant;
    }

    /// @inheritdoc IKimberleyRegistry
    function memberOf(address account) external view returns (bytes2 participant, bool active, uint32 index) {
        MemberSlot storage m = _members[account];
        return (m.participant, m.active, m.index);
    }

    /// @inheritdoc IKimberleyRegistry
    function memberAt(uint32 index) external view returns (address) {
        if (index == 0 || index > _memberAccounts.length) return address(0);
        return _memberAccounts[index - 1];
    }

    // --------------------------------------------------------------- internal

    /// @dev Reverts unless `code` is an active participant.
    function _requireActiveParticipant(bytes2 code) internal view {
        ParticipantStatus status = _participantStatus[code];
        if (status != ParticipantStatus.Active) {
            if (status == ParticipantStatus.None) revert UnknownParticipant(code);
            revert ParticipantInactive(code);
        }
    }

    /// @dev Reverts unless `account` is an authority of `participant`.
    function _requireAuthority(address account, bytes2 participant) internal view {
        if (_authorityOf[account] != participant) revert NotAnAuthority(account, participant);
    }

    /// @dev The participant and index of an active member; reverts if not an active member.
    function _activeMember(address account) internal view returns (bytes2 participant, uint32 index) {
        MemberSlot storage m = _members[account];
        if (!m.active) revert NotAMember(account, bytes2(0));
        return (m.participant, m.index);
    }

    /// @dev As {_activeMember}, and the member's participant must be active.
    function _activeMemberOfActiveParticipant(address account) internal view returns (bytes2 participant, uint32 index) {
        (participant, index) = _activeMember(account);
        _requireActiveParticipant(participant);
    }

    function _isUpperAlpha(uint8 c) private pure returns (bool) {
        return c >= 0x41 && c <= 0x5A;
    }
}
