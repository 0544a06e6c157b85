namespace Traceability.Core.Epcis.Mapping;

/// <summary>An event that cannot be mapped to a KP record: names the field (its path in the document) and the problem.</summary>
public sealed class EpcisMappingException(string field, string problem) : FormatException($"{field}: {problem}")
{
    /// <summary>Path of the field in the document, for example "epcisBody.eventList[2].quantityList[0].uom".</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
