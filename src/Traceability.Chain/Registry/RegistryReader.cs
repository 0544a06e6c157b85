using System.Buffers.Binary;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Chain.Registry;

/// <summary>Read-only access to a deployed registry: typed views and events. Needs no key.</summary>
public sealed class RegistryReader
{
    private static readonly FunctionCallDecoder Decoder = new();

    /// <summary>A reader of the registry at <paramref name="address"/>.</summary>
    public RegistryReader(ChainRpc rpc, string address)
    {
        Rpc = rpc;
        Address = address;
    }

    /// <summary>The JSON-RPC client.</summary>
    public ChainRpc Rpc { get; }

    /// <summary>The registry's address.</summary>
    public string Address { get; }

    /// <summary>Calls a view and decodes its output.</summary>
    public async Task<TOut> QueryAsync<TFunction, TOut>(TFunction function, string block = "latest", CancellationToken ct = default)
        where TFunction : FunctionMessage, new() where TOut : IFunctionOutputDTO, new()
    {
        try
        {
            return Decode<TOut>(await Rpc.CallAsync(Address, CallData(function), block, ct: ct).ConfigureAwait(false));
        }
        catch (RevertException e)
        {
            throw ContractRevertException.From(e);
        }
    }

    /// <summary>A batch of typed reads at <paramref name="block"/> (one round trip).</summary>
    public RegistryBatch Batch(string block = "latest") => new(this, block);

    /// <summary>The eth_call of a view, for a batch.</summary>
    public RpcCall Call<TFunction>(TFunction function, string block = "latest") where TFunction : FunctionMessage, new() =>
        ChainRpc.Call(Address, CallData(function), block);

    /// <summary>Decodes a view's output.</summary>
    public static TOut Decode<TOut>(string output) where TOut : IFunctionOutputDTO, new() =>
        Decoder.DecodeFunctionOutput<TOut>(output);

    /// <summary>The ABI-encoded call data of a function message (by hand for the views a verification reads, see <see cref="RegistryCalls"/>).</summary>
    public static string CallData<TFunction>(TFunction function) where TFunction : FunctionMessage, new() =>
        RegistryCalls.CallData(function);

    /// <summary>The ABI-encoded call data of a function message, by Nethereum.</summary>
    public static string NethereumCallData<TFunction>(TFunction function) where TFunction : FunctionMessage, new() =>
        function.GetCallData().ToHex(true);

    /// <summary>A parcel's state.</summary>
    public async Task<ParcelState> ParcelAsync(Hash32 hash) =>
        AbiValues.ToState(hash, (await QueryAsync<ParcelFunction, ParcelOutput>(new() { Hash = hash.ToArray() }).ConfigureAwait(false)).Parcel);

    /// <summary>Many parcels' states, in chunks of 500 per call.</summary>
    public async Task<IReadOnlyList<ParcelState>> ParcelsAsync(IReadOnlyList<Hash32> hashes)
    {
        var result = new List<ParcelState>(hashes.Count);
        foreach (var chunk in hashes.Chunk(500))
        {
            var output = await Rpc.CallAsync(Address, CallData(new ParcelsOfFunction { Hashes = AbiValues.Bytes32(chunk) })).ConfigureAwait(false);
            result.AddRange(DecodeParcels(chunk, output));
        }
        return result;
    }

    /// <summary>
    /// Decodes the output of parcelsOf directly: a dynamic array of static 6-word tuples, so each
    /// parcel is 192 bytes at a fixed place (far faster than the generic tuple decoder for hundreds).
    /// </summary>
    public static IReadOnlyList<ParcelState> DecodeParcels(IReadOnlyList<Hash32> hashes, string output)
    {
        var bytes = output.HexToByteArray();
        if (bytes.Length < 64) throw new FormatException($"parcelsOf returned {bytes.Length} bytes, not an array");
        // a node's answer is not trusted: a count no int holds is a format error, not an overflow
        var count = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (count != hashes.Count || bytes.Length < 64 + (long)hashes.Count * 192) throw new FormatException($"parcelsOf returned {count} parcels for {hashes.Count} hashes");
        var result = new ParcelState[hashes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var w = bytes.AsSpan(64 + i * 192, 192);
            var parents = w.Slice(160, 20).ToArray();
            result[i] = new ParcelState(hashes[i], AbiValues.Code(w[..2].ToArray()), (ParcelStatus)w[63], (RecordFlag)w[95],
                BinaryPrimitives.ReadUInt32BigEndian(w.Slice(124, 4)), BinaryPrimitives.ReadUInt32BigEndian(w.Slice(156, 4)),
                parents.All(b => b == 0) ? null : parents);
        }
        return result;
    }

