namespace Traceability.Chain.Registry;

/// <summary>An event that adds an account to, or removes it from, a participant's directory (authorities, members).</summary>
public interface IDirectoryEvent
{
    /// <summary>The participant (bytes2).</summary>
    byte[] Participant { get; }

    /// <summary>The account.</summary>
    string Account { get; }

    /// <summary>A member's index, when the event carries one.</summary>
    uint? MemberIndex => null;
}
