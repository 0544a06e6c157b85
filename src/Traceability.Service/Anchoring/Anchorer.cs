using Microsoft.Extensions.Logging;
using Nethereum.Contracts;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The anchoring pipeline: validates received records, checks what the chain would refuse, sends
/// batches (one transaction, many records), tracks receipts, and recovers after a crash. Effect is
/// exactly once: every step is recorded before the next, a record found on chain counts as
/// anchored, and the contract refuses a second registration of any hash.
/// </summary>
public sealed partial class Anchorer(RecordStore store, ChainSession chain, RejectedArea rejected, AnchoringOptions options, ILogger<Anchorer> logger)
{
    /// <summary>Kinds, in the order their batches are sent (parents before children).</summary>
    public static readonly string[] Kinds = ["parcel", "transformation", "certificate", "importConfirmation"];

    private sealed record Candidate(StoredRecord Stored, KpRecord Record, Hash32 Hash);

    /// <summary>
    /// Origin parcels normally go straight into a batch with a computed gas limit: no pre-check,
    /// no estimate (the contract refuses a known hash anyway). After a refusal or a restart the
    /// next batches take the careful path (pre-check and estimate) until one goes through.
    /// </summary>
    private bool _careful = true;

    /// <summary>Gas of one origin parcel in a batch, with margin (the snapshot measures 25,221).</summary>
    private const int GasPerParcel = 27_500;

    private sealed record Verdict(Candidate Item, string Outcome, string? Rule = null, string? Field = null, string? Reason = null);

    /// <summary>Validates up to <paramref name="max"/> received records: pending, or rejected with a reason.</summary>
    public int ValidateReceived(int max = 2_000)
    {
        var received = store.WithStatus(RecordStatus.Received, max);
        if (received.Count == 0) return 0;
        // parsing, rules and hashing are pure: spread them over the cores
        var results = new (Validation V, string? Hash)[received.Count];
        var now = DateTimeOffset.UtcNow;
        Parallel.For(0, received.Count, i =>
        {
            var v = RecordValidator.Validate(received[i], now);
            results[i] = (v, v.Record?.Hash().ToString());
        });
        var earlier = store.Accepted([.. results.Where(r => r.V.IsValid).Select(r => r.Hash!).Distinct()]);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var pending = new List<(long, string, string)>();
        for (var i = 0; i < received.Count; i++)
        {
            var (v, hash) = results[i];
            var r = received[i];
            if (!v.IsValid)
            {
                Reject(r, v.Record?.Kind.ToJsonName(), hash, v.Rule!, v.Field!, v.Reason!);
                continue;
            }
            if ((seen.TryGetValue(hash!, out var other) || earlier.TryGetValue(hash!, out other)) && other != r.Id)
            {
                Reject(r, v.Record!.Kind.ToJsonName(), hash, "duplicate", "document", $"the same record (hash {hash}) was already received as #{other}");
                continue;
            }
            seen[hash!] = r.Id;
            pending.Add((r.Id, v.Record!.Kind.ToJsonName(), hash!));
        }
        store.MarkPending(pending);
        return received.Count;
    }

    /// <summary>One round for one kind: pre-checks pending records against the chain and sends a batch. Returns the records handled.</summary>
    public async Task<int> AnchorAsync(string kind, CancellationToken ct)
    {
        var pending = store.WithStatus(RecordStatus.Pending, options.MaxBatchSize * 2, kind);
        if (pending.Count == 0) return 0;
        var full = pending.Count >= options.MaxBatchSize;
        var oldestAge = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - pending[0].ReceivedAt;
        if (!full && oldestAge < options.MaxBatchDelayMs) return 0;

        var candidates = pending.Select(p => new Candidate(p, RecordJson.Parse(p.Document), Hash32.Parse(p.RecordHash))).ToList();
        var verdicts = kind switch
        {
            "parcel" when !_careful => await HeldHereAsync(candidates, [.. candidates.Select(c => new Verdict(c, "ready"))]),
            "parcel" => await HeldHereAsync(candidates, await CheckParcelsAsync(candidates)),
            "transformation" => await HeldHereAsync(candidates, await CheckTransformationsAsync(candidates)),
            "certificate" => await CheckCertificatesAsync(candidates),
            _ => await CheckConfirmationsAsync(candidates),
        };
        var onChain = verdicts.Where(v => v.Outcome == "onchain").Select(v => v.Item.Stored.Id).ToList();
        if (onChain.Count > 0)
        {
            store.MarkConfirmed(onChain, null, null);
            Log.AlreadyAnchored(logger, onChain.Count);
        }
        foreach (var v in verdicts.Where(v => v.Outcome == "reject")) Reject(v.Item.Stored, kind, v.Item.Hash.ToString(), v.Rule!, v.Field!, v.Reason!);
        var ready = verdicts.Where(v => v.Outcome == "ready").Select(v => v.Item).Take(options.MaxBatchSize).ToList();
        if (ready.Count > 0) await SendAsync(kind, ready, ct);
        return verdicts.Count(v => v.Outcome != "defer");
    }

