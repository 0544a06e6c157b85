using System.Buffers.Binary;
using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Chain.Registry;

/// <summary>
/// State-changing calls of the registry, sent by one account. Each returns the mined transaction
/// or throws <see cref="ContractRevertException"/> with the contract's decoded refusal.
/// </summary>
public sealed class RegistryWriter(RegistryReader reader, TransactionSender sender)
{
    /// <summary>The reader of the same registry.</summary>
    public RegistryReader Reader { get; } = reader;

    /// <summary>The sending account's sender.</summary>
    public TransactionSender Sender { get; } = sender;

    /// <summary>Sends any function message to the registry.</summary>
    public async Task<SentTransaction> SendAsync<TFunction>(TFunction function, CancellationToken ct = default)
        where TFunction : FunctionMessage, new()
    {
        try
        {
            return await Sender.SendAsync(Reader.Address, RegistryReader.CallData(function), ct).ConfigureAwait(false);
        }
        catch (RevertException e)
        {
            throw ContractRevertException.From(e);
        }
    }

    /// <summary>Governance: add a participant.</summary>
    public Task<SentTransaction> AddParticipantAsync(ParticipantCode code) => SendAsync(new AddParticipantFunction { Code = code.ToBytes() });

    /// <summary>Governance: suspend a participant.</summary>
    public Task<SentTransaction> SuspendParticipantAsync(ParticipantCode code) => SendAsync(new SuspendParticipantFunction { Code = code.ToBytes() });

    /// <summary>Governance: reinstate a participant.</summary>
    public Task<SentTransaction> ReinstateParticipantAsync(ParticipantCode code) => SendAsync(new ReinstateParticipantFunction { Code = code.ToBytes() });

    /// <summary>Governance: make an account an authority of a participant.</summary>
    public Task<SentTransaction> AddAuthorityAsync(ParticipantCode code, string account) =>
        SendAsync(new AddAuthorityFunction { Participant = code.ToBytes(), Account = account });

    /// <summary>Governance: remove an authority.</summary>
    public Task<SentTransaction> RemoveAuthorityAsync(string account) => SendAsync(new RemoveAuthorityFunction { Account = account });

    /// <summary>Authority: register a member of its participant.</summary>
    public Task<SentTransaction> AddMemberAsync(string account) => SendAsync(new AddMemberFunction { Account = account });

    /// <summary>Authority: remove a member of its participant.</summary>
    public Task<SentTransaction> RemoveMemberAsync(string account) => SendAsync(new RemoveMemberFunction { Account = account });

    /// <summary>
    /// Member: register origin parcels (one call for up to a few hundred). The registry computes
    /// each parcel's hash from the member's participant, so a document naming another participant
    /// would be registered under another hash: callers check the participant first.
    /// </summary>
    public Task<SentTransaction> RegisterParcelsAsync(IReadOnlyList<ParcelRecord> parcels, CancellationToken ct = default) =>
        RegisterParcelDetailsAsync([.. parcels.Select(p => p.DetailsHash())], ct);

    /// <summary>Member: register origin parcels by the struct hashes of their ParcelDetails.</summary>
    public Task<SentTransaction> RegisterParcelDetailsAsync(IReadOnlyList<Hash32> details, CancellationToken ct = default) =>
        details.Count == 1
            ? SendAsync(new RegisterParcelFunction { Details = details[0].ToArray() }, ct)
            : SendAsync(new RegisterParcelsFunction { Details = AbiValues.Bytes32(details) }, ct);

    /// <summary>
    /// Member: record a transformation. The registry computes its outputs' hashes and its own from
    /// the member's participant and <see cref="TransformationRecord.OutputDetails"/>.
    /// </summary>
    public Task<SentTransaction> TransformAsync(TransformationRecord t, CancellationToken ct = default) =>
        SendAsync(TransformMessage(t), ct);

    /// <summary>The transform call of a transformation (for a multicall batch).</summary>
    public static TransformFunction TransformMessage(TransformationRecord t)
    {
        if (!t.OutputDetailsMatch)
        {
            throw new ArgumentException($"transformation {t.TransformationId}: outputDetails must give each output's hash under {t.Participant}", nameof(t));
        }
        return new TransformFunction
        {
            Details = t.DetailsHash().ToArray(),
            Inputs = AbiValues.Bytes32(t.Inputs),
            OutputDetails = AbiValues.Bytes32(t.OutputDetails),
        };
    }

    /// <summary>Exporting authority: issue a certificate directly.</summary>
    public Task<SentTransaction> IssueCertificateAsync(CertificateRecord c, CancellationToken ct = default) =>
        SendAsync(new IssueCertificateFunction { Facts = RegistryReader.Facts.Of(c) }, ct);

    /// <summary>Anyone: relay a certificate carrying its authority's signature.</summary>
    public Task<SentTransaction> RelayCertificateAsync(CertificateRecord c, CancellationToken ct = default)
    {
        var a = c.Authorization ?? throw new ArgumentException($"certificate {c.Number} carries no authorization (signature) to relay", nameof(c));
        return SendAsync(RelayMessage(c, a), ct);
    }

