// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The packed storage layouts of parcels and anchors, in one place
/// @notice Each record is one storage slot. Solidity packs a struct's fields from the low bytes
/// up, in declaration order; the registry writes and updates these slots with one SSTORE of a word
/// built from these offsets and masks (field-by-field writes cost about 1,000 gas more; helper
/// functions here cost about 150 gas a parcel more under the legacy optimizer, which does not
/// inline them, so the ledger does the arithmetic in place), so the offsets below must match
/// the structs in {IKimberleyRegistry}. The .NET side decodes raw slots with the same offsets
/// (Traceability.Chain.Registry.RecordSlots), and a test reads real slots with eth_getStorageAt
/// and checks both against the views.
/// @dev Parcel, low bytes first: participant (bits 0-15), status (16-23), flag (24-31),
/// registrant (32-63), registeredAt (64-95), parents (96-255).
/// Anchor, low bytes first: participant (0-15), flag (16-23), registrant (24-55),
/// anchoredAt (56-87), leafCount (88-119).
library RecordSlots {
    uint256 internal constant PARCEL_STATUS_SHIFT = 16;
    uint256 internal constant PARCEL_FLAG_SHIFT = 24;
    uint256 internal constant PARCEL_REGISTRANT_SHIFT = 32;
    uint256 internal constant PARCEL_REGISTERED_AT_SHIFT = 64;
    uint256 internal constant PARCEL_PARENTS_SHIFT = 96;
    /// @notice The holder and status bits of a parcel slot.
    uint256 internal constant PARCEL_HOLDER_AND_STATUS_MASK = 0xFFFFFF;
    /// @notice The status bits of a parcel slot.
    uint256 internal constant PARCEL_STATUS_MASK = 0xFF << PARCEL_STATUS_SHIFT;

    uint256 internal constant ANCHOR_FLAG_SHIFT = 16;
    uint256 internal constant ANCHOR_REGISTRANT_SHIFT = 24;
    uint256 internal constant ANCHOR_ANCHORED_AT_SHIFT = 56;
    uint256 internal constant ANCHOR_LEAF_COUNT_SHIFT = 88;
}