    /// <summary>
    /// The contract computes a parcel's and a transformation's hash from its registrant's
    /// participant: a document that names another participant would be anchored under another
    /// hash (and the wrong country), so it is refused here.
    /// </summary>
    private async Task<List<Verdict>> HeldHereAsync(List<Candidate> items, List<Verdict> verdicts)
    {
        // asked again every round until the account is a member: an authority may add it while the service runs
        if (_memberParticipant is null)
        {
            _memberParticipant = (await chain.Reader.MemberOfAsync(chain.Writer.Sender.Account.Address)).Participant;
            if (_memberParticipant is null) Log.NotAMember(logger, chain.Writer.Sender.Account.Address);
        }
        var here = _memberParticipant;
        var participantOf = (KpRecord r) => r switch { ParcelRecord p => p.Participant, TransformationRecord t => t.Participant, _ => (Core.Participants.ParticipantCode?)null };
        return [.. verdicts.Select(v => v.Outcome != "onchain" && participantOf(v.Item.Record) is { } named && named != here
            ? here is null
                ? Refuse(v.Item, "NotAMember", "participant", $"the service account {chain.Writer.Sender.Account.Address} is not a member of {named} (nor of any participant): "
                    + "once an authority of it has added the account (kp member add), drop the file again")
                : Refuse(v.Item, "participant", "participant", $"this service registers parcels and transformations for {here.Value}; the document's participant is {named}")
            : v)];
    }

    private Core.Participants.ParticipantCode? _memberParticipant;

    /// <summary>After a restart (or an outage): settles batches left submitted. Returns the records settled.</summary>
    public async Task<int> RecoverAsync()
    {
        int confirmed = 0, requeued = 0;
        foreach (var (id, _, txHash) in store.SubmittedBatches())
        {
            var count = store.WithStatus(RecordStatus.Submitted, int.MaxValue, withDocument: false).Count(r => r.BatchId == id);
            if (txHash is not null && await chain.Rpc.RequestAsync("eth_getTransactionReceipt", txHash) is Newtonsoft.Json.Linq.JObject receipt)
            {
                if (ChainRpc.Quantity(receipt["status"]!) == 1)
                {
                    store.BatchConfirmed(id, txHash, (long)ChainRpc.Quantity(receipt["blockNumber"]!), (long)ChainRpc.Quantity(receipt["gasUsed"]!));
                    confirmed += count;
                    continue;
                }
            }
            else if (txHash is not null && await chain.Rpc.RequestAsync("eth_getTransactionByHash", txHash) is Newtonsoft.Json.Linq.JObject)
            {
                continue; // still in the node's pool: wait for it
            }
            store.BatchFailed(id); // never sent, dropped, or reverted: the pre-check decides again
            requeued += count;
        }
        if (confirmed + requeued > 0) Log.Recovered(logger, confirmed, requeued);
        return confirmed + requeued;
    }

