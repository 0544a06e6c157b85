using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>
/// Reads the fields of one JSON object of an EPCIS event (the event, or an object inside a kp: extension) for the
/// mapping to KP records: standard fields by their name, KP extension fields by their expanded name (whatever
/// prefix the document declares for <see cref="KpEpcisTerms.Namespace"/>). Every problem is an
/// <see cref="EpcisMappingException"/> naming the field's path. A KP extension field the mapping does not know is
/// refused (<see cref="EnsureNoUnknownKpFields"/>): nothing of the KP namespace is silently dropped.
/// </summary>
internal sealed partial class EpcisEventFields
{
    private readonly Dictionary<string, (string Key, JsonElement Value)> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly JsonLdScope _scope;

    public EpcisEventFields(JsonElement obj, string path, JsonLdScope scope)
    {
        Path = path;
        _scope = scope;
        if (obj.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Describe(obj)}");
        foreach (var p in obj.EnumerateObject())
        {
            // two keys for one field ("kp:x" and "k2:x" with both prefixes naming the KP namespace): which one counts would be a guess
            if (!_fields.TryAdd(scope.ExpandKey(p.Name), (p.Name, p.Value)))
            {
                throw Error(At(p.Name), $"names the same field as \"{_fields[scope.ExpandKey(p.Name)].Key}\" (both prefixes stand for one namespace): a field is written once");
            }
        }
    }

    /// <summary>The object's path ("" for a bare event).</summary>
    public string Path { get; }

    /// <summary>The path of a member, by the key written in the document.</summary>
    public string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>A standard field, or null when absent.</summary>
    public JsonElement? Optional(string name) => _fields.TryGetValue(name, out var f) ? f.Value : null;

    /// <summary>A standard field that must be there.</summary>
    public JsonElement Required(string name, string why) =>
        Optional(name) ?? throw Error(At(name), $"is missing: {why}");

    /// <summary>A string value of a standard field, CBV words expanded to their URI.</summary>
    public string? Vocabulary(string name)
    {
        if (Optional(name) is not { } e) return null;
        if (e.ValueKind != JsonValueKind.String) throw Error(At(name), $"expected a string, found {Describe(e)}");
        return _scope.ExpandValue(name, e.GetString()!);
    }

    /// <summary>The document key of KP extension field <paramref name="local"/> (its path's last part).</summary>
    private string KpKey(string local) => _fields.TryGetValue(KpName(local), out var f) ? f.Key : KpEpcisTerms.Key(local);

    private static string KpName(string local) => "{" + KpEpcisTerms.Namespace + "}" + local;

    /// <summary>The path of KP extension field <paramref name="local"/>.</summary>
    public string KpPath(string local) => At(KpKey(local));

    /// <summary>A KP extension field, or null when absent (marked read).</summary>
    public JsonElement? KpOptional(string local)
    {
        _read.Add(KpName(local));
        return _fields.TryGetValue(KpName(local), out var f) ? f.Value : null;
    }

    private JsonElement Kp(string local, string what) =>
        KpOptional(local) ?? throw Error(KpPath(local), $"is missing: the KP record needs {what} (a {KpEpcisTerms.Prefix}: extension in namespace {KpEpcisTerms.Namespace})");

    /// <summary>A KP string field.</summary>
    public string KpString(string local, string what, int maxLength = 200, bool allowEmpty = false)
    {
        var e = Kp(local, what);
        if (e.ValueKind != JsonValueKind.String) throw Error(KpPath(local), $"expected a string ({what}), found {Describe(e)}");
        var s = e.GetString()!;
        if (!allowEmpty && s.Trim().Length == 0) throw Error(KpPath(local), "must not be empty");
        if (s.Length > maxLength) throw Error(KpPath(local), $"is {s.Length} characters long; at most {maxLength} are allowed");
        return s;
    }

