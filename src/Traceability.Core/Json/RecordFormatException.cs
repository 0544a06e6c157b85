namespace Traceability.Core.Json;

/// <summary>A document that is not a well-formed record: names the field and the problem.</summary>
public sealed class RecordFormatException : FormatException
{
    /// <summary>A format error of <paramref name="field"/>.</summary>
    /// <param name="field">Path of the field, for example "details.carats" or "parcels[2]" ("document" for the whole).</param>
    /// <param name="problem">What is wrong with it.</param>
    public RecordFormatException(string field, string problem) : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>Path of the offending field.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