    private async Task SendAsync(string kind, List<Candidate> items, CancellationToken ct)
    {
        // never send into a reset chain: the node would mine a call to an empty account as a success
        await chain.EnsureDeploymentAsync();
        var data = CallData(kind, items);
        var sender = chain.Writer.Sender;
        System.Numerics.BigInteger gas;
        try
        {
            gas = kind == "parcel" && !_careful
                ? Math.Min(60_000 + GasPerParcel * items.Count, 16_000_000)
                : await sender.EstimateGasAsync(chain.Address, data);
        }
        catch (ContractRevertException e)
        {
            if (items.Count == 1)
            {
                Reject(items[0].Stored, kind, items[0].Hash.ToString(), e.ErrorName, FieldOf(kind, e), e.Message);
                return;
            }
            // find the records the chain refuses: halve until each refusal stands alone
            await SendAsync(kind, items[..(items.Count / 2)], ct);
            await SendAsync(kind, items[(items.Count / 2)..], ct);
            return;
        }
        var batch = store.StartBatch(kind, [.. items.Select(i => i.Stored.Id)]);
        string hash;
        try
        {
            hash = await sender.SubmitAsync(chain.Address, data, gas, ct);
        }
        catch (ContractRevertException e)
        {
            // refused at submission (Hardhat refuses a reverting transaction): check carefully next round
            store.BatchFailed(batch);
            _careful = true;
            Log.BatchFailed(logger, batch, items.Count, kind, e.Message);
            return;
        }
        store.BatchSent(batch, hash);
        try
        {
            Chain.Transactions.SentTransaction tx;
            try
            {
                tx = await sender.WaitAsync(hash, chain.Address, data, ct);
            }
            catch (TimeoutException)
            {
                // stuck in the pool: replace it (same nonce, higher fee) and wait once more
                var replacement = await sender.ReplaceAsync(hash);
                Log.Replaced(logger, batch, hash, replacement);
                store.BatchSent(batch, replacement);
                tx = await sender.WaitAsync(replacement, chain.Address, data, ct);
            }
            store.BatchConfirmed(batch, tx.Hash, (long)tx.BlockNumber, (long)tx.GasUsed);
            if (kind == "parcel") _careful = false;
            Log.Anchored(logger, items.Count, kind, tx.Hash, tx.BlockNumber, tx.GasUsed.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (ContractRevertException e)
        {
            store.BatchFailed(batch);
            _careful = true;
            Log.BatchFailed(logger, batch, items.Count, kind, e.Message);
        }
    }

    private string CallData(string kind, List<Candidate> items)
    {
        if (kind == "parcel") return RegistryReader.CallData(new RegisterParcelsFunction { Details = AbiValues.Bytes32(items.Select(i => ((ParcelRecord)i.Record).DetailsHash())) });
        var calls = items.Select(i => i.Record switch
        {
            TransformationRecord t => RegistryWriter.TransformMessage(t).GetCallData(),
            CertificateRecord { Authorization: { } a } c => RegistryWriter.RelayMessage(c, a).GetCallData(),
            CertificateRecord c => new IssueCertificateFunction { Facts = RegistryReader.Facts.Of(c) }.GetCallData(),
            ImportConfirmationRecord conf => new ConfirmImportFunction { Facts = RegistryReader.Facts.Of(CertificateOf(conf)!), ConfirmationHash = i.Hash.ToArray() }.GetCallData(),
            _ => throw new InvalidOperationException($"cannot anchor a {i.Record.Kind}"),
        }).ToList();
        return calls.Count == 1 ? Nethereum.Hex.HexConvertors.Extensions.HexByteConvertorExtensions.ToHex(calls[0], true)
            : RegistryReader.CallData(new MulticallFunction { Data = calls });
    }

    private void Reject(StoredRecord r, string? kind, string? hash, string rule, string field, string reason)
    {
        rejected.Write(r, rule, field, reason, hash); // the rejected area first: a crash before the commit only makes the record validated again
        CrashPoints.Hit(CrashPoints.RejectWritten);
        store.Reject([(r.Id, kind, hash, rule, field, reason)]);
        Log.Rejected(logger, r.Id, r.Source, rule, field, reason);
    }

    private static string FieldOf(string kind, ContractRevertException e) => (kind, e.ErrorName) switch
    {
        ("transformation", "UnknownParcel" or "ParcelNotActive" or "ParcelNotHeld" or "InputsNotSorted") => "inputs",
        ("transformation", "AlreadyRegistered") => "outputs",
        ("certificate", "UnknownParcel" or "ParcelNotActive" or "ParcelNotHeld") => "parcels",
        ("certificate", "SignatureExpired" or "InvalidSignature" or "NotAnAuthority") => "authorization",
        ("certificate", "InvalidExpiry") => "expiresAt",
        ("certificate", "SameParticipant" or "UnknownParticipant" or "ParticipantInactive") => "importer",
        ("certificate", "CertificateAlreadyIssued") => "number",
        ("importConfirmation", "CertificateExpired" or "CertificateNotIssued" or "UnknownCertificate") => "certificateNumber",
        _ => "document",
    };

    private CertificateRecord? CertificateOf(ImportConfirmationRecord confirmation)
    {
        foreach (var stored in store.WithStatus(RecordStatus.Confirmed, int.MaxValue, "certificate"))
        {
            if (RecordJson.Parse(stored.Document) is CertificateRecord c && c.Number == confirmation.CertificateNumber && c.Exporter == confirmation.Exporter) return c;
        }
        return null;
    }
}
