// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A contract authority (test double for a multisig wallet)
/// @notice Approves a digest when `owner` signed it; lets the tests show that an authority can
/// be an ERC-1271 contract account, as a national authority's multisig would be.
contract ERC1271Authority is IERC1271 {
    /// @notice The key whose signatures this account accepts.
    address public immutable owner;

    /// @param owner_ the key whose signatures this account accepts
    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, , ) = ECDSA.tryRecover(hash, signature);
        return signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
