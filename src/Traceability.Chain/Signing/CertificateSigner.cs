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

    /// <summary>
    /// As <see cref="Sign"/>, with a remote signer too: the account's <see cref="RemoteSigner"/> signs the
    /// typed data (<see cref="TypedData"/>) and its signature is checked to recover the account.
    /// </summary>
    /// <exception cref="RemoteSignerException">The remote signer failed or refused.</exception>
    public static async Task<CertificateRecord> SignAsync(CertificateRecord certificate, ulong deadline, ChainAccount authority, Eip712Domain domain, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (authority.Signer is not { } remote) return Sign(certificate, deadline, authority, domain);
        var signature = await remote.SignTypedDataAsync(authority.Address, TypedData(certificate, deadline, domain), Digest(certificate, deadline, domain), ct).ConfigureAwait(false);
        return Attach(certificate, deadline, authority.Address, signature, domain);
    }

    /// <summary>
    /// The complete <c>eth_signTypedData_v4</c> document of IssueCertificate(certificate, deadline) over the
    /// registry's domain: what a wallet, an HSM or a remote signer signs so that the relay is accepted.
    /// </summary>
    public static string TypedData(CertificateRecord certificate, ulong deadline, Eip712Domain domain) =>
        TypedDataJson.Write(RecordSchema.Schema, (certificate ?? throw new ArgumentNullException(nameof(certificate))).IssueMessage(deadline), domain);

    /// <summary>The certificate with <paramref name="signature"/> attached as <paramref name="authority"/>'s (unchecked: see <see cref="RecoverSigner"/>).</summary>
    public static CertificateRecord Attach(CertificateRecord certificate, ulong deadline, string authority, string signature, Eip712Domain domain) =>
        (certificate ?? throw new ArgumentNullException(nameof(certificate))) with
        {
            Authorization = new CertificateAuthorization(authority, deadline, signature, (ulong)domain.ChainId, domain.VerifyingContract),
        };

    /// <summary>
    /// The address that signed the certificate's authorization, or null if it carries none or its
    /// signature is in no form <see cref="SignatureForm"/> accepts (the registry's rule, so the
    /// verifier never passes a signature the registry would refuse).
    /// </summary>
    public static string? RecoverSigner(CertificateRecord certificate, Eip712Domain domain) =>
        certificate.Authorization is { } a ? Recover(a.Signature, Digest(certificate, a.Deadline, domain)) : null;

    /// <summary>The address whose signature of <paramref name="digest"/> <paramref name="signature"/> is, or null when it is in no accepted form or recovers nobody.</summary>
    public static string? Recover(string signature, Hash32 digest)
    {
        if (SignatureForm.Normalize(signature) is not { } normal) return null;
        try
        {
            var bytes = Convert.FromHexString(normal.AsSpan(2));
            if (!SecpRecoverableECDSASignature.TryCreateFromCompact(bytes.AsSpan(0, 64), bytes[64] - 27, out var recoverable)
                || !ECPubKey.TryRecover(Context.Instance, recoverable, digest.ToArray(), out var key))
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
            // r or s out of range or not on the curve recovers nobody;
            // Nethereum reports some of these as a bare Exception ("Header byte out of range")
            return null;
        }
    }
}