    /// <summary>A certificate's state by its exporter and number.</summary>
    public Task<CertificateState> CertificateAsync(ParticipantCode exporter, string number) => CertificateAsync(exporter, Keccak.Hash(number));

    /// <summary>A certificate's state by its exporter and number hash (a number belongs to its exporter).</summary>
    public async Task<CertificateState> CertificateAsync(ParticipantCode exporter, Hash32 numberHash) =>
        AbiValues.ToState(numberHash, (await QueryAsync<CertificateFunction, CertificateOutput>(CertificateCall(exporter, numberHash)).ConfigureAwait(false)).Certificate);

    /// <summary>The view call of a certificate's state.</summary>
    public static CertificateFunction CertificateCall(ParticipantCode exporter, Hash32 numberHash) =>
        new() { Exporter = exporter.ToBytes(), NumberHash = numberHash.ToArray() };

    /// <summary>The confirmation hash recorded for a certificate, or null.</summary>
    public async Task<Hash32?> ConfirmationOfAsync(ParticipantCode exporter, Hash32 numberHash)
    {
        var h = Hash32.FromBytes((await QueryAsync<ConfirmationOfFunction, Bytes32Output>(
            new() { Exporter = exporter.ToBytes(), NumberHash = numberHash.ToArray() }).ConfigureAwait(false)).Value);
        return h.IsZero ? null : h;
    }

    /// <summary>A transformation's state.</summary>
    public async Task<TransformationState> TransformationAsync(Hash32 hash)
    {
        var t = (await QueryAsync<TransformationFunction, TransformationOutput>(new() { Hash = hash.ToArray() }).ConfigureAwait(false)).Transformation;
        return new TransformationState(hash, AbiValues.Code(t.Participant), (RecordFlag)t.Flag, t.InputCount, t.OutputCount, t.Registrant, t.RegisteredAt);
    }

    /// <summary>A batch anchor's state.</summary>
    public async Task<AnchorState> AnchorAsync(ParticipantCode participant, Hash32 root)
    {
        var a = (await QueryAsync<AnchorFunction, AnchorOutput>(new() { Participant = participant.ToBytes(), Root = root.ToArray() }).ConfigureAwait(false)).Anchor;
        return new AnchorState(root, AbiValues.Code(a.Participant), (RecordFlag)a.Flag, a.Registrant, a.AnchoredAt, a.LeafCount);
    }

    /// <summary>Whether <paramref name="leaf"/> is in the batch <paramref name="participant"/> anchored as <paramref name="root"/>.</summary>
    public async Task<bool> IsAnchoredAsync(ParticipantCode participant, Hash32 root, Hash32 leaf, IEnumerable<Hash32> proof) =>
        (await QueryAsync<IsAnchoredFunction, BoolOutput>(new()
        {
            Participant = participant.ToBytes(),
            Root = root.ToArray(),
            Leaf = leaf.ToArray(),
            Proof = AbiValues.Bytes32(proof),
        }).ConfigureAwait(false)).Value;

    /// <summary>The participants that anchored <paramref name="root"/> (from the BatchAnchored events).</summary>
    public async Task<IReadOnlyList<ParticipantCode>> AnchoringParticipantsAsync(Hash32 root) =>
        [.. (await LogsAsync<BatchAnchoredEvent>([root]).ConfigureAwait(false))
            .Select(l => AbiValues.Code(l.Event.Participant)).OfType<ParticipantCode>().Distinct()];

    /// <summary>Whether <paramref name="parents"/> is exactly the input set that produced <paramref name="parcel"/>.</summary>
    public async Task<bool> IsProducedByAsync(Hash32 parcel, IEnumerable<Hash32> parents) =>
        (await QueryAsync<IsProducedByFunction, BoolOutput>(new() { Hash = parcel.ToArray(), ClaimedParents = AbiValues.Bytes32(parents) }).ConfigureAwait(false)).Value;

    /// <summary>Whether <paramref name="account"/> is an authority of <paramref name="participant"/> (at a block, default latest).</summary>
    public async Task<bool> IsAuthorityAsync(ParticipantCode participant, string account, string block = "latest", CancellationToken ct = default) =>
        (await QueryAsync<IsAuthorityFunction, BoolOutput>(new() { Participant = participant.ToBytes(), Account = account }, block, ct).ConfigureAwait(false)).Value;

