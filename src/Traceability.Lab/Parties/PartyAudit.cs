using System.Globalization;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;

namespace Traceability.Lab.Parties;

/// <summary>
/// Reads a multi-party run's outcome from the chain: every block of the run (its transactions, their senders and nonces, their receipts)
/// and every registry event; checks that every record of every party is on chain once, by a transaction of its own party's account, and
/// that each account's nonces run without a gap; and from the services' stores that each settled everything, the killed one after its restart.
/// </summary>
internal static class PartyAudit
{
    private sealed record SentTransaction(string Hash, string From, ulong Nonce, ulong Block);

    /// <summary>Transactions of parties other than <paramref name="victim"/> in the blocks after <paramref name="fromBlock"/> up to <paramref name="toBlock"/>.</summary>
    public static async Task<int> OthersTransactionsAsync(DevNetwork net, Party victim, ulong fromBlock, ulong toBlock)
    {
        var parties = PartyPlan.Parties.Where(p => p != victim).Select(p => p.Address.ToLowerInvariant()).ToHashSet();
        return (await TransactionsAsync(net, fromBlock, toBlock).ConfigureAwait(false)).Count(t => parties.Contains(t.From));
    }

    private static async Task<List<SentTransaction>> TransactionsAsync(DevNetwork net, ulong afterBlock, ulong toBlock)
    {
        var found = new List<SentTransaction>();
        for (var from = afterBlock + 1; from <= toBlock; from += 100)
        {
            var calls = new List<RpcCall>();
            for (var b = from; b <= Math.Min(toBlock, from + 99); b++) calls.Add(new RpcCall("eth_getBlockByNumber", ChainRpc.Hex(b), true));
            foreach (var (block, error) in await net.Rpc.BatchAsync(calls).ConfigureAwait(false))
            {
                if (error is not null) throw error;
                var number = (ulong)ChainRpc.Quantity(block!["number"]!);
                foreach (var tx in block["transactions"]!.OfType<JObject>())
                {
                    found.Add(new SentTransaction((string)tx["hash"]!, ((string)tx["from"]!).ToLowerInvariant(), (ulong)ChainRpc.Quantity(tx["nonce"]!), number));
                }
            }
        }
        return found;
    }

