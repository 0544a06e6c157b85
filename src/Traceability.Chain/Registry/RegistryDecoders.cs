using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;

namespace Traceability.Chain.Registry;

/// <summary>
/// Hand-written decoders of the registry's events and view outputs that a verification reads, from the
/// node's JSON (<see cref="JsonElement"/>) into the same typed DTOs Nethereum's reflection-based decoders
/// produce (tests compare both on real logs): ParcelRegistered, ParcelDerived, ParcelsTransformed,
/// CertificateIssued and RecordFlagged; the certificate, transformation and bool outputs. Any other type
/// falls back to Nethereum. The layouts follow the ABI in <see cref="RegistryAbi"/>: every word is 32 bytes,
/// a bytesN value is left-aligned, an integer or address right-aligned, a dynamic array is an offset to its
/// length and its items.
/// </summary>
public static class RegistryDecoders
{
    private static readonly ConcurrentDictionary<string, string> Checksummed = new(StringComparer.Ordinal);

    /// <summary>Decodes an eth_getLogs result (or a receipt's logs) into the events of type <typeparamref name="TEvent"/>; other events are skipped.</summary>
    public static IReadOnlyList<RegistryEventLog<TEvent>> Logs<TEvent>(JsonElement logs) where TEvent : IEventDTO, new()
    {
        if (logs.ValueKind != JsonValueKind.Array) return [];
        var result = new List<RegistryEventLog<TEvent>>(logs.GetArrayLength());
        foreach (var log in logs.EnumerateArray())
        {
            if (Log<TEvent>(log) is { } decoded) result.Add(decoded);
        }
        return result;
    }

    /// <summary>Decodes one log of an eth_getLogs result into an event of type <typeparamref name="TEvent"/>, or null when it is another event.</summary>
    public static RegistryEventLog<TEvent>? Log<TEvent>(JsonElement log) where TEvent : IEventDTO, new()
    {
        if (log.ValueKind != JsonValueKind.Object || !log.TryGetProperty("topics", out var topicsJson) || topicsJson.ValueKind != JsonValueKind.Array
            || topicsJson.GetArrayLength() == 0 || !Topic0<TEvent>.Matches(topicsJson[0])) return null;
        var blockNumber = Quantity(log.GetProperty("blockNumber"));
        var transactionHash = log.GetProperty("transactionHash").GetString()!;
        var logIndex = Quantity(log.GetProperty("logIndex"));
        var decoded = Fast<TEvent>.Decode is { } fast
            ? fast(Topics(topicsJson), Hex(log.GetProperty("data")))
            : Nethereum<TEvent>(log, topicsJson);
        return new RegistryEventLog<TEvent>(decoded, blockNumber, transactionHash, logIndex);
    }

    /// <summary>Decodes a view's output (0x hex) into <typeparamref name="TOut"/>: by hand for the outputs a verification reads, else by Nethereum.</summary>
    public static TOut Output<TOut>(string output) where TOut : IFunctionOutputDTO, new() =>
        FastOutput<TOut>.Decode is { } fast ? fast(Convert.FromHexString(output.AsSpan(Prefix(output)))) : RegistryReader.Decode<TOut>(output);

    /// <summary>The topic0 of an event type, computed once.</summary>
    public static string EventTopic<TEvent>() where TEvent : IEventDTO, new() => Topic0<TEvent>.Value;

    /// <summary>Whether <typeparamref name="TEvent"/> has a hand-written decoder.</summary>
    public static bool IsFast<TEvent>() where TEvent : IEventDTO, new() => Fast<TEvent>.Decode is not null;

    /// <summary>Whether <typeparamref name="TOut"/> has a hand-written decoder.</summary>
    public static bool IsFastOutput<TOut>() where TOut : IFunctionOutputDTO, new() => FastOutput<TOut>.Decode is not null;

    private static TEvent Nethereum<TEvent>(JsonElement log, JsonElement topics) where TEvent : IEventDTO, new()
    {
        var filterLog = new FilterLog
        {
            Topics = [.. topics.EnumerateArray().Select(t => (object)t.GetString()!)],
            Data = log.TryGetProperty("data", out var d) ? d.GetString() : null,
            BlockNumber = new HexBigInteger(log.GetProperty("blockNumber").GetString()!),
            TransactionHash = log.GetProperty("transactionHash").GetString()!,
            LogIndex = new HexBigInteger(log.GetProperty("logIndex").GetString()!),
            Address = log.TryGetProperty("address", out var a) ? a.GetString() : null,
        };
        return Event<TEvent>.DecodeEvent(filterLog).Event;
    }