    /// <summary>Whether <paramref name="account"/> is an active member of <paramref name="participant"/>.</summary>
    public async Task<bool> IsMemberAsync(ParticipantCode participant, string account) =>
        (await QueryAsync<IsMemberFunction, BoolOutput>(new() { Participant = participant.ToBytes(), Account = account }).ConfigureAwait(false)).Value;

    /// <summary>The participant an account is an authority of, or null.</summary>
    public async Task<ParticipantCode?> AuthorityOfAsync(string account) =>
        AbiValues.Code((await QueryAsync<AuthorityOfFunction, Bytes2Output>(new() { Account = account }).ConfigureAwait(false)).Value);

    /// <summary>A member's participant, activity and index.</summary>
    public async Task<(ParticipantCode? Participant, bool Active, uint Index)> MemberOfAsync(string account)
    {
        var m = await QueryAsync<MemberOfFunction, MemberOfOutput>(new() { Account = account }).ConfigureAwait(false);
        return (AbiValues.Code(m.Participant), m.Active, m.Index);
    }

    /// <summary>The account of a member index.</summary>
    public async Task<string> MemberAtAsync(uint index) =>
        (await QueryAsync<MemberAtFunction, AddressOutput>(new() { Index = index }).ConfigureAwait(false)).Value;

    /// <summary>A participant's status.</summary>
    public async Task<ParticipantStatus> ParticipantStatusAsync(ParticipantCode code) =>
        (ParticipantStatus)(await QueryAsync<ParticipantStatusFunction, Uint8Output>(new() { Code = code.ToBytes() }).ConfigureAwait(false)).Value;

    /// <summary>All participant codes.</summary>
    public async Task<IReadOnlyList<ParticipantCode>> ParticipantsAsync() =>
        [.. (await QueryAsync<ParticipantsFunction, Bytes2ArrayOutput>(new()).ConfigureAwait(false)).Value.Select(b => AbiValues.Code(b)!.Value)];

    /// <summary>The contract's own hash of a certificate (the view hashCertificate).</summary>
    public async Task<Hash32> HashCertificateAsync(CertificateRecord certificate) =>
        Hash32.FromBytes((await QueryAsync<HashCertificateFunction, Bytes32Output>(new() { Facts = Facts.Of(certificate) }).ConfigureAwait(false)).Value);

    /// <summary>The registry's EIP-712 domain, as the contract reports it (ERC-5267).</summary>
    public async Task<Eip712Domain> DomainAsync()
    {
        var d = await QueryAsync<Eip712DomainFunction, Eip712DomainOutput>(new()).ConfigureAwait(false);
        if (d.Name != Eip712Domain.Name || d.Version != Eip712Domain.Version)
        {
            throw new InvalidOperationException($"{Address} is not a KimberleyProcessRegistry (EIP-712 domain {d.Name} {d.Version})");
        }
        return new Eip712Domain(d.ChainId, d.VerifyingContract);
    }

    /// <summary>
    /// The eth_getLogs call for events of type <typeparamref name="TEvent"/> whose first indexed
    /// argument is one of <paramref name="firstTopics"/> (and the second one of <paramref name="secondTopics"/>).
    /// </summary>
    public RpcCall LogsCall<TEvent>(IEnumerable<Hash32>? firstTopics = null, ulong fromBlock = 0, IEnumerable<Hash32>? secondTopics = null,
        string toBlock = "latest", IEnumerable<Hash32>? thirdTopics = null)
        where TEvent : IEventDTO, new()
    {
        static object? Any(IEnumerable<Hash32>? t) => t is null ? null : t.Select(h => h.ToString()).ToArray();
        var topics = new List<object?>(4) { RegistryDecoders.EventTopic<TEvent>(), Any(firstTopics) };
        if (secondTopics is not null || thirdTopics is not null) topics.Add(Any(secondTopics));
        if (thirdTopics is not null) topics.Add(Any(thirdTopics));
        var filter = new Dictionary<string, object?>(4, StringComparer.Ordinal)
        {
            ["address"] = Address,
            ["fromBlock"] = ChainRpc.Hex(fromBlock),
            ["toBlock"] = toBlock,
            ["topics"] = topics,
        };
        return new RpcCall("eth_getLogs", filter);
    }

