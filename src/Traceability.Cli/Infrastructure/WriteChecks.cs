using Nethereum.ABI.FunctionEncoding.Attributes;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Transactions;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// What kp checks around a write so it never claims what the chain did not do: before sending, that
/// the sending account is an active member of the document's participant (the registry registers a
/// parcel or transformation under the sender's participant, which gives another hash); after sending,
/// that the receipt's events register exactly the documents' hashes.
/// </summary>
public static class WriteChecks
{
    /// <summary>
    /// Refuses (exit code 2, nothing sent) when the sending account is not an active member of
    /// <paramref name="participant"/>, the participant <paramref name="document"/> names in its field <c>participant</c>.
    /// </summary>
    public static async Task RequireMemberOfAsync(CliContext ctx, ParticipantCode participant, string document)
    {
        var account = await ctx.AccountAsync();
        var (member, active, _) = await (await ctx.ReaderAsync()).MemberOfAsync(account.Address);
        if (member is null)
        {
            throw new CliUsageException($"{document}: participant: the document's participant is {participant}, but the sending account {account.Address} is not a member of any participant: "
                + $"send it from an active member account of {participant}. Nothing was sent.");
        }
        if (member.Value != participant)
        {
            throw new CliUsageException($"{document}: participant: the document's participant is {participant}, but the sending account {account.Address} is a member of {member.Value}: "
                + $"the registry would record it under {member.Value}, with another hash than the document's. Send it from a member account of {participant}. Nothing was sent.");
        }
        if (!active)
        {
            throw new CliUsageException($"{document}: participant: the sending account {account.Address} is a member of {participant} but not an active one: "
                + "the registry would refuse it. Nothing was sent.");
        }
    }

    /// <summary>
    /// The values of <paramref name="select"/> over the <typeparamref name="TEvent"/> events that the
    /// registry at <paramref name="registry"/> emitted in <paramref name="tx"/>.
    /// </summary>
    public static IReadOnlyList<Hash32> Emitted<TEvent>(SentTransaction tx, string registry, Func<TEvent, byte[]> select) where TEvent : IEventDTO, new()
    {
        var ours = new JArray(tx.Logs.Where(l => string.Equals((string?)l["address"], registry, StringComparison.OrdinalIgnoreCase)));
        return [.. RegistryReader.DecodeLogs<TEvent>(ours).Select(e => Hash32.FromBytes(select(e.Event)))];
    }

    /// <summary>
    /// Throws <see cref="ReceiptMismatchException"/> (exit code 1) unless the hashes the receipt's events
    /// register (<paramref name="emitted"/>) are exactly <paramref name="expected"/>.
    /// </summary>
    public static void RequireRegistered(SentTransaction tx, string what, IReadOnlyCollection<Hash32> expected, IReadOnlyCollection<Hash32> emitted)
    {
        var missing = expected.Where(h => !emitted.Contains(h)).ToList();
        var other = emitted.Where(h => !expected.Contains(h)).ToList();
        if (missing.Count == 0 && other.Count == 0) return;
        throw new ReceiptMismatchException($"transaction {tx.Hash} was mined in block {tx.BlockNumber}, but its events do not register the document's {what}: "
            + (missing.Count > 0 ? $"not registered: {string.Join(", ", missing)}" : "")
            + (missing.Count > 0 && other.Count > 0 ? "; " : "")
            + (other.Count > 0 ? $"registered instead: {string.Join(", ", other)}" : "")
            + ". The document's hash is not on chain as printed; check the sending account and the document (kp status, kp verify).");
    }
}

/// <summary>A transaction was mined but its receipt does not show what the documents say (exit code 1).</summary>
public sealed class ReceiptMismatchException(string message) : Exception(message);
