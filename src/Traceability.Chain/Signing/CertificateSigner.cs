using System.Globalization;
using System.Numerics;
using NBitcoin.Secp256k1;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Traceability.Chain.Accounts;
using Traceability.Core.Hashing;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Chain.Signing;

/// <summary>
/// The exporting authority's EIP-712 signature of IssueCertificate(certificate, deadline) over the
/// registry's domain, which lets any account relay the issue; and recovery of its signer. Signs and
/// recovers with NBitcoin.Secp256k1 (RFC 6979 nonces and low s, as Nethereum's and ethers' signers; a
/// few times faster than Nethereum's BouncyCastle path, which matters when a replay signs a year).
/// </summary>
public static class CertificateSigner
{
    /// <summary>The digest the authority signs.</summary>
    public static Hash32 Digest(CertificateRecord certificate, ulong deadline, Eip712Domain domain) =>
        Eip712Encoder.Digest(domain.Separator(), Eip712Encoder.HashStruct(RecordSchema.Schema, certificate.IssueMessage(deadline)));

    /// <summary>The certificate with <paramref name="authority"/>'s signature, valid until <paramref name="deadline"/>.</summary>
    public static CertificateRecord Sign(CertificateRecord certificate, ulong deadline, ChainAccount authority, Eip712Domain domain)
    {
        if (!ECPrivKey.TryCreate(authority.Key.GetPrivateKeyAsBytes(), out var key)
            || !key.TrySignRecoverable(Digest(certificate, deadline, domain).ToArray(), out var recoverable))
        {
            throw new InvalidOperationException($"cannot sign with {authority.Address}");
        }
        var bytes = new byte[65];
        recoverable!.WriteToSpanCompact(bytes.AsSpan(0, 64), out var recoveryId);
        bytes[64] = (byte)(27 + recoveryId);
        var hex = bytes.ToHex(true);
        return certificate with
        {
            Authorization = new CertificateAuthorization(authority.Address, deadline, hex, (ulong)domain.ChainId, domain.VerifyingContract),
        };
    }

    /// <summary>The address that signed the certificate's authorization, or null if it carries none or it is malformed.</summary>
    public static string? RecoverSigner(CertificateRecord certificate, Eip712Domain domain)
    {
        if (certificate.Authorization is not { } a || !IsCanonical(a.Signature)) return null;
        try
        {
            var bytes = Convert.FromHexString(a.Signature.AsSpan(2));
            if (!SecpRecoverableECDSASignature.TryCreateFromCompact(bytes.AsSpan(0, 64), bytes[64] - 27, out var recoverable)
                || !ECPubKey.TryRecover(Context.Instance, recoverable, Digest(certificate, a.Deadline, domain).ToArray(), out var key))
            {
                return null;
            }
            Span<byte> point = stackalloc byte[65];
            key.WriteToSpan(false, point, out _);
            var address = Keccak.Hash(point[1..]).ToArray().AsSpan(12).ToArray();
            return AddressUtil.Current.ConvertToChecksumAddress(address.ToHex(true));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a malformed signature (bad v, r or s out of range, not on the curve) recovers nobody;
            // Nethereum reports some of these as a bare Exception ("Header byte out of range")
            return null;
        }
    }

    /// <summary>Half the order of secp256k1: a canonical signature's s is at most this (EIP-2).</summary>
    private static readonly BigInteger HalfOrder =
        BigInteger.Parse("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", NumberStyles.HexNumber);

    /// <summary>
    /// The form the registry accepts (OpenZeppelin's ECDSA): 65 bytes r ‖ s ‖ v with v 27 or 28 and
    /// s in the lower half of the curve order. Any other form recovers nobody here either, so the
    /// verifier never passes a signature the contract would refuse.
    /// </summary>
    public static bool IsCanonical(string signature)
    {
        if (signature.Length != 132 || !signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(signature.AsSpan(2));
        }
        catch (FormatException)
        {
            return false;
        }
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        return bytes[64] is 27 or 28 && s <= HalfOrder;
    }
}
