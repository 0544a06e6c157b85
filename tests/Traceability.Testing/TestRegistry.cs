using System.Numerics;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;

namespace Traceability.Testing;

/// <summary>
/// A fresh registry deployed from .NET on a dev node, with participants BW, AE, IN, CF and EU,
/// one authority each, and members; accounts come from the public development mnemonic.
/// </summary>
public sealed class TestRegistry : IDisposable
{
    /// <summary>Account indexes of the roles.</summary>
    public const int Governor = 0, BwAuthority = 1, AeAuthority = 2, InAuthority = 3, CfAuthority = 4, EuAuthority = 5,
        BwMiner = 6, BwTrader = 7, AeTrader = 8, InCutter = 9, CfMiner = 10, Relayer = 11, Outsider = 12;

    private readonly DevNetwork _network;

    private TestRegistry(DevNetwork network) => _network = network;

    /// <summary>The node's client.</summary>
    public ChainRpc Rpc => _network.Rpc;

    /// <summary>The deployment.</summary>
    public DeploymentRecord Deployment => _network.Deployment;

    /// <summary>The chain id.</summary>
    public BigInteger ChainId => _network.ChainId;

    /// <summary>A reader.</summary>
    public RegistryReader Reader => _network.Reader;

    /// <summary>The registry's EIP-712 domain.</summary>
    public Eip712Domain Domain => _network.Domain;

    /// <summary>The account with this index of the development mnemonic.</summary>
    public static ChainAccount Account(int index) => DevNetwork.Account(index);

    /// <summary>A writer sending from account <paramref name="index"/> (one per account, so nonces stay in order).</summary>
    public RegistryWriter As(int index, TransactionOptions? options = null) => _network.As(index, options);

    /// <summary>Deploys a registry and sets up the participants, authorities and members (on a Besu-like node, a block per transaction meanwhile).</summary>
    public static async Task<TestRegistry> DeployAsync(LocalNode node, TransactionOptions? options = null)
    {
        await using var quick = await BesuLikeMining.AutomineAsync(node);
        var registry = new TestRegistry(await DevNetwork.DeployAsync(node.Url, options));
        var gov = registry.As(Governor);
        foreach (var (code, authority) in new[] { ("BW", BwAuthority), ("AE", AeAuthority), ("IN", InAuthority), ("CF", CfAuthority), ("EU", EuAuthority) })
        {
            await gov.AddParticipantAsync(ParticipantCode.Parse(code));
            await gov.AddAuthorityAsync(ParticipantCode.Parse(code), Account(authority).Address);
        }
        await registry.As(BwAuthority).AddMemberAsync(Account(BwMiner).Address);
        await registry.As(BwAuthority).AddMemberAsync(Account(BwTrader).Address);
        await registry.As(AeAuthority).AddMemberAsync(Account(AeTrader).Address);
        await registry.As(InAuthority).AddMemberAsync(Account(InCutter).Address);
        await registry.As(CfAuthority).AddMemberAsync(Account(CfMiner).Address);
        return registry;
    }

    /// <summary>Registers origin parcels as <paramref name="member"/>; returns the records.</summary>
    public async Task<IReadOnlyList<ParcelRecord>> RegisterOriginAsync(int member, string participant, int count, ulong carats = 100_000)
    {
        var parcels = Enumerable.Range(0, count).Select(_ => SampleRecords.OriginParcel(participant, carats)).ToList();
        await As(member).RegisterParcelsAsync(parcels);
        return parcels;
    }

    /// <summary>Hashes of records.</summary>
    public static IReadOnlyList<Hash32> Hashes(IEnumerable<KpRecord> records) => [.. records.Select(r => r.Hash())];

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();
}
