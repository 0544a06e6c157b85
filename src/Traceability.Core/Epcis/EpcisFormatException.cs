namespace Traceability.Core.Epcis;

/// <summary>An EPCIS document (or one of its events) that cannot be hashed: names the field and the problem.</summary>
public sealed class EpcisFormatException : FormatException
{
    /// <summary>A format error of <paramref name="field"/>.</summary>
    /// <param name="field">Path of the field, for example "epcisBody.eventList[2].eventTime" ("document" for the whole).</param>
    /// <param name="problem">What is wrong with it.</param>
    public EpcisFormatException(string field, string problem) : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>Path of the offending field.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
