using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Service.Anchoring;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>An in-memory registry for the anchorer's checks: what the tests put in is what the chain says.</summary>
internal sealed class FakeRegistryView : IRegistryView
{
    public string Account { get; set; } = "0x00000000000000000000000000000000000000A1";

    public Dictionary<Hash32, ParcelState> Parcels { get; } = [];

    public HashSet<Hash32> Transformations { get; } = [];

    public Dictionary<(ParticipantCode, Hash32), CertificateState> Certificates { get; } = [];

    public Dictionary<(ParticipantCode, Hash32), Hash32> Confirmations { get; } = [];

    public HashSet<(ParticipantCode, string)> Authorities { get; } = [];

    public ParticipantCode? Member { get; set; } = ParticipantCode.Parse("BW");

    public bool MemberActive { get; set; } = true;

    public ulong Now { get; set; } = Testing.SampleRecords.Nov2026;

    /// <summary>Reads of parcel states so far.</summary>
    public int ParcelReads { get; private set; }

    public void Parcel(Hash32 hash, ParcelStatus status, string holder = "BW") =>
        Parcels[hash] = new ParcelState(hash, ParticipantCode.Parse(holder), status, RecordFlag.None, 1, 1, null);

    public void Certificate(ParticipantCode exporter, Hash32 numberHash, CertificateStatus status, uint expiresAt, Hash32 contentHash) =>
        Certificates[(exporter, numberHash)] = new CertificateState(numberHash, exporter, null, status, RecordFlag.None, expiresAt, 1, contentHash.First20Bytes());

    /// <summary>Runs once, after the next read of parcel states: what happens between that read and the next step (a batch confirmed in the background).</summary>
    public Action? AfterNextParcelRead { get; set; }

    public Task<IReadOnlyList<ParcelState>> ParcelsAsync(IReadOnlyList<Hash32> hashes)
    {
        ParcelReads++;
        IReadOnlyList<ParcelState> states = [.. hashes.Select(h => Parcels.TryGetValue(h, out var s) ? s : new ParcelState(h, null, ParcelStatus.None, RecordFlag.None, 0, 0, null))];
        var after = AfterNextParcelRead;
        AfterNextParcelRead = null;
        after?.Invoke();
        return Task.FromResult(states);
    }

    public Task<IReadOnlySet<Hash32>> TransformationsAsync(IReadOnlyList<Hash32> hashes) =>
        Task.FromResult<IReadOnlySet<Hash32>>(hashes.Where(Transformations.Contains).ToHashSet());

    public Task<CertificateState> CertificateAsync(ParticipantCode exporter, Hash32 numberHash) =>
        Task.FromResult(Certificates.TryGetValue((exporter, numberHash), out var s) ? s
            : new CertificateState(numberHash, null, null, CertificateStatus.None, RecordFlag.None, 0, 0, new byte[20]));

    /// <summary>Runs once, after the next read of a confirmation: what happens between that read and the next step (a transaction mined meanwhile).</summary>
    public Action? AfterNextConfirmationRead { get; set; }

    public Task<Hash32?> ConfirmationOfAsync(ParticipantCode exporter, Hash32 numberHash)
    {
        var recorded = Confirmations.TryGetValue((exporter, numberHash), out var h) ? h : (Hash32?)null;
        var after = AfterNextConfirmationRead;
        AfterNextConfirmationRead = null;
        after?.Invoke();
        return Task.FromResult(recorded);
    }

    public Task<ulong> BlockTimestampAsync() => Task.FromResult(Now);

    public Task<(ParticipantCode? Participant, bool Active)> MemberOfAsync(string account) => Task.FromResult((Member, Member is not null && MemberActive));

    public Task<bool> IsAuthorityAsync(ParticipantCode participant, string account) => Task.FromResult(Authorities.Contains((participant, account)));
}
