namespace Traceability.Lab.Parties;

/// <summary>A multi-party run could not finish: a party's service stopped on its own or rejected a record (the message names it and says why).</summary>
/// <param name="message">What happened.</param>
public sealed class PartyRunException(string message) : Exception(message);
