using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Diagnostics;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The anchoring pipeline: validates received records, checks what the chain would refuse
/// (<see cref="RecordChecks"/>), sends batches (one transaction, many records), tracks receipts, and
/// recovers after a crash. Effect is exactly once: every step is recorded before the next, a record
/// found on chain counts as anchored, and the contract refuses a second registration of any hash.
/// </summary>
public sealed class Anchorer(RecordStore store, ChainSession chain, RecordChecks checks, ParsedRecords parsed, RejectedArea rejected,
    AnchoringOptions options, ILogger<Anchorer> logger)
{
    /// <summary>Kinds, in the order their batches are sent (parents before children).</summary>
    public static readonly RecordKind[] Kinds = [RecordKind.Parcel, RecordKind.Transformation, RecordKind.Certificate, RecordKind.ImportConfirmation];

    /// <summary>Origin parcels' careful path (pre-check and estimate) or fast path: careful after a refusal or a restart (see <see cref="CarefulPath"/>).</summary>
    private readonly CarefulPath _careful = new();

    private TransactionPipeline? _pipeline;

    /// <summary>Batches sent (the node accepted them, their hash recorded) whose receipt is still awaited.</summary>
    private int _sentAwaiting;

    /// <summary>When the deployment was last found standing before a send (<see cref="Environment.TickCount64"/>); never at first.</summary>
    private long _deploymentCheckedAt = NeverChecked;

    /// <summary>A <see cref="_deploymentCheckedAt"/> that makes the next send check the deployment fully.</summary>
    private const long NeverChecked = long.MinValue / 2;

    /// <summary>
    /// How often, at most, a batch's send makes the full check that the registry stands (its code hashed, the chain id, the deployment
    /// block: one batched round trip); every batch used to, and on Hardhat that cost about 7 % of the throughput. The other batches
    /// make the quick check (the deployment block's hash: a reset chain has no such block, or another). A batch that went into a
    /// chain reset all the same is told by its receipt: mined without the registry's events (<see cref="TakenByRegistry"/>).
    /// </summary>
    public const int DeploymentCheckIntervalMs = 1_000;

    /// <summary>
    /// Whether a successful transaction of <paramref name="records"/> records was taken by the registry: each record it takes emits at
    /// least one event, while a call to an address without code (a chain reset under the deployment) succeeds and emits none.
    /// </summary>
    public static bool TakenByRegistry(int logCount, int records) => logCount >= records;

    /// <summary>
    /// Blocks' worth of gas kept in flight: the pipeline's gas budget is this many times the block gas limit the node
    /// reports, so while work waits the next block is full and the one after it is ready (see <see cref="PipelineAsync"/>).
    /// </summary>
    public const int BlocksInFlight = 2;

    /// <summary>
    /// The batches in flight (sent, their receipt awaited in the background), for the sender of the current
    /// connection: a new connection (a new sender) starts a new pipeline, the old one drained by <see cref="RecoverAsync"/>.
    /// At most <see cref="AnchoringOptions.MaxInFlightBatches"/> batches and <see cref="BlocksInFlight"/> blocks' gas
    /// (the latest block's gas limit, read when the pipeline starts) are in flight: a node packs a block by the gas
    /// limits of its transactions, so that many batches fill the next block and keep the one after it ready, and no
    /// longer queue forms that a slow chain would leave stuck past the receipt timeout.
    /// </summary>
    private async Task<TransactionPipeline> PipelineAsync()
    {
        if (_pipeline is { } p && ReferenceEquals(p.Sender, chain.Writer.Sender)) return p;
        var sender = chain.Writer.Sender;
        // a node that tells no positive gas limit leaves the batches bounded by MaxInFlightBatches alone
        var gasLimit = await chain.Rpc.LatestGasLimitAsync();
        return _pipeline = new TransactionPipeline(sender, options.MaxInFlightBatches, gasLimit * BlocksInFlight);
    }

    /// <summary>Batches sent whose receipt is still awaited.</summary>
    public int InFlight => _pipeline?.InFlight ?? 0;

    /// <summary>The gas limits of the batches in flight, summed.</summary>
    public BigInteger GasInFlight => _pipeline?.GasInFlight ?? BigInteger.Zero;

    /// <summary>Most gas the batches in flight may hold (null until the first batch is sent).</summary>
    public BigInteger? GasBudget => _pipeline?.GasBudget;

    /// <summary>
    /// Forgets the batches settled in the background; if awaiting one failed (the node unreachable, no receipt
    /// even for a replacement), waits for the others, then throws that failure for the worker to handle.
    /// </summary>
    public Task SettleInFlightAsync() => _pipeline?.SettleAsync() ?? Task.CompletedTask;

    /// <summary>Gas of one origin parcel in a batch, with margin (the snapshot measures 25,221).</summary>
    private const int GasPerParcel = 27_500;

    /// <summary>The gas limit the service gives a batch of <paramref name="parcels"/> origin parcels (not estimated: computed with margin, capped at 16 M).</summary>
    public static BigInteger OriginParcelBatchGas(int parcels) => Math.Min(60_000 + GasPerParcel * parcels, 16_000_000);

    /// <summary>
    /// Validates up to <paramref name="max"/> received records: pending, or rejected with a reason. Their parsed records are kept
    /// while there is room (<see cref="ParsedRecords.Capacity"/>); beyond it they are parsed again when their batch is made, so a large
    /// backlog stays in the store, not in memory, and validation never waits for room the drop folder keeps filling.
    /// </summary>
    public int ValidateReceived(int max = 2_000)
    {
        var room = ParsedRecords.Capacity(options) - parsed.Count;
        var received = store.WithStatus(RecordStage.Received, max);
        if (received.Count == 0) return 0;
        var results = RecordValidator.ValidateAll([.. received.Select(r => r.Document)], DateTimeOffset.UtcNow);
        var earlier = store.Accepted([.. results.Where(r => r.V.IsValid).Select(r => r.Hash!.Value).Distinct()]);
        var seen = new Dictionary<Hash32, long>();
        var pending = new List<(long, KpRecord, Hash32)>();
        for (var i = 0; i < received.Count; i++)
        {
            var (v, hash) = results[i];
            var r = received[i];
            if (!v.IsValid)
            {
                Reject(new Rejection(r.Id, v.Record?.Kind, hash, v.Rule!, v.Field!, v.Reason!), r);
                continue;
            }
            var h = hash!.Value;
            if ((seen.TryGetValue(h, out var other) || earlier.TryGetValue(h, out other)) && other != r.Id)
            {
                var (rule, field, reason) = RecordStore.Duplicate(h, other);
                Reject(new Rejection(r.Id, v.Record!.Kind, h, rule, field, reason), r);
                continue;
            }
            seen[h] = r.Id;
            pending.Add((r.Id, v.Record!, h));
            if (room-- > 0) parsed.Remember(r.Id, v.Record!); // parsed once: the checks and the batch use this one
        }
        store.MarkPending(pending);
        return received.Count;
    }

    /// <summary>One round for one kind: pre-checks pending records against the chain and sends a batch. Returns the records handled.</summary>
    public async Task<int> AnchorAsync(RecordKind kind, CancellationToken ct)
    {
        var pending = store.WithStatus(RecordStage.Pending, options.MaxBatchSize * 2, kind, withDocument: false);
        if (pending.Count == 0) return 0;
        var full = pending.Count >= options.MaxBatchSize;
        var oldestAge = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - pending[0].ReceivedAt;
        if (!full && oldestAge < options.MaxBatchDelayMs) return 0;

        // the parsed records are kept from validation; after a restart, the documents are read once, in one query
        if (pending.Any(p => !parsed.Contains(p.Id))) pending = store.WithStatus(RecordStage.Pending, options.MaxBatchSize * 2, kind);
        // the checks read the registry: against a vanished one (a batch just mined without its events) they would fail every round,
        // or read "never registered" and refuse valid records, and the send behind them would never come to check the deployment
        await EnsureDeploymentIfDueAsync();
        var candidates = pending.Select(p => new Candidate(p, parsed.Of(p), p.Hash!.Value)).ToList();
        var verdicts = await checks.CheckAsync(kind, candidates, _careful.IsOn);
        var onChain = verdicts.Where(v => v.Outcome == CheckOutcome.OnChain).Select(v => v.Item.Stored.Id).ToList();
        if (onChain.Count > 0)
        {
            store.MarkConfirmed(onChain, null, null);
            parsed.Forget(onChain);
            Log.AlreadyAnchored(logger, onChain.Count);
        }
        foreach (var v in verdicts.Where(v => v.Outcome == CheckOutcome.Reject))
        {
            Reject(new Rejection(v.Item.Stored.Id, kind, v.Item.Hash, v.Rule!, v.Field!, v.Reason!), v.Item.Stored);
        }
        var ready = verdicts.Where(v => v.Outcome == CheckOutcome.Ready).Take(options.MaxBatchSize).ToList();
        var waiting = ready.Count > 0 ? await SendAsync(kind, ready, ct) : 0;
        return verdicts.Count(v => v.Outcome != CheckOutcome.Defer) - waiting;
    }

    /// <summary>After a restart (or an outage): settles batches left submitted, by what the node knows of their transaction. Returns the records settled.</summary>
    public async Task<int> RecoverAsync()
    {
        // nothing may settle a batch behind recovery's back: the batches still awaited end first (their faults are moot now)
        if (_pipeline is { } pipeline) await pipeline.DrainAsync(rethrow: false);
        Interlocked.Exchange(ref _sentAwaiting, 0); // nothing is awaited now (a batch whose wait failed told no outcome)
        int confirmed = 0, requeued = 0;
        foreach (var (id, _, txHash) in store.SubmittedBatches())
        {
            var ids = store.SubmittedIn(id);
            var tx = txHash is null ? null : await chain.Writer.Sender.LookupAsync(txHash);
            if (tx is { State: TransactionState.Mined, Succeeded: true } && TakenByRegistry(tx.LogCount, ids.Count))
            {
                store.BatchConfirmed(id, txHash!, (long)tx.BlockNumber!.Value, (long)tx.GasUsed!.Value);
                parsed.Forget(ids);
                confirmed += ids.Count;
                continue;
            }
            if (tx is { State: TransactionState.Pending }) continue; // still in the node's pool: wait for it
            store.BatchFailed(id); // never sent, dropped, reverted, or mined without the registry's events: the pre-check decides again
            requeued += ids.Count;
        }
        if (confirmed + requeued > 0) Log.Recovered(logger, confirmed, requeued);
        return confirmed + requeued;
    }

    /// <summary>Sends <paramref name="items"/> as a batch (halving around the records the chain refuses). Returns how many of them wait a round instead.</summary>
    private async Task<int> SendAsync(RecordKind kind, List<Verdict> items, CancellationToken ct)
    {
        // never send into a reset chain: the node would mine a call to an empty account as a success (the full check once a second at
        // most, the quick one otherwise; a batch that went into a reset chain all the same is mined without the registry's events, and
        // is not counted anchored)
        if (!await EnsureDeploymentIfDueAsync()) await chain.EnsureDeploymentBlockAsync();
        var data = RegistryWriter.BatchCallData([.. items.Select(v => v.Item.Record)], c => items.First(v => ReferenceEquals(v.Item.Record, c)).Certificate!);
        var sender = chain.Writer.Sender;
        BigInteger gas;
        try
        {
            gas = kind == RecordKind.Parcel && !_careful.IsOn
                ? OriginParcelBatchGas(items.Count)
                : await sender.EstimateGasAsync(chain.Address, data);
        }
        catch (RevertException raw)
        {
            var e = ContractRevertException.From(raw);
            if (items.Count == 1)
            {
                var item = items[0].Item;
                // its own hash is registered (a certificate: its number; a confirmation: its certificate no longer open), though the
                // check did not find it on chain: its own transaction is in the node's pool (sent before a crash that left its batch
                // without a hash, so recovery put it back) or was mined since the check. It waits: the next round's check finds it on
                // chain, or refuses it for what the chain then holds (rejected now, it would be reported refused while anchored)
                if (IsOwnHash(e, "AlreadyRegistered", "hash", item.Hash)
                    || (item.Record is CertificateRecord c && IsOwnHash(e, "CertificateAlreadyIssued", "numberHash", c.NumberHash))
                    || (item.Record is ImportConfirmationRecord f && IsOwnHash(e, "CertificateNotIssued", "numberHash", Keccak.Hash(f.CertificateNumber)))) return 1;
                Reject(new Rejection(item.Stored.Id, kind, item.Hash, e.ErrorName, FieldOf(kind, e), e.Message), item.Stored);
                return 0;
            }
            // find the records the chain refuses: halve until each refusal stands alone
            return await SendAsync(kind, items[..(items.Count / 2)], ct) + await SendAsync(kind, items[(items.Count / 2)..], ct);
        }
        var ids = items.Select(i => i.Item.Stored.Id).ToList();
        var pipeline = await PipelineAsync();
        await pipeline.WaitForRoomAsync(gas); // at most MaxInFlightBatches and two blocks' gas awaited: the oldest settles first
        var batch = store.StartBatch(kind, ids);
        var made = _careful.Made();
        CrashPoints.Hit(CrashPoints.BatchStarted);
        var count = items.Count;
        // sent from the background: this round ends and the next batch is made while the node takes this one
        await pipeline.SendAsync(chain.Address, data, gas, sent: hash =>
        {
            store.BatchSent(batch, hash);
            if (Interlocked.Increment(ref _sentAwaiting) > 1) CrashPoints.Hit(CrashPoints.SentBehindOthers);
        }, refused: e =>
        {
            // refused at submission (Hardhat mines a reverting transaction and reports it here): check carefully next round
            store.BatchFailed(batch);
            _careful.Refused();
            Log.BatchFailed(logger, batch, count, kind.ToJsonName(), e.Message);
        }, new TransactionOutcome(
            Replaced: (old, replacement) =>
            {
                Log.Replaced(logger, batch, old, replacement);
                store.BatchSent(batch, replacement);
            },
            Mined: tx =>
            {
                Interlocked.Decrement(ref _sentAwaiting);
                if (!TakenByRegistry(tx.LogCount, count))
                {
                    // mined, but not by the registry: its records go back to be checked, and the next send checks the deployment first
                    store.BatchFailed(batch);
                    _careful.Refused();
                    Interlocked.Exchange(ref _deploymentCheckedAt, NeverChecked);
                    Log.NotTakenByRegistry(logger, batch, count, kind.ToJsonName(), tx.Hash, tx.LogCount);
                    return;
                }
                CrashPoints.Hit(CrashPoints.BatchMined);
                store.BatchConfirmed(batch, tx.Hash, (long)tx.BlockNumber, (long)tx.GasUsed);
                parsed.Forget(ids);
                _careful.Mined(made, kind == RecordKind.Parcel);
                Log.Anchored(logger, count, kind.ToJsonName(), tx.Hash, tx.BlockNumber, tx.GasUsed.ToString("N0", CultureInfo.InvariantCulture));
            },
            Reverted: e =>
            {
                Interlocked.Decrement(ref _sentAwaiting);
                // mined with status 0: its nonce is spent, the batches behind it stand; its records are checked again, carefully
                store.BatchFailed(batch);
                _careful.Refused();
                Log.BatchFailed(logger, batch, count, kind.ToJsonName(), ContractRevertException.From(e).Message);
            }), ct);
        return 0;
    }

    /// <summary>
    /// The full check that the registry stands (<see cref="ChainSession.EnsureDeploymentAsync"/>) unless it was found standing within
    /// <see cref="DeploymentCheckIntervalMs"/> (and no batch mined without the registry's events asked for one since). Returns whether it ran.
    /// </summary>
    private async Task<bool> EnsureDeploymentIfDueAsync()
    {
        var last = Interlocked.Read(ref _deploymentCheckedAt);
        if (Environment.TickCount64 - last < DeploymentCheckIntervalMs) return false;
        await chain.EnsureDeploymentAsync();
        // not over a "check again" told while this check was under way (the receipt of a batch mined without events)
        Interlocked.CompareExchange(ref _deploymentCheckedAt, Environment.TickCount64, last);
        return true;
    }

    private void Reject(Rejection rejection, StoredRecord r)
    {
        rejected.Write(r, rejection.Rule, rejection.Field, rejection.Reason, rejection.Hash?.ToString()); // the rejected area first: a crash before the commit only makes the record validated again
        CrashPoints.Hit(CrashPoints.RejectWritten);
        store.Reject([rejection]);
        parsed.Forget([r.Id]);
        Log.Rejected(logger, r.Id, r.Source, rejection.Rule, rejection.Field, rejection.Reason);
    }

    /// <summary>Whether <paramref name="e"/> is the refusal <paramref name="error"/> whose <paramref name="argument"/> is <paramref name="hash"/>: the record's own.</summary>
    private static bool IsOwnHash(ContractRevertException e, string error, string argument, Hash32 hash) =>
        e.Error is { } refusal && refusal.Name == error && refusal.Arguments.TryGetValue(argument, out var refused)
        && string.Equals(refused, hash.ToString(), StringComparison.OrdinalIgnoreCase);

    private static string FieldOf(RecordKind kind, ContractRevertException e) => (kind, e.ErrorName) switch
    {
        (RecordKind.Transformation, "UnknownParcel" or "ParcelNotActive" or "ParcelNotHeld" or "InputsNotSorted") => "inputs",
        (RecordKind.Transformation, "AlreadyRegistered") => "outputs",
        (RecordKind.Certificate, "UnknownParcel" or "ParcelNotActive" or "ParcelNotHeld") => "parcels",
        (RecordKind.Certificate, "SignatureExpired" or "InvalidSignature" or "NotAnAuthority") => "authorization",
        (RecordKind.Certificate, "InvalidExpiry") => "expiresAt",
        (RecordKind.Certificate, "SameParticipant" or "UnknownParticipant" or "ParticipantInactive") => "importer",
        (RecordKind.Certificate, "CertificateAlreadyIssued") => "number",
        (RecordKind.ImportConfirmation, "CertificateExpired" or "CertificateNotIssued" or "UnknownCertificate") => "certificateNumber",
        _ => "document",
    };
}