    private static byte[][] Topics(JsonElement topics)
    {
        var result = new byte[topics.GetArrayLength()][];
        var i = 0;
        foreach (var t in topics.EnumerateArray()) result[i++] = Hex(t);
        return result;
    }

    private static byte[] Hex(JsonElement e)
    {
        var s = e.GetString() ?? throw new FormatException("expected a 0x hex string, got null");
        return Convert.FromHexString(s.AsSpan(Prefix(s)));
    }

    private static int Prefix(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0;

    private static ulong Quantity(JsonElement e)
    {
        var s = e.GetString() ?? throw new FormatException("expected a hex quantity, got null");
        return ulong.Parse(s.AsSpan(Prefix(s)), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
    }

    // ------------------------------------------------------------ ABI words

    private static ReadOnlySpan<byte> Word(byte[] data, int index)
    {
        var start = index * 32;
        if (data.Length < start + 32) throw new FormatException($"the ABI data is {data.Length} bytes; word {index} is missing");
        return data.AsSpan(start, 32);
    }

    /// <summary>A bytesN value: the first <paramref name="n"/> bytes of its word.</summary>
    private static byte[] BytesN(ReadOnlySpan<byte> word, int n) => word[..n].ToArray();

    /// <summary>An address as Nethereum writes it: EIP-55 mixed case (remembered: a registry's accounts are few).</summary>
    private static string Address(ReadOnlySpan<byte> word)
    {
        var lower = "0x" + Convert.ToHexStringLower(word[12..]);
        if (Checksummed.TryGetValue(lower, out var known)) return known;
        var address = AddressUtil.Current.ConvertToChecksumAddress(lower);
        if (Checksummed.Count < 4096) Checksummed[lower] = address;
        return address;
    }

    private static ulong UInt(ReadOnlySpan<byte> word, int bytes)
    {
        for (var i = 0; i < 32 - 8; i++)
        {
            if (word[i] != 0) throw new FormatException("an integer word overflows 64 bits");
        }
        var value = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        if (bytes < 8 && value >> (bytes * 8) != 0) throw new FormatException($"an integer word overflows {bytes * 8} bits");
        return value;
    }

    private static bool Bool(ReadOnlySpan<byte> word) => UInt(word, 1) switch
    {
        0 => false,
        1 => true,
        _ => throw new FormatException("a bool word is neither 0 nor 1"),
    };

    /// <summary>A bytes32[] whose offset is in word <paramref name="headIndex"/>.</summary>
    private static List<byte[]> Bytes32Array(byte[] data, int headIndex)
    {
        var offset = checked((int)UInt(Word(data, headIndex), 4));
        if (offset % 32 != 0) throw new FormatException("a dynamic array's offset is not word-aligned");
        var at = offset / 32;
        var count = checked((int)UInt(Word(data, at), 4));
        if (data.Length < (at + 1 + (long)count) * 32) throw new FormatException($"a bytes32[] of {count} items runs past the data");
        var items = new List<byte[]>(count);
        for (var i = 0; i < count; i++) items.Add(Word(data, at + 1 + i).ToArray());
        return items;
    }

    private static void Count(byte[][] topics, int count, string name)
    {
        if (topics.Length != count || topics.Any(t => t.Length != 32)) throw new FormatException($"{name}: expected {count} topics of 32 bytes, got {topics.Length}");
    }

    // ------------------------------------------------------------ events

    private static ParcelRegisteredEvent ParcelRegistered(byte[][] topics, byte[] data)
    {
        Count(topics, 4, "ParcelRegistered");
        return new() { Parcel = topics[1], Participant = BytesN(topics[2], 2), Registrant = Address(topics[3]) };
    }

    private static ParcelDerivedEvent ParcelDerived(byte[][] topics, byte[] data)
    {
        Count(topics, 4, "ParcelDerived");
        return new() { Parcel = topics[1], Transformation = topics[2], Participant = BytesN(topics[3], 2), Inputs = Bytes32Array(data, 0) };
    }

    private static ParcelsTransformedEvent ParcelsTransformed(byte[][] topics, byte[] data)
    {
        Count(topics, 4, "ParcelsTransformed");
        return new() { Transformation = topics[1], Participant = BytesN(topics[2], 2), Registrant = Address(topics[3]), OutputDetails = Bytes32Array(data, 0) };
    }

    private static CertificateIssuedEvent CertificateIssued(byte[][] topics, byte[] data)
    {
        Count(topics, 4, "CertificateIssued");
        return new()
        {
            NumberHash = topics[1],
            Exporter = BytesN(topics[2], 2),
            Importer = BytesN(topics[3], 2),
            CertificateHash = Word(data, 0).ToArray(),
            ExpiresAt = UInt(Word(data, 1), 8),
            Authority = Address(Word(data, 2)),
            Relayer = Address(Word(data, 3)),
            Parcels = Bytes32Array(data, 4),
        };
    }

    private static RecordFlaggedEvent RecordFlagged(byte[][] topics, byte[] data)
    {
        Count(topics, 3, "RecordFlagged");
        return new()
        {
            Kind = (byte)UInt(topics[1], 1),
            Key = topics[2],
            Flag = (byte)UInt(Word(data, 0), 1),
            Category = (byte)UInt(Word(data, 1), 1),
            EvidenceHash = Word(data, 2).ToArray(),
        };
    }

    // ------------------------------------------------------------ outputs

    private static CertificateOutput Certificate(byte[] data) => new()
    {
        Certificate = new CertificateDto
        {
            Exporter = BytesN(Word(data, 0), 2),
            Importer = BytesN(Word(data, 1), 2),
            Status = (byte)UInt(Word(data, 2), 1),
            Flag = (byte)UInt(Word(data, 3), 1),
            ExpiresAt = (uint)UInt(Word(data, 4), 4),
            ParcelCount = (ushort)UInt(Word(data, 5), 2),
            ContentHash = BytesN(Word(data, 6), 20),
        },
    };

    private static TransformationOutput Transformation(byte[] data) => new()
    {
        Transformation = new TransformationDto
        {
            Participant = BytesN(Word(data, 0), 2),
            Flag = (byte)UInt(Word(data, 1), 1),
            InputCount = (ushort)UInt(Word(data, 2), 2),
            OutputCount = (ushort)UInt(Word(data, 3), 2),
            Registrant = (uint)UInt(Word(data, 4), 4),
            RegisteredAt = (uint)UInt(Word(data, 5), 4),
        },
    };

    private static BoolOutput BoolValue(byte[] data) => new() { Value = Bool(Word(data, 0)) };

    private static class Topic0<TEvent> where TEvent : IEventDTO, new()
    {
        public static readonly string Value = RegistryReader.EventTopic<TEvent>();

        public static bool Matches(JsonElement topic) =>
            topic.ValueKind == JsonValueKind.String && (topic.ValueEquals(Value) || string.Equals(topic.GetString(), Value, StringComparison.OrdinalIgnoreCase));
    }

    private static class Fast<TEvent> where TEvent : IEventDTO, new()
    {
        public static readonly Func<byte[][], byte[], TEvent>? Decode = (Delegate?)(
            typeof(TEvent) == typeof(ParcelRegisteredEvent) ? new Func<byte[][], byte[], ParcelRegisteredEvent>(ParcelRegistered) :
            typeof(TEvent) == typeof(ParcelDerivedEvent) ? new Func<byte[][], byte[], ParcelDerivedEvent>(ParcelDerived) :
            typeof(TEvent) == typeof(ParcelsTransformedEvent) ? new Func<byte[][], byte[], ParcelsTransformedEvent>(ParcelsTransformed) :
            typeof(TEvent) == typeof(CertificateIssuedEvent) ? new Func<byte[][], byte[], CertificateIssuedEvent>(CertificateIssued) :
            typeof(TEvent) == typeof(RecordFlaggedEvent) ? new Func<byte[][], byte[], RecordFlaggedEvent>(RecordFlagged) :
            null) as Func<byte[][], byte[], TEvent>;
    }

    private static class FastOutput<TOut> where TOut : IFunctionOutputDTO, new()
    {
        public static readonly Func<byte[], TOut>? Decode = (Delegate?)(
            typeof(TOut) == typeof(CertificateOutput) ? new Func<byte[], CertificateOutput>(Certificate) :
            typeof(TOut) == typeof(TransformationOutput) ? new Func<byte[], TransformationOutput>(Transformation) :
            typeof(TOut) == typeof(BoolOutput) ? new Func<byte[], BoolOutput>(BoolValue) :
            null) as Func<byte[], TOut>;
    }
}
