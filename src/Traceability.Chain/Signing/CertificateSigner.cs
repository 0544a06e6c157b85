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
        if (certificate.Authorization is not { } a) return null;
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
}
