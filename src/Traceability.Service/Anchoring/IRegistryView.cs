using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The few reads of the registry the anchorer's checks need (<see cref="RecordChecks"/>): the seam
/// between its decisions and the chain. <see cref="ChainRegistryView"/> reads a real chain; the tests
/// give a fake.
/// </summary>
public interface IRegistryView
{
    /// <summary>The service's sending account (after the session connected).</summary>
    string Account { get; }

    /// <summary>The on-chain state of each parcel, in order (one batched read).</summary>
    Task<IReadOnlyList<ParcelState>> ParcelsAsync(IReadOnlyList<Hash32> hashes);

    /// <summary>Of <paramref name="hashes"/>, the transformations the registry knows (one batched read).</summary>
    Task<IReadOnlySet<Hash32>> TransformationsAsync(IReadOnlyList<Hash32> hashes);

    /// <summary>The certificate of <paramref name="exporter"/> with this number hash (its state has <c>Exists</c> false when unknown).</summary>
    Task<CertificateState> CertificateAsync(ParticipantCode exporter, Hash32 numberHash);

    /// <summary>The confirmation hash recorded for that certificate's import, or null.</summary>
    Task<Hash32?> ConfirmationOfAsync(ParticipantCode exporter, Hash32 numberHash);

    /// <summary>The latest block's time, Unix seconds.</summary>
    Task<ulong> BlockTimestampAsync();

    /// <summary>The participant <paramref name="account"/> is a member of (null if none), and whether it is active.</summary>
    Task<(ParticipantCode? Participant, bool Active)> MemberOfAsync(string account);

    /// <summary>Whether <paramref name="account"/> is an authority of <paramref name="participant"/>.</summary>
    Task<bool> IsAuthorityAsync(ParticipantCode participant, string account);
}

/// <summary>The registry view of the service's chain session.</summary>
public sealed class ChainRegistryView(ChainSession chain) : IRegistryView
{
    /// <inheritdoc />
    public string Account => chain.Writer.Sender.Account.Address;

    /// <inheritdoc />
    public Task<IReadOnlyList<ParcelState>> ParcelsAsync(IReadOnlyList<Hash32> hashes) => chain.Reader.ParcelsAsync(hashes);

    /// <inheritdoc />
    public async Task<IReadOnlySet<Hash32>> TransformationsAsync(IReadOnlyList<Hash32> hashes)
    {
        var results = await chain.Rpc.BatchAsync([.. hashes.Select(h => chain.Reader.Call(new TransformationFunction { Hash = h.ToArray() }))]);
        var found = new HashSet<Hash32>();
        for (var i = 0; i < hashes.Count; i++)
        {
            if (results[i].Error is { } e) throw e;
            if (RegistryReader.Decode<TransformationOutput>((string)results[i].Result!).Transformation.Registrant != 0) found.Add(hashes[i]);
        }
        return found;
    }

    /// <inheritdoc />
    public Task<CertificateState> CertificateAsync(ParticipantCode exporter, Hash32 numberHash) => chain.Reader.CertificateAsync(exporter, numberHash);

    /// <inheritdoc />
    public Task<Hash32?> ConfirmationOfAsync(ParticipantCode exporter, Hash32 numberHash) => chain.Reader.ConfirmationOfAsync(exporter, numberHash);

    /// <inheritdoc />
    public Task<ulong> BlockTimestampAsync() => chain.Reader.BlockTimestampAsync();

    /// <inheritdoc />
    public async Task<(ParticipantCode? Participant, bool Active)> MemberOfAsync(string account)
    {
        var (participant, active, _) = await chain.Reader.MemberOfAsync(account);
        return (participant, active);
    }

    /// <inheritdoc />
    public Task<bool> IsAuthorityAsync(ParticipantCode participant, string account) => chain.Reader.IsAuthorityAsync(participant, account);
}
