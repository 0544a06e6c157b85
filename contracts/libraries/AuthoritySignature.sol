// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title The signature forms an authority may sign a relayed certificate with
/// @notice One rule, kept identically by kp and the verifier (`Chain/Signing/SignatureForm.cs`):
/// an externally owned authority's signature is accepted as 65 bytes r ‖ s ‖ v with v 27 or 28,
/// as 65 bytes with v 0 or 1 (what some hardware wallets and HSMs return; read as 27 or 28),
/// or as the 64-byte EIP-2098 compact form r ‖ vs. s must be in the lower half of the curve
/// order (EIP-2) in every form; any other length or v is refused. A contract authority
/// (ERC-1271, such as a multisig) receives the signature bytes unchanged.
/// @dev The several byte forms of one signature do not open a replay: a certificate number is
/// registered once, whatever bytes carried its authority's signature.
library AuthoritySignature {
    /// @notice Whether `signature` is `signer`'s signature of `digest` in a form the registry accepts.
    /// @param signer the authority: an EOA, or an ERC-1271 contract
    /// @param digest the EIP-712 digest signed
    /// @param signature 65 bytes (v 27, 28, 0 or 1) or 64 bytes (EIP-2098) for an EOA
    /// @return valid true when the signature is accepted
    function isValidNow(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool valid) {
        if (signer.code.length != 0) return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
        (uint8 v, bytes32 r, bytes32 s) = ECDSA.parseCalldata(signature); // (0, 0, 0) for any other length
        if (v < 2) v += 27;
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }
}
