using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;

namespace Traceability.Verifier;

/// <summary>
/// Every CertificateIssued event of a registry up to one block, indexed by the parcels each certificate carried.
/// Without it, a lineage walk finds the certificates that moved its parcels by asking for every certificate issued
/// into each participant of the lineage: a read that grows with the importer's trade (a hub imports thousands of
/// certificates a year). Many verifications against an unchanging chain (a researcher's replay, an auditor's batch)
/// read the events once here and look each parcel up; a verifier uses the index only for a verification pinned to
/// the index's own block, so its reads stay consistent, and otherwise reads as it would without it.
/// </summary>
public sealed class CertificateIndex
{
    private readonly Dictionary<Hash32, List<RegistryEventLog<CertificateIssuedEvent>>> _byParcel;

    private CertificateIndex(BlockHeader block, Dictionary<Hash32, List<RegistryEventLog<CertificateIssuedEvent>>> byParcel, int count)
    {
        Block = block;
        _byParcel = byParcel;
        Count = count;
    }

    /// <summary>The block the index was read at (the chain's head then).</summary>
    public BlockHeader Block { get; }

    /// <summary>Certificates indexed.</summary>
    public int Count { get; }

    /// <summary>Reads every CertificateIssued event from <paramref name="fromBlock"/> to the chain's head, <paramref name="blocksPerRead"/> blocks per eth_getLogs.</summary>
    public static async Task<CertificateIndex> ReadAsync(RegistryReader reader, ulong fromBlock, int blocksPerRead = 2_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerRead, 1);
        var head = reader.Batch();
        var header = head.Header();
        await head.SendAsync(ct).ConfigureAwait(false);
        var block = header.Value;
        var byParcel = new Dictionary<Hash32, List<RegistryEventLog<CertificateIssuedEvent>>>();
        var count = 0;
        for (var from = fromBlock; from <= block.Number; from += (ulong)blocksPerRead)
        {
            var to = Math.Min(block.Number, from + (ulong)blocksPerRead - 1);
            var batch = reader.Batch(ChainRpc.Hex(to));
            var logs = batch.Logs<CertificateIssuedEvent>(null, from);
            await batch.SendAsync(ct).ConfigureAwait(false);
            foreach (var log in logs.Value)
            {
                count++;
                foreach (var parcel in log.Event.Parcels)
                {
                    var hash = Hash32.FromBytes(parcel);
                    if (!byParcel.TryGetValue(hash, out var list)) byParcel[hash] = list = [];
                    list.Add(log);
                }
            }
        }
        return new CertificateIndex(block, byParcel, count);
    }

    /// <summary>The certificates that carried <paramref name="parcel"/>, in the order they were issued.</summary>
    public IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>> Carrying(Hash32 parcel) =>
        _byParcel.TryGetValue(parcel, out var list) ? list : [];
}
