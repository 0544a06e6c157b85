using Nethereum.Signer;
using Traceability.Chain.Accounts;
using Traceability.Chain.Signing;
using Traceability.Core.Primitives;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Signing;

/// <summary>The one signature-form rule (the contract's, libraries/AuthoritySignature.sol) as kp and the verifier apply it.</summary>
[Trait("Category", "Fast")]
public class SignatureFormTests
{
    private static readonly ChainAccount Signer = Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(1);

    /// <summary>Signatures of many digests, so both y parities and s values near the bounds are met.</summary>
    public static TheoryData<int> Digests() => [.. Enumerable.Range(0, 16)];

    private static (Hash32 Digest, string Signature) Signed(int i)
    {
        var digest = Keccak.Hash($"digest {i}");
        return (digest, EthECDSASignature.CreateStringSignature(Signer.Key.SignAndCalculateV(digest.ToArray())));
    }

    [Theory]
    [MemberData(nameof(Digests))]
    public void The_65_byte_v_0_1_and_compact_forms_recover_the_signer_and_normalise_to_one_signature(int i)
    {
        var (digest, signature) = Signed(i);
        Assert.Equal(Signer.Address, CertificateSigner.Recover(signature, digest));
        foreach (var form in SignatureVariants.Accepted)
        {
            var other = SignatureVariants.Of(signature, form);
            Assert.NotEqual(signature, other);
            Assert.Equal(Signer.Address, CertificateSigner.Recover(other, digest));
            Assert.Equal(signature.ToLowerInvariant(), SignatureForm.Normalize(other));
        }
    }

    [Theory]
    [MemberData(nameof(Digests))]
    public void High_s_a_bad_v_and_another_length_recover_nobody(int i)
    {
        var (digest, signature) = Signed(i);
        foreach (var form in SignatureVariants.Refused)
        {
            var other = SignatureVariants.Of(signature, form);
            Assert.False(SignatureForm.IsAccepted(other), form);
            Assert.Null(CertificateSigner.Recover(other, digest));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("1b" + "00")]
    public void Malformed_text_is_in_no_form(string? signature)
    {
        Assert.Null(SignatureForm.Normalize(signature));
        var notHex = "0x" + new string('z', 130);
        Assert.Null(SignatureForm.Normalize(notHex));
    }
}
