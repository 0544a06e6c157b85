using Traceability.Chain.Transactions;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Commands;

/// <summary>How a sent transaction is reported.</summary>
internal static class TransactionOutput
{
    /// <summary>Reports a sent transaction: two lines for people; with --json one document {message, transaction, block, gasUsed, details}.</summary>
    public static int Report(CliContext ctx, string what, SentTransaction tx, object? extra = null)
    {
        if (ctx.Json)
        {
            Output.WriteJson(ctx.Out, new { message = what, transaction = tx.Hash, block = tx.BlockNumber, gasUsed = (ulong)tx.GasUsed, details = extra });
        }
        else
        {
            ctx.Out.WriteLine($"✓ {what}");
            ctx.Out.WriteLine($"  transaction {tx.Hash} in block {tx.BlockNumber}, {tx.GasUsed:N0} gas");
        }
        return ExitCodes.Ok;
    }
}
