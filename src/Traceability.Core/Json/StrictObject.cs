using System.Collections.Immutable;
using System.Text.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Json;

/// <summary>
/// Reads one JSON object strictly: every field must be read exactly once by its reader, a field
/// that is missing, of the wrong type, duplicated or unknown is a <see cref="RecordFormatException"/>
/// naming its path.
/// </summary>
internal sealed class StrictObject
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _path;

    public StrictObject(JsonElement element, string path)
    {
        _path = path;
        if (element.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Describe(element)}");
        foreach (var p in element.EnumerateObject())
        {
            string name;
            try
            {
                name = p.Name;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                throw Error(path, $"has a field name that is not valid text (invalid UTF-8 or a lone surrogate): {e.Message}");
            }
            if (!_fields.TryAdd(name, p.Value)) throw Error(Child(name), "appears more than once");
        }
    }

    public string Path(string name) => Child(name);

    public string String(string name, int maxLength = 200, bool allowEmpty = false)
    {
        var e = Required(name);
        if (e.ValueKind != JsonValueKind.String) throw Error(Child(name), $"expected a string, found {Describe(e)}");
        var s = Text(e, Child(name));
        if (!allowEmpty && s.Trim().Length == 0) throw Error(Child(name), "must not be empty");
        if (s.Length > maxLength) throw Error(Child(name), $"is {s.Length} characters long; at most {maxLength} are allowed");
        return s;
    }

    public ulong UInt64(string name, string unit) => Integer(Required(name), Child(name), unit, ulong.MaxValue);

    public uint UInt32(string name, string unit) => (uint)Integer(Required(name), Child(name), unit, uint.MaxValue);

    public int Int32(string name)
    {
        var e = Required(name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v)) throw Error(Child(name), $"expected a whole number, found {Describe(e)}");
        return v;
    }

    public ParticipantCode Code(string name) => ParseCode(Required(name), Child(name));

    public Hash32 Hash(string name) => ParseHash(Required(name), Child(name));

    public ImmutableArray<Hash32> Hashes(string name, int maxCount) =>
        Array(name, maxCount, (e, path) => ParseHash(e, path));

    public ImmutableArray<ParticipantCode> Codes(string name, int maxCount) =>
        Array(name, maxCount, (e, path) => ParseCode(e, path));

    public StrictObject Object(string name) => new(Required(name), Child(name));

    public ImmutableArray<StrictObject> Objects(string name, int maxCount) =>
        Array(name, maxCount, (e, path) => new StrictObject(e, path));

    public ImmutableArray<string> Strings(string name, int maxCount, int maxLength) =>
        Array(name, maxCount, (e, path) =>
        {
            if (e.ValueKind != JsonValueKind.String) throw Error(path, $"expected a string, found {Describe(e)}");
            var s = Text(e, path);
            if (s.Trim().Length == 0) throw Error(path, "must not be empty");
            if (s.Length > maxLength) throw Error(path, $"is {s.Length} characters long; at most {maxLength} are allowed");
            return s;
        });

    public ulong? OptionalUInt64(string name, string unit)
    {
        if (!_fields.TryGetValue(name, out var e)) return null;
        _read.Add(name);
        return Integer(e, Child(name), unit, ulong.MaxValue);
    }

    public decimal Decimal(string name)
    {
        var e = Required(name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDecimal(out var v)) throw Error(Child(name), $"expected a number, found {Describe(e)}");
        return v;
    }


    public StrictObject? OptionalObject(string name)
    {
        if (!_fields.TryGetValue(name, out var e)) return null;
        _read.Add(name);
        return e.ValueKind == JsonValueKind.Null ? null : new StrictObject(e, Child(name));
    }

    /// <summary>Refuses any field no reader asked for.</summary>
    public void EnsureNoUnknownFields()
    {
        foreach (var name in _fields.Keys)
        {
            if (!_read.Contains(name)) throw Error(Child(name), "unknown field (check its spelling, or the schemaVersion)");
        }
    }

    private ImmutableArray<T> Array<T>(string name, int maxCount, Func<JsonElement, string, T> read)
    {
        var e = Required(name);
        if (e.ValueKind != JsonValueKind.Array) throw Error(Child(name), $"expected an array, found {Describe(e)}");
        var count = e.GetArrayLength();
        if (count > maxCount) throw Error(Child(name), $"has {count} entries; at most {maxCount} are allowed");
        var builder = ImmutableArray.CreateBuilder<T>(count);
        var i = 0;
        foreach (var item in e.EnumerateArray()) builder.Add(read(item, $"{Child(name)}[{i++}]"));
        return builder.MoveToImmutable();
    }

    private JsonElement Required(string name)
    {
        if (!_fields.TryGetValue(name, out var e)) throw Error(Child(name), "missing (required field)");
        _read.Add(name);
        if (e.ValueKind == JsonValueKind.Null) throw Error(Child(name), "must not be null");
        return e;
    }

    private static ulong Integer(JsonElement e, string path, string unit, ulong max)
    {
        if (e.ValueKind != JsonValueKind.Number) throw Error(path, $"expected a whole number of {unit}, found {Describe(e)}");
        var raw = e.GetRawText();
        if (raw.StartsWith('-')) throw Error(path, $"must not be negative (a whole number of {unit})");
        if (!e.TryGetUInt64(out var v)) throw Error(path, $"expected a whole number of {unit}, found {raw}");
        if (v > max) throw Error(path, $"{v} is too large (at most {max})");
        return v;
    }

    /// <summary>
    /// The string value of <paramref name="e"/>; text that is not valid (invalid UTF-8, a lone
    /// surrogate, anything the JSON reader throws on) is a <see cref="RecordFormatException"/> naming <paramref name="path"/>.
    /// </summary>
    internal static string Text(JsonElement e, string path)
    {
        try
        {
            return e.GetString()!;
        }
        catch (Exception x) when (x is InvalidOperationException or ArgumentException or FormatException)
        {
            throw Error(path, $"is not valid text (invalid UTF-8 or a lone surrogate): {x.Message}");
        }
    }

    private static Hash32 ParseHash(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String || !Hash32.TryParse(Text(e, path), out var h))
        {
            throw Error(path, $"expected 0x followed by 64 hex digits, found {Describe(e)}");
        }
        return h;
    }

    private static ParticipantCode ParseCode(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String || !ParticipantCode.TryParse(Text(e, path), out var c))
        {
            throw Error(path, $"expected a participant or country code of two upper-case letters (such as \"BW\"), found {Describe(e)}");
        }
        return c;
    }

    private string Child(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private static RecordFormatException Error(string path, string problem) => new(path.Length == 0 ? "document" : path, problem);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => Quote(SafeText(e)),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString(),
    };

    private static string SafeText(JsonElement e)
    {
        try
        {
            return e.GetString()!;
        }
        catch (Exception x) when (x is InvalidOperationException or ArgumentException or FormatException)
        {
            return "(text that is not valid: invalid UTF-8 or a lone surrogate)";
        }
    }

    private static string Quote(string s) => "\"" + (s.Length > 70 ? s[..67] + "..." : s) + "\"";
}
