using System.Diagnostics.CodeAnalysis;

namespace Traceability.Core.Participants;

/// <summary>
/// A Kimberley Process participant's code: two upper-case ASCII letters, the ISO 3166-1 alpha-2
/// code of a country, or <c>EU</c> for the European Union. On-chain it is a <c>bytes2</c>.
/// </summary>
public readonly record struct ParticipantCode
{
    private ParticipantCode(string value) => Value = value;

    /// <summary>The two letters, for example "BW".</summary>
    public string Value { get; }

    /// <summary>The code as the contract's <c>bytes2</c> (for "BW": 0x4257).</summary>
    public ushort AsUInt16 => (ushort)((Value[0] << 8) | Value[1]);

    /// <summary>The code as two bytes, big-endian, as <c>bytes2</c> is encoded.</summary>
    public byte[] ToBytes() => [(byte)Value[0], (byte)Value[1]];

    /// <summary>Parses two upper-case ASCII letters; anything else is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ParticipantCode code)
    {
        code = default;
        if (text is not { Length: 2 } || !IsUpper(text[0]) || !IsUpper(text[1])) return false;
        code = new ParticipantCode(text);
        return true;
    }

    /// <summary>Parses a code or throws <see cref="FormatException"/> naming the problem.</summary>
    public static ParticipantCode Parse(string? text) =>
        TryParse(text, out var code)
            ? code
            : throw new FormatException($"'{text}' is not a participant code: expected two upper-case letters such as BW or EU");

    /// <summary>The code of a contract <c>bytes2</c> value; throws if it is not two upper-case letters.</summary>
    public static ParticipantCode FromUInt16(ushort raw) => Parse(new string([(char)(raw >> 8), (char)(raw & 0xFF)]));

    /// <inheritdoc />
    public override string ToString() => Value ?? "";

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';
}
