using Nethereum.ABI.FunctionEncoding.Attributes;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;

namespace Traceability.Lab.Index;

/// <summary>Decodes a round's registry logs (the typed events of <c>Chain/Registry/RegistryEvents.cs</c>) into index rows.</summary>
internal static class LogDecoder
{
    private static readonly string ParcelRegisteredTopic = RegistryReader.EventTopic<ParcelRegisteredEvent>();

    /// <summary>Writes every event of <paramref name="logs"/>; counts them by event name in <paramref name="counts"/>.</summary>
    public static void Write(IndexWriter w, JArray logs, Func<ulong, ulong> timeOf, Dictionary<string, int> counts)
    {
        if (logs.Count == 0) return;
        var tx = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        LogMark M<T>(RegistryEventLog<T> l) where T : IEventDTO, new()
        {
            if (!tx.TryGetValue(l.TransactionHash, out var bytes)) tx[l.TransactionHash] = bytes = IndexStore.Bytes(l.TransactionHash);
            return new LogMark(l.BlockNumber, l.LogIndex, bytes, timeOf(l.BlockNumber));
        }
        void Each<T>(string name, Action<RegistryEventLog<T>> write) where T : IEventDTO, new()
        {
            var decoded = RegistryReader.DecodeLogs<T>(logs);
            foreach (var l in decoded) write(l);
            if (decoded.Count > 0) counts[name] = counts.GetValueOrDefault(name) + decoded.Count;
        }
        static string Code(byte[] b) => AbiValues.Code(b)?.Value ?? "";
        static string Address(string a) => a.ToLowerInvariant();

        Each<ParticipantAddedEvent>("ParticipantAdded", l => w.ParticipantEvent(M(l), "added", Code(l.Event.Code)));
        Each<ParticipantSuspendedEvent>("ParticipantSuspended", l => w.ParticipantEvent(M(l), "suspended", Code(l.Event.Code)));
        Each<ParticipantReinstatedEvent>("ParticipantReinstated", l => w.ParticipantEvent(M(l), "reinstated", Code(l.Event.Code)));
        Each<AuthorityAddedEvent>("AuthorityAdded", l => w.DirectoryEvent(M(l), "authorityAdded", Code(l.Event.Participant), Address(l.Event.Account), null));
        Each<AuthorityRemovedEvent>("AuthorityRemoved", l => w.DirectoryEvent(M(l), "authorityRemoved", Code(l.Event.Participant), Address(l.Event.Account), null));
        Each<MemberAddedEvent>("MemberAdded", l => w.DirectoryEvent(M(l), "memberAdded", Code(l.Event.Participant), Address(l.Event.Account), l.Event.Index));
        Each<MemberRemovedEvent>("MemberRemoved", l => w.DirectoryEvent(M(l), "memberRemoved", Code(l.Event.Participant), Address(l.Event.Account), null));
        // the most numerous event (every origin parcel), and all its arguments are topics: read directly, without the ABI decoder
        var registered = 0;
        foreach (var log in logs.OfType<JObject>())
        {
            if (log["topics"] is not JArray { Count: 4 } t || !string.Equals((string?)t[0], ParcelRegisteredTopic, StringComparison.OrdinalIgnoreCase)) continue;
            var block = (ulong)ChainRpc.Quantity(log["blockNumber"]!);
            var txHash = (string)log["transactionHash"]!;
            if (!tx.TryGetValue(txHash, out var txBytes)) tx[txHash] = txBytes = IndexStore.Bytes(txHash);
            var participant = IndexStore.Bytes((string)t[2]!);
            var registrant = ((string)t[3]!)[^40..].ToLowerInvariant();
            w.Parcel(new LogMark(block, (ulong)ChainRpc.Quantity(log["logIndex"]!), txBytes, timeOf(block)), IndexStore.Bytes((string)t[1]!), Code(participant[..2]), "0x" + registrant, null);
            registered++;
        }
        if (registered > 0) counts["ParcelRegistered"] = counts.GetValueOrDefault("ParcelRegistered") + registered;
        Each<ParcelsTransformedEvent>("ParcelsTransformed", l =>
            w.Transformation(M(l), l.Event.Transformation, Code(l.Event.Participant), Address(l.Event.Registrant), l.Event.OutputDetails.Count));
        Each<ParcelDerivedEvent>("ParcelDerived", l =>
        {
            w.Parcel(M(l), l.Event.Parcel, Code(l.Event.Participant), null, l.Event.Transformation);
            foreach (var input in l.Event.Inputs) w.TransformationInput(l.BlockNumber, l.Event.Transformation, input);
        });
        Each<BatchAnchoredEvent>("BatchAnchored", l => w.Anchor(M(l), l.Event.Root, Code(l.Event.Participant), Address(l.Event.Registrant), l.Event.LeafCount));
        Each<CertificateIssuedEvent>("CertificateIssued", l => w.Certificate(M(l), Code(l.Event.Exporter), l.Event.NumberHash, Code(l.Event.Importer),
            l.Event.CertificateHash, l.Event.ExpiresAt, Address(l.Event.Authority), Address(l.Event.Relayer), l.Event.Parcels));
        Each<ImportConfirmedEvent>("ImportConfirmed", l => w.Confirmation(M(l), Code(l.Event.Exporter), l.Event.NumberHash, Code(l.Event.Importer),
            l.Event.ConfirmationHash, Address(l.Event.Authority)));
        Each<CertificateVoidedEvent>("CertificateVoided", l => w.Void(M(l), Code(l.Event.Exporter), l.Event.NumberHash, Address(l.Event.Authority)));
        Each<RecordFlaggedEvent>("RecordFlagged", l => w.Flag(M(l), l.Event.Kind, l.Event.Key, l.Event.Flag, l.Event.Category, l.Event.EvidenceHash));
    }
}
