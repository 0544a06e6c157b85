using Traceability.Chain.DevChain;
using System.Collections.Concurrent;
using Traceability.Chain.Accounts;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

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

    private static readonly Mnemonic Dev = Mnemonic.Parse(Mnemonic.DevelopmentPhrase);
    private readonly ConcurrentDictionary<int, RegistryWriter> _writers = new();

    private TestRegistry(ChainRpc rpc, DeploymentRecord deployment, System.Numerics.BigInteger chainId)
    {
        Rpc = rpc;
        Deployment = deployment;
        ChainId = chainId;
        Reader = new RegistryReader(rpc, deployment.Address);
        Domain = new Eip712Domain(chainId, deployment.Address);
    }

    /// <summary>The node's client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>The deployment.</summary>
    public DeploymentRecord Deployment { get; }

    /// <summary>The chain id.</summary>
    public System.Numerics.BigInteger ChainId { get; }

    /// <summary>A reader.</summary>
    public RegistryReader Reader { get; }

    /// <summary>The registry's EIP-712 domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The account with this index of the development mnemonic.</summary>
    public static ChainAccount Account(int index) => Dev.Account(index);

    /// <summary>A writer sending from account <paramref name="index"/> (one per account, so nonces stay in order).</summary>
    public RegistryWriter As(int index, TransactionOptions? options = null) =>
        _writers.GetOrAdd(index, i => new RegistryWriter(Reader, new TransactionSender(Rpc, Account(i), ChainId, options)));

    /// <summary>Deploys a registry and sets up the participants, authorities and members.</summary>
    public static async Task<TestRegistry> DeployAsync(LocalNode node, TransactionOptions? options = null)
    {
        var rpc = new ChainRpc(node.Url);
        var chainId = await rpc.ChainIdAsync();
        var deployer = new TransactionSender(rpc, Account(Governor), chainId, options);
        var deployment = await RegistryDeployer.DeployAsync(rpc, deployer);
        var registry = new TestRegistry(rpc, deployment, chainId);
        registry._writers[Governor] = new RegistryWriter(registry.Reader, deployer);
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
        await As(member).RegisterParcelsAsync([.. parcels.Select(p => p.Hash())]);
        return parcels;
    }

    /// <summary>Hashes of records.</summary>
    public static IReadOnlyList<Hash32> Hashes(IEnumerable<KpRecord> records) => [.. records.Select(r => r.Hash())];

    /// <inheritdoc />
    public void Dispose() => Rpc.Dispose();
}
