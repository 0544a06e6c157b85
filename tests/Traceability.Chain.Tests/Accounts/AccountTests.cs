using Traceability.Chain.Accounts;

namespace Traceability.Chain.Tests.Accounts;

[Trait("Category", "Fast")]
public class AccountTests
{
    [Fact]
    public void Derives_the_same_accounts_as_Hardhat_from_the_development_phrase()
    {
        var m = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
        Assert.Equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", m.Account(0).Address);
        Assert.Equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", m.Account(1).Address);
        Assert.Equal("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", m.Account(2).Address);
    }

    [Theory]
    [InlineData("test test test test test test test test test test test test", "checksum")]
    [InlineData("junk test test test test test test test test test test test", "checksum")]
    [InlineData("test test test", "12, 15, 18, 21 or 24 words")]
    [InlineData("", "12, 15, 18, 21 or 24 words")]
    [InlineData("test test test test test test test test test test test jnuk", "word 12")]
    public void Refuses_a_phrase_with_a_bad_checksum_length_or_word_without_echoing_it(string phrase, string problem)
    {
        var e = Assert.Throws<FormatException>(() => Mnemonic.Parse(phrase));
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain("jnuk", e.Message);
    }

    [Fact]
    public void Accepts_the_BIP39_test_vector_and_never_prints_the_phrase()
    {
        var m = Mnemonic.Parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        Assert.Equal("(mnemonic)", m.ToString());
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", m.Account(0).Address);
    }

    [Fact]
    public void Opens_an_encrypted_keystore_with_its_password_and_refuses_a_wrong_one()
    {
        var account = Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(3);
        var json = account.ToKeystore("correct horse");
        Assert.DoesNotContain(account.Key.GetPrivateKey().Replace("0x", ""), json);
        Assert.Equal(account.Address, ChainAccount.FromKeystore(json, "correct horse").Address);
        var e = Assert.Throws<FormatException>(() => ChainAccount.FromKeystore(json, "wrong"));
        Assert.Contains("keystore", e.Message);
    }
}