    /// <summary>The relay call of a signed certificate (for a multicall batch).</summary>
    public static IssueCertificateWithSignatureFunction RelayMessage(CertificateRecord c, CertificateAuthorization a) => new()
    {
        Facts = RegistryReader.Facts.Of(c),
        Authority = a.Authority,
        Deadline = new BigInteger(a.Deadline),
        Signature = Convert.FromHexString(a.Signature.AsSpan(2)),
    };

    /// <summary>Importing authority: confirm the import of a certificate.</summary>
    public Task<SentTransaction> ConfirmImportAsync(CertificateRecord c, ImportConfirmationRecord confirmation, CancellationToken ct = default) =>
        SendAsync(new ConfirmImportFunction { Facts = RegistryReader.Facts.Of(c), ConfirmationHash = confirmation.Hash().ToArray() }, ct);

    /// <summary>Exporting authority: void an unconfirmed certificate.</summary>
    public Task<SentTransaction> VoidCertificateAsync(CertificateRecord c, CancellationToken ct = default) =>
        SendAsync(new VoidCertificateFunction { Facts = RegistryReader.Facts.Of(c) }, ct);

    /// <summary>
    /// Governance: set or clear a flag. Only the category and keccak256 of <paramref name="reason"/>
    /// go on-chain; the text stays with governance.
    /// </summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="key">Its key: a parcel or transformation hash, <see cref="RegistryKeys.Certificate"/> or <see cref="RegistryKeys.Anchor"/>.</param>
    /// <param name="flag">The new flag.</param>
    /// <param name="category">Why, as a category.</param>
    /// <param name="reason">The off-chain reason (case file, report), hashed.</param>
    public Task<SentTransaction> SetFlagAsync(FlaggableKind kind, Hash32 key, RecordFlag flag, FlagCategory category, string reason) =>
        SendAsync(new SetFlagFunction
        {
            Kind = (byte)kind,
            Key = key.ToArray(),
            Flag = (byte)flag,
            Category = (byte)category,
            EvidenceHash = Keccak.Hash(reason).ToArray(),
        });

    /// <summary>Member: anchor a Merkle root of auxiliary records.</summary>
    public Task<SentTransaction> AnchorBatchAsync(Hash32 root, uint leafCount, CancellationToken ct = default) =>
        SendAsync(new AnchorBatchFunction { Root = root.ToArray(), LeafCount = leafCount }, ct);

    /// <summary>
    /// The call data of one batch transaction anchoring <paramref name="records"/>, all of one kind:
    /// origin parcels go into one <c>registerParcels</c>; transformations, certificates (relayed when
    /// signed, issued when not) and import confirmations into one <c>multicall</c> (all or nothing),
    /// or the call itself when there is one. An import confirmation's call carries its certificate's
    /// facts, given by <paramref name="certificateOf"/>.
    /// </summary>
    public static string BatchCallData(IReadOnlyList<KpRecord> records, Func<ImportConfirmationRecord, CertificateRecord>? certificateOf = null)
    {
        if (records.Count == 0) throw new ArgumentException("a batch needs at least one record", nameof(records));
        if (records[0] is ParcelRecord)
        {
            var details = new Hash32[records.Count];
            for (var i = 0; i < details.Length; i++) details[i] = ((ParcelRecord)records[i]).DetailsHash();
            return RegisterParcelsCallData(details);
        }
        var calls = records.Select(r => r switch
        {
            TransformationRecord t => TransformMessage(t).GetCallData(),
            CertificateRecord { Authorization: { } a } c => RelayMessage(c, a).GetCallData(),
            CertificateRecord c => new IssueCertificateFunction { Facts = RegistryReader.Facts.Of(c) }.GetCallData(),
            ImportConfirmationRecord conf => new ConfirmImportFunction
            {
                Facts = RegistryReader.Facts.Of((certificateOf ?? throw new ArgumentNullException(nameof(certificateOf), "an import confirmation needs its certificate"))(conf)),
                ConfirmationHash = conf.Hash().ToArray(),
            }.GetCallData(),
            _ => throw new ArgumentException($"cannot anchor a {r.Kind} in a batch", nameof(records)),
        }).ToList();
        return calls.Count == 1 ? calls[0].ToHex(true) : RegistryReader.CallData(new MulticallFunction { Data = calls });
    }

    /// <summary>
    /// The call data of <c>registerParcels(bytes32[])</c>, ABI-encoded here (selector, offset, length, the hashes) in one
    /// buffer: the batch sender's hot path (equal to the generic encoder's, tested).
    /// </summary>
    public static string RegisterParcelsCallData(IReadOnlyList<Hash32> details)
    {
        var bytes = new byte[4 + 64 + 32 * details.Count];
        RegisterParcelsSelector.CopyTo(bytes);
        bytes[4 + 31] = 0x20; // the array's offset
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4 + 56), details.Count);
        for (var i = 0; i < details.Count; i++) details[i].CopyTo(bytes.AsSpan(68 + 32 * i));
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    private static readonly byte[] RegisterParcelsSelector = Keccak.Hash("registerParcels(bytes32[])").ToArray()[..4];

    /// <summary>Several calls in one transaction (all or nothing); each is a function message's call data.</summary>
    public Task<SentTransaction> MulticallAsync(IEnumerable<byte[]> calls, CancellationToken ct = default) =>
        SendAsync(new MulticallFunction { Data = [.. calls] }, ct);
}
