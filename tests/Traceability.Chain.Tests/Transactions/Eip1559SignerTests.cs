using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;
using Traceability.Chain.Transactions;

namespace Traceability.Chain.Tests.Transactions;

/// <summary>The batch sender's own EIP-1559 signing gives Nethereum's raw transaction byte for byte, and the node recovers the sender from it.</summary>
[Trait("Category", "Fast")]
public class Eip1559SignerTests
{
    private const string Key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    public static TheoryData<long, long, long, long, long, string?, int> Cases => new()
    {
        // chain id, nonce, priority fee, max fee, gas, to, call data bytes
        { 31337, 0, 0, 0, 21_000, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 0 },
        { 31337, 1, 1_000_000_000, 2_000_000_000, 14_000_000, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 16_068 },
        { 1, 127, 1, 255, 60_000, "0x000000000000000000000000000000000000dEaD", 1 },
        { 1337, 128, 256, 65_536, 16_000_000, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 55 },
        { 1_000_000_007, 70_000, 123_456_789_012, 987_654_321_098_765, 3_000_000, null, 5_000 },
        { 2_018, 3, 0, 0, 100_000, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 56 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signs_as_Nethereum_does(long chainId, long nonce, long priority, long maxFee, long gas, string? to, int dataBytes)
    {
        var data = "0x" + Convert.ToHexStringLower([.. Enumerable.Range(0, dataBytes).Select(i => (byte)(i * 7 + nonce))]);
        using var signer = new Eip1559Signer(Convert.FromHexString(Key[2..]));
        var ours = signer.Sign(chainId, nonce, priority, maxFee, gas, to, data);
        var theirs = new Transaction1559Signer().SignTransaction(new EthECKey(Key),
            new Transaction1559(chainId, nonce, priority, maxFee, gas, to ?? "", BigInteger.Zero, data, []));
        Assert.Equal(theirs.StartsWith("0x", StringComparison.Ordinal) ? theirs : "0x" + theirs, ours);
        var decoded = (Transaction1559)TransactionFactory.CreateTransaction(ours);
        Assert.Equal(new EthECKey(Key).GetPublicAddress(), decoded.GetSenderAddress(), ignoreCase: true);
    }

    [Fact]
    public void Refuses_a_recipient_that_is_not_an_address() =>
        Assert.Throws<ArgumentException>(() => new Eip1559Signer(Convert.FromHexString(Key[2..])).Sign(1, 0, 0, 0, 21_000, "0x1234", "0x"));
}
