using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Traceability.Chain.Registry;

/// <summary>A decoded registry event and where it was logged.</summary>
/// <typeparam name="TEvent">The event DTO.</typeparam>
/// <param name="Event">The decoded event.</param>
/// <param name="BlockNumber">Block number.</param>
/// <param name="TransactionHash">Transaction hash.</param>
/// <param name="LogIndex">Index of the log in its block.</param>
public sealed record RegistryEventLog<TEvent>(TEvent Event, ulong BlockNumber, string TransactionHash, ulong LogIndex)
    where TEvent : IEventDTO, new();