    /// <summary>
    /// Events of type <typeparamref name="TEvent"/> from <paramref name="fromBlock"/> to <paramref name="toBlock"/> (optionally by their first
    /// indexed argument), read as the node's answer streams in (<see cref="ChainRpc.StreamArrayAsync"/>): the answer is never held whole.
    /// </summary>
    public async Task<IReadOnlyList<RegistryEventLog<TEvent>>> StreamLogsAsync<TEvent>(ulong fromBlock, ulong toBlock, IEnumerable<Hash32>? firstTopics = null,
        CancellationToken ct = default)
        where TEvent : IEventDTO, new()
    {
        var logs = new List<RegistryEventLog<TEvent>>();
        await Rpc.StreamArrayAsync(LogsCall<TEvent>(firstTopics, fromBlock, toBlock: ChainRpc.Hex(toBlock)), e =>
        {
            RegistryEventLog<TEvent>? log;
            try
            {
                log = RegistryDecoders.Log<TEvent>(e);
            }
            catch (Exception x) when (x is FormatException or InvalidCastException or ArgumentException or NullReferenceException or InvalidOperationException
                or KeyNotFoundException)
            {
                // as a batch's read of the same log fails (RegistryBatch)
                throw new FormatException($"eth_getLogs: the node's answer could not be decoded ({x.Message})", x);
            }
            if (log is not null) logs.Add(log);
        }, ct).ConfigureAwait(false);
        return logs;
    }

    /// <summary>Events of type <typeparamref name="TEvent"/> (optionally by their first indexed argument).</summary>
    public async Task<IReadOnlyList<RegistryEventLog<TEvent>>> LogsAsync<TEvent>(IEnumerable<Hash32>? firstTopics = null, ulong fromBlock = 0)
        where TEvent : IEventDTO, new()
    {
        var call = LogsCall<TEvent>(firstTopics, fromBlock);
        return DecodeLogs<TEvent>(await Rpc.RequestAsync(call.Method, call.Parameters).ConfigureAwait(false));
    }

    /// <summary>Decodes an eth_getLogs result (or a receipt's logs) into events of type <typeparamref name="TEvent"/>.</summary>
    public static IReadOnlyList<RegistryEventLog<TEvent>> DecodeLogs<TEvent>(JToken? logs) where TEvent : IEventDTO, new()
    {
        if (logs is not JArray array) return [];
        var topic0 = EventTopic<TEvent>();
        var result = new List<RegistryEventLog<TEvent>>();
        foreach (var log in array.OfType<JObject>())
        {
            if (log["topics"] is not JArray { Count: > 0 } topics || !string.Equals((string?)topics[0], topic0, StringComparison.OrdinalIgnoreCase)) continue;
            // built field by field: Newtonsoft's reflection-based ToObject<FilterLog> was most of the decoding's cost
            var filterLog = new FilterLog
            {
                Topics = [.. topics.Select(t => (object)(string)t!)],
                Data = (string?)log["data"],
                BlockNumber = new HexBigInteger((string)log["blockNumber"]!),
                TransactionHash = (string)log["transactionHash"]!,
                LogIndex = new HexBigInteger((string)log["logIndex"]!),
                Address = (string?)log["address"],
            };
            var decoded = Event<TEvent>.DecodeEvent(filterLog);
            result.Add(new RegistryEventLog<TEvent>(decoded.Event, (ulong)filterLog.BlockNumber.Value, filterLog.TransactionHash, (ulong)filterLog.LogIndex.Value));
        }
        return result;
    }

    /// <summary>The topic0 of an event type.</summary>
    public static string EventTopic<TEvent>() where TEvent : IEventDTO, new() =>
        "0x" + ABITypedRegistry.GetEvent<TEvent>().Sha3Signature.ToLowerInvariant();

    /// <summary>The ABI-decodable facts of a certificate, as the contract takes them.</summary>
    public static class Facts
    {
        /// <summary>The facts of <paramref name="certificate"/>.</summary>
        public static CertificateFactsDto Of(CertificateRecord certificate) => new()
        {
            NumberHash = certificate.NumberHash.ToArray(),
            Exporter = certificate.Exporter.ToBytes(),
            Importer = certificate.Importer.ToBytes(),
            ExpiresAt = certificate.ExpiresAt,
            Parcels = AbiValues.Bytes32(certificate.Parcels),
            DetailsHash = certificate.DetailsHash.ToArray(),
        };
    }

    /// <summary>A block's timestamp.</summary>
    public async Task<ulong> BlockTimestampAsync(string block = "latest")
    {
        var b = (JObject)(await Rpc.RequestAsync("eth_getBlockByNumber", block, false).ConfigureAwait(false))!;
        return (ulong)ChainRpc.Quantity(b["timestamp"]!);
    }

    /// <summary>Parses an unsigned quantity.</summary>
    public static BigInteger Quantity(JToken token) => ChainRpc.Quantity(token);
}
