using Traceability.Chain.Registry;
using Traceability.Core.Primitives;

namespace Traceability.Verifier;

/// <summary>
/// Where one verification reads the registry's events: from the node (an eth_getLogs from the verifier's first block,
/// added to the batch being built and answered when it is sent) or, when the verification is pinned to the block of a
/// <see cref="VerificationIndex"/>, from the index at once (the same events). Each read returns a function that gives
/// the events once the batch is sent.
/// </summary>
/// <param name="fromBlock">The first block the verifier reads events from.</param>
/// <param name="index">The index to read from; null: the node.</param>
/// <param name="block">The block the verification is pinned to (events after it are not read from the index).</param>
internal sealed class EventReads(ulong fromBlock, VerificationIndex? index, ulong block = ulong.MaxValue)
{
    /// <summary>The index the events come from (null: the node).</summary>
    public VerificationIndex? Index => index;

    /// <summary>The certificates that carried <paramref name="parcel"/> up to the verification's block (from the index).</summary>
    public IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>> Carrying(Hash32 parcel) => index?.Carrying(parcel, block) ?? [];

    /// <summary>The ParcelRegistered events of <paramref name="parcels"/>.</summary>
    public Func<IReadOnlyList<RegistryEventLog<ParcelRegisteredEvent>>> Registered(RegistryBatch batch, IReadOnlyList<Hash32> parcels) =>
        index is not null ? Known(index.Registered(parcels, block)) : Later(batch.Logs<ParcelRegisteredEvent>(parcels, fromBlock));

    /// <summary>The ParcelDerived events of <paramref name="parcels"/> (each names the transformation that made it, and its inputs).</summary>
    public Func<IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>>> Derived(RegistryBatch batch, IReadOnlyList<Hash32> parcels) =>
        index is not null ? Known(index.Derived(parcels, block)) : Later(batch.Logs<ParcelDerivedEvent>(parcels, fromBlock));

    /// <summary>The ParcelsTransformed events of <paramref name="transformations"/> (their outputs).</summary>
    public Func<IReadOnlyList<RegistryEventLog<ParcelsTransformedEvent>>> Transformed(RegistryBatch batch, IReadOnlyList<Hash32> transformations) =>
        index is not null ? Known(index.Transformed(transformations, block)) : Later(batch.Logs<ParcelsTransformedEvent>(transformations, fromBlock));

    /// <summary>The CertificateIssued events of a certificate number (by any exporter).</summary>
    public Func<IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>>> Issued(RegistryBatch batch, Hash32 numberHash) =>
        index is not null ? Known(index.Issued(numberHash, block)) : Later(batch.Logs<CertificateIssuedEvent>([numberHash], fromBlock));

    /// <summary>Every RecordFlagged event of a certificate.</summary>
    public Func<IReadOnlyList<RegistryEventLog<RecordFlaggedEvent>>> CertificateFlags(RegistryBatch batch) =>
        index is not null ? Known(index.CertificateFlags(block)) : Later(batch.Logs<RecordFlaggedEvent>([RegistryHistory.KindTopic(FlaggableKind.Certificate)], fromBlock));

    private static Func<T> Known<T>(T value) => () => value;

    private static Func<T> Later<T>(BatchResult<T> read) => () => read.Value;
}
