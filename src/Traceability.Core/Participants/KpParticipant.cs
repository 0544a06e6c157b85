namespace Traceability.Core.Participants;

/// <summary>A participant of the Kimberley Process Certification Scheme.</summary>
/// <param name="Code">ISO 3166-1 alpha-2 code, or EU.</param>
/// <param name="Name">The participant's name.</param>
/// <param name="CountsAsParticipant">False for an entity that meets KPCS requirements without being counted (Chinese Taipei).</param>
public sealed record KpParticipant(ParticipantCode Code, string Name, bool CountsAsParticipant = true);