    public static async Task<PartyRunResult> RunAsync(PartyAuditInput input)
    {
        var (net, plan) = (input.Net, input.Plan);
        var head = (ulong)await net.Rpc.BlockNumberAsync().ConfigureAwait(false);
        var transactions = await TransactionsAsync(net, input.StartBlock, head).ConfigureAwait(false);
        var partyOf = PartyPlan.Parties.ToDictionary(p => p.Address.ToLowerInvariant());
        var senderOf = transactions.ToDictionary(t => t.Hash, t => t.From, StringComparer.OrdinalIgnoreCase);
        var reverted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in transactions.Chunk(100))
        {
            var receipts = await net.Rpc.BatchAsync([.. chunk.Select(t => new RpcCall("eth_getTransactionReceipt", t.Hash))]).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (receipts[i].Error is { } e) throw e;
                if ((string?)receipts[i].Result!["status"] != "0x1") reverted.Add(chunk[i].Hash);
            }
        }

        // every record's event, by its key, with the sender of the transaction that emitted it
        var events = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Seen(string key, string txHash)
        {
            if (!events.TryGetValue(key, out var l)) events[key] = l = [];
            l.Add(senderOf.GetValueOrDefault(txHash, "an unknown sender"));
        }
        var from = input.StartBlock + 1;
        foreach (var e in await net.Reader.LogsAsync<ParcelRegisteredEvent>(fromBlock: from).ConfigureAwait(false)) Seen("parcel " + Hash32.FromBytes(e.Event.Parcel), e.TransactionHash);
        foreach (var e in await net.Reader.LogsAsync<ParcelsTransformedEvent>(fromBlock: from).ConfigureAwait(false)) Seen("transformation " + Hash32.FromBytes(e.Event.Transformation), e.TransactionHash);
        foreach (var e in await net.Reader.LogsAsync<CertificateIssuedEvent>(fromBlock: from).ConfigureAwait(false))
        {
            Seen($"certificate {Convert.ToHexString(e.Event.Exporter)} {Hash32.FromBytes(e.Event.NumberHash)} {Hash32.FromBytes(e.Event.CertificateHash)}", e.TransactionHash);
        }
        foreach (var e in await net.Reader.LogsAsync<ImportConfirmedEvent>(fromBlock: from).ConfigureAwait(false))
        {
            Seen($"confirmation {Convert.ToHexString(e.Event.Exporter)} {Hash32.FromBytes(e.Event.NumberHash)} {Hash32.FromBytes(e.Event.ConfirmationHash)}", e.TransactionHash);
        }
        static string KeyOf(KpRecord r) => r switch
        {
            ParcelRecord p => "parcel " + p.Hash(),
            TransformationRecord t => "transformation " + t.Hash(),
            CertificateRecord c => $"certificate {Convert.ToHexString(c.Exporter.ToBytes())} {c.NumberHash} {c.Hash()}",
            ImportConfirmationRecord i => $"confirmation {Convert.ToHexString(i.Exporter.ToBytes())} {Keccak.Hash(i.CertificateNumber)} {i.Hash()}",
            _ => throw new ArgumentOutOfRangeException(nameof(r)),
        };

        var outcomes = new List<PartyOutcome>();
        var missing = new List<string>();
        var twice = new List<string>();
        var foreign = new List<string>();
        var gaps = new List<string>();
        foreach (var service in input.Services)
        {
            var party = service.Party;
            var address = party.Address.ToLowerInvariant();
            var records = plan.RecordsOf(party);
            var anchored = 0;
            foreach (var r in records)
            {
                var senders = events.GetValueOrDefault(KeyOf(r)) ?? [];
                if (senders.Count == 0) missing.Add($"{party.Name}: {KeyOf(r)}");
                else if (senders.Count > 1) twice.Add($"{party.Name}: {KeyOf(r)} ({senders.Count} times)");
                else if (senders[0] != address) foreign.Add($"{party.Name}: {KeyOf(r)} sent by {senders[0]}");
                else anchored++;
            }
            var own = transactions.Where(t => t.From == address).OrderBy(t => t.Nonce).ToList();
            var first = input.FirstNonces[party];
            var next = await PartyRun.NonceAsync(net, party.Address).ConfigureAwait(false);
            var gapless = own.Select(t => t.Nonce).SequenceEqual(Enumerable.Range(0, own.Count).Select(i => first + (ulong)i)) && first + (ulong)own.Count == next;
            if (!gapless) gaps.Add($"{party.Name}: nonces {string.Join(",", own.Select(t => t.Nonce))} from {first}, next {next}");
            outcomes.Add(new PartyOutcome(party.Name, party.Role, party.Participant.Value, party.Address, records.Count, anchored, own.Count,
                own.Count(t => reverted.Contains(t.Hash)), first, next, gapless, service.Restarts));
        }
        var expected = PartyPlan.Parties.Sum(p => plan.RecordsOf(p).Count);
        var strangers = transactions.Where(t => !partyOf.ContainsKey(t.From)).ToList();
        var extra = events.Count - expected + missing.Count;

        var blocks = transactions.GroupBy(t => t.Block).Select(g => g.Select(t => t.From).Distinct().Count()).ToList();
        var kill = input.Kill;
        var victim = input.Services.Single(s => s.Party.Name == kill.Party);
        var others = input.Services.Where(s => s != victim).ToList();
        static bool SettledAll(PartyService s, long expected) => s.Counts() is var c && c.GetValueOrDefault(RecordStage.Confirmed) == expected
            && c.Where(x => x.Key != RecordStage.Confirmed).All(x => x.Value == 0);
        long ExpectedIn(PartyService s) => plan.RecordsOf(s.Party).Count * (s.Party.Role == PartyRole.ImportingAuthority ? 2 : 1);
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

        var checks = new List<PartyCheck>
        {
            new("everyRecordAnchoredOnce", missing.Count == 0 && twice.Count == 0 && extra == 0,
                missing.Count + twice.Count + extra == 0
                    ? $"{N(expected)} records of {input.Services.Count} parties: each one event on chain, none missing, none twice, none unexpected"
                    : $"missing {missing.Count} (e.g. {missing.FirstOrDefault()}), twice {twice.Count} (e.g. {twice.FirstOrDefault()}), {extra} unexpected events"),
            new("ownAccountsOnly", foreign.Count == 0 && strangers.Count == 0,
                foreign.Count + strangers.Count == 0
                    ? $"every record came in a transaction of its own party's account; all {N(transactions.Count)} transactions of the run are the parties'"
                    : $"{foreign.Count} records sent by another account (e.g. {foreign.FirstOrDefault()}), {strangers.Count} transactions from outside the parties"),
            new("noncesGapless", gaps.Count == 0,
                gaps.Count == 0 ? "each account's transactions carry its nonces in a run without gaps or repeats, from its nonce at the start to its nonce now"
                    : string.Join("; ", gaps)),
            new("noReverts", reverted.Count == 0,
                reverted.Count == 0 ? "no transaction of the run reverted" : $"{reverted.Count} transactions reverted (e.g. {reverted.First()})"),
            new("killedMidRunAndRestarted", kill.ConfirmedAtKill > 0 && kill.ConfirmedAtKill < kill.Records && victim.Restarts == 1 && SettledAll(victim, ExpectedIn(victim)) && victim.ExitCode == 0,
                $"{kill.Party}'s service was killed with {N(kill.ConfirmedAtKill)} of {N(kill.Records)} records confirmed, started again {kill.RestartedAtSeconds - kill.KilledAtSeconds:0.0} s later, "
                    + $"settled all {N(ExpectedIn(victim))} and stopped with exit code {victim.ExitCode}"),
            new("othersUndisturbed", others.All(s => s.Restarts == 0 && s.ExitCode == 0 && SettledAll(s, ExpectedIn(s))),
                $"the {others.Count} other services ran throughout (no restart), settled every record (none rejected) and stopped cleanly; "
                    + $"{kill.OthersTransactionsWhileDown} of their transactions were mined while {kill.Party}'s was down"),
        };
        return new PartyRunResult(input.NodeKind, (ulong)net.ChainId, net.Deployment.Address, input.Folder, outcomes, kill,
            blocks.Count, blocks.Count(n => n > 1), blocks.DefaultIfEmpty(0).Max(), input.Seconds, checks);
    }
}
