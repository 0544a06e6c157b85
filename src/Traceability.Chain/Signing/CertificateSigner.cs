using System.Globalization;
using System.Numerics;
using Nethereum.Signer;
using Traceability.Chain.Accounts;
using Traceability.Core.Hashing;
using Traceability.Core.Records;

namespace Traceability.Chain.Signing;

/// <summary>
/// The exporting authority's EIP-712 signature of IssueCertificate(certificate, deadline) over the
/// registry's domain, which lets any account relay the issue; and recovery of its signer.
/// </summary>
public static class CertificateSigner
{
    /// <summary>The digest the authority signs.</summary>
    public static Core.Primitives.Hash32 Digest(CertificateRecord certificate, ulong deadline, Eip712Domain domain) =>
        Eip712Encoder.Digest(domain.Separator(), Eip712Encoder.HashStruct(RecordSchema.Schema, certificate.IssueMessage(deadline)));

    /// <summary>The certificate with <paramref name="authority"/>'s signature, valid until <paramref name="deadline"/>.</summary>
    public static CertificateRecord Sign(CertificateRecord certificate, ulong deadline, ChainAccount authority, Eip712Domain domain)
    {
        var signature = authority.Key.SignAndCalculateV(Digest(certificate, deadline, domain).ToArray());
        var hex = EthECDSASignature.CreateStringSignature(signature);
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
            var signature = EthECDSASignatureFactory.ExtractECDSASignature(a.Signature);
            return EthECKey.RecoverFromSignature(signature, Digest(certificate, a.Deadline, domain).ToArray()).GetPublicAddress();
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
