using System.Buffers.Binary;

namespace Traceability.Chain.Registry;

/// <summary>
/// The output of the registry's <c>multicall(bytes[])</c>: the ABI encoding of a <c>bytes[]</c>, read by hand with every
/// offset and length checked against the answer (a node's answer is not trusted to be well formed).
/// </summary>
public static class MulticallOutput
{
    /// <summary>The <paramref name="expected"/> outputs of a multicall, each as 0x hex; FormatException for anything else.</summary>
    public static string[] Decode(string hex, int expected)
    {
        if (!hex.StartsWith("0x", StringComparison.Ordinal) || hex.Length % 2 != 0) throw new FormatException("not 0x hex of whole bytes");
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex.AsSpan(2));
        }
        catch (FormatException)
        {
            throw new FormatException("not 0x hex");
        }
        var array = Offset(bytes, 0, 0);
        var count = Word(bytes, array);
        if (count != (ulong)expected) throw new FormatException($"{count} outputs for {expected} calls");
        var outputs = new string[expected];
        var items = array + 32; // each item's offset counts from here
        for (var i = 0; i < expected; i++)
        {
            var at = Offset(bytes, items + 32 * i, items);
            var length = Word(bytes, at);
            if (length > (ulong)(bytes.Length - at - 32)) throw new FormatException($"output {i} runs past the answer");
            outputs[i] = "0x" + Convert.ToHexStringLower(bytes.AsSpan(at + 32, (int)length));
        }
        return outputs;
    }

    /// <summary>An offset read at <paramref name="at"/>, counted from <paramref name="from"/>, that stays inside the answer.</summary>
    private static int Offset(byte[] bytes, int at, int from)
    {
        var offset = Word(bytes, at);
        var room = (long)bytes.Length - from - 32;
        if (room < 0 || offset > (ulong)room) throw new FormatException($"an offset at byte {at} points past the answer");
        return from + (int)offset;
    }

    /// <summary>The 32-byte word at <paramref name="at"/> as a number (its high 24 bytes must be zero: no answer is that long).</summary>
    private static ulong Word(byte[] bytes, int at)
    {
        if (at < 0 || at > bytes.Length - 32) throw new FormatException($"the answer ends before byte {at + 32}");
        if (bytes.AsSpan(at, 24).ContainsAnyExcept((byte)0)) throw new FormatException($"the word at byte {at} is too large");
        return BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(at + 24, 8));
    }
}