    /// <summary>A KP whole-number field.</summary>
    public ulong KpUInt64(string local, string what, ulong max = ulong.MaxValue)
    {
        var e = Kp(local, what);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out var v) || v > max)
        {
            throw Error(KpPath(local), $"expected a whole number of {what} (0 to {max}), found {Describe(e)}");
        }
        return v;
    }

    /// <summary>A KP 32-byte field (0x and 64 hex digits).</summary>
    public Hash32 KpHash(string local, string what)
    {
        var e = Kp(local, what);
        if (e.ValueKind != JsonValueKind.String || !Hash32.TryParse(e.GetString(), out var h))
        {
            throw Error(KpPath(local), $"expected {what}: 0x followed by 64 hex digits, found {Describe(e)}");
        }
        return h;
    }

    /// <summary>A KP list of participant codes.</summary>
    public ImmutableArray<ParticipantCode> KpCodes(string local, string what)
    {
        var e = Kp(local, what);
        if (e.ValueKind != JsonValueKind.Array) throw Error(KpPath(local), $"expected an array of participant codes ({what}), found {Describe(e)}");
        if (e.GetArrayLength() > 300) throw Error(KpPath(local), $"has {e.GetArrayLength()} codes; at most 300 are allowed");
        var i = 0;
        var codes = ImmutableArray.CreateBuilder<ParticipantCode>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !ParticipantCode.TryParse(item.GetString(), out var code))
            {
                throw Error($"{KpPath(local)}[{i}]", $"expected a participant or country code of two upper-case letters (such as \"BW\"), found {Describe(item)}");
            }
            codes.Add(code);
            i++;
        }
        return codes.ToImmutable();
    }

    /// <summary>A KP object field, read with the same scope.</summary>
    public EpcisEventFields? KpObject(string local) =>
        KpOptional(local) is { } e ? new EpcisEventFields(e, KpPath(local), _scope) : null;

    /// <summary>A KP array of objects.</summary>
    public IReadOnlyList<EpcisEventFields> KpObjects(string local, string what)
    {
        var e = Kp(local, what);
        if (e.ValueKind != JsonValueKind.Array) throw Error(KpPath(local), $"expected an array ({what}), found {Describe(e)}");
        return [.. e.EnumerateArray().Select((item, i) => new EpcisEventFields(item, $"{KpPath(local)}[{i}]", _scope))];
    }

    /// <summary>Refuses a KP extension field the mapping did not read.</summary>
    public void EnsureNoUnknownKpFields()
    {
        foreach (var (name, (key, _)) in _fields)
        {
            if (name.StartsWith("{" + KpEpcisTerms.Namespace + "}", StringComparison.Ordinal) && !_read.Contains(name))
            {
                throw Error(At(key), $"is not a field of this KP record: the {KpEpcisTerms.Prefix}: fields of this event are {string.Join(", ", _read.Select(r => KpEpcisTerms.Key(r[(KpEpcisTerms.Namespace.Length + 2)..])))}");
            }
        }
    }

    /// <summary>The event time as Unix seconds: a date-time with an offset, in whole seconds, from 1970.</summary>
    public ulong UnixSeconds(string name, string what)
    {
        var e = Required(name, $"it gives the record's {what}");
        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : null;
        if (text is null || !DateTimePattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            throw Error(At(name), $"expected a date-time with an offset such as \"2026-11-01T00:00:00.000Z\", found {Describe(e)}");
        }
        if (t.Ticks % TimeSpan.TicksPerSecond != 0) throw Error(At(name), $"'{text}' has a fraction of a second: KP records hold whole seconds ({what})");
        if (t < DateTimeOffset.UnixEpoch) throw Error(At(name), $"'{text}' is before 1970: KP records hold Unix seconds ({what})");
        return (ulong)t.ToUnixTimeSeconds();
    }

    /// <summary>A participant named by a urn:kp:participant: URI.</summary>
    public static ParticipantCode Participant(JsonElement e, string path)
    {
        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        if (!text.StartsWith(KpEpcisTerms.ParticipantUrn, StringComparison.Ordinal) || !ParticipantCode.TryParse(text[KpEpcisTerms.ParticipantUrn.Length..], out var code))
        {
            throw Error(path, $"expected a KP participant, {KpEpcisTerms.ParticipantUrn}<code> (such as {KpEpcisTerms.ParticipantUrn}BW), found {Describe(e)}");
        }
        return code;
    }

    /// <summary>An error of <paramref name="path"/>.</summary>
    public static EpcisMappingException Error(string path, string problem) => new(path.Length == 0 ? "event" : path, problem);

    /// <summary>A JSON value, described briefly for an error message.</summary>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.Length > 60 ? $"a string of {e.GetString()!.Length} characters" : $"\"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {(e.GetRawText().Length > 30 ? e.GetRawText()[..30] + "…" : e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => $"an array of {e.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();
}
